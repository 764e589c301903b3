"""Mutants and their bite cases, one module per contract area (each defines MUTANTS and CASES)."""

from __future__ import annotations

from tests.bites.areas import anomaly, auth, operations, resilience, sales, tenancy

AREAS = (sales, anomaly, auth, tenancy, operations, resilience)
