"""Who may do what in anomaly (contract §5): permissions named after what they allow, checked before
any lookup (the plan's limits on what may be stored are in `quotas.py`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.common.tenancy import Caller, permission

ANALYST, ADMIN, AUDITOR = "analyst", "admin", "auditor"

# Reading datasets, profiles, detectors and jobs.
CanReadAnalyses = Annotated[Caller, Depends(permission(ANALYST, ADMIN, AUDITOR))]
# Uploading and deleting datasets; creating, training, running, teaching and evaluating detectors.
CanRunAnalyses = Annotated[Caller, Depends(permission(ANALYST, ADMIN))]
