"""Who may do what in anomaly (contract §5): permissions named after what they allow, checked before
any lookup; and the plan limits that bound what an analyst may store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from services.common.deps import tenant_of_caller
from services.common.plans import PLAN_LIMITS
from services.common.problems import quota_exceeded
from services.common.tenancy import Caller, permission

ANALYST, ADMIN, AUDITOR = "analyst", "admin", "auditor"

# Reading datasets, profiles, detectors and jobs.
CanReadAnalyses = Annotated[Caller, Depends(permission(ANALYST, ADMIN, AUDITOR))]
# Uploading and deleting datasets; creating, training, running, teaching and evaluating detectors.
CanRunAnalyses = Annotated[Caller, Depends(permission(ANALYST, ADMIN))]


@dataclass(frozen=True)
class Limits:
    detectors: int
    dataset_rows: int

    def check_dataset_rows(self, rows: int) -> None:
        if rows > self.dataset_rows:
            raise quota_exceeded(
                f"The dataset has {rows} rows; your plan allows {self.dataset_rows} rows per dataset."
            )

    def check_detectors(self, existing: int) -> None:
        if existing >= self.detectors:
            raise quota_exceeded(f"Your plan allows {self.detectors} detectors and they are all in use.")


async def writer_limits(request: Request, caller: CanRunAnalyses) -> Limits:
    """The caller's plan limits, as identity's `/tenants/current` states them (after the role check)."""
    tenant = await tenant_of_caller(request, caller)
    limits = tenant.get("limits") or PLAN_LIMITS.get(str(tenant.get("plan")), PLAN_LIMITS["starter"])
    return Limits(detectors=int(limits["detectors"]), dataset_rows=int(limits["dataset_rows"]))


WriterLimits = Annotated[Limits, Depends(writer_limits)]
