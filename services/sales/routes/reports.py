"""`/api/v1/reports/pipeline`: counts and net amounts per stage (managers, admins, auditors)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.common.deps import SessionDep, TenantFactsDep
from services.sales import report_service
from services.sales.access import CanReadPipeline

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/pipeline", name="report.pipeline")
def pipeline(caller: CanReadPipeline, tenant: TenantFactsDep, session: SessionDep) -> dict[str, Any]:
    return report_service.pipeline(session, caller, tenant.currency)
