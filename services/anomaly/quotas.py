"""What a tenant's plan lets it store in anomaly (contract §3): rows per dataset, detectors per tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.anomaly.access import CanRunAnalyses
from services.common.deps import TenantFactsDep
from services.common.plans import PlanLimits
from services.common.problems import quota_exceeded


def check_dataset_rows(limits: PlanLimits, rows: int) -> None:
    if rows > limits.dataset_rows:
        raise quota_exceeded(f"The dataset has {rows} rows; your plan allows {limits.dataset_rows} rows per dataset.")


def check_detectors(limits: PlanLimits, existing: int) -> None:
    if existing >= limits.detectors:
        raise quota_exceeded(f"Your plan allows {limits.detectors} detectors and they are all in use.")


async def limits_of_plan(
    _caller: CanRunAnalyses,  # role check first: a refused caller never costs a call to identity
    tenant: TenantFactsDep,
) -> PlanLimits:
    """The limits of the caller's plan, as identity's `/tenants/current` states them."""
    return tenant.limits


PlanLimitsDep = Annotated[PlanLimits, Depends(limits_of_plan)]
