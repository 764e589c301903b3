"""Stakeholder reports, quality gate and sign-off record for the acceptance suite.

Run as ``python -m signoff report|gate|record``; see docs/REPORTS.md.
"""
