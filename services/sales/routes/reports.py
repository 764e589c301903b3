"""`/api/v1/reports/pipeline`: counts and net amounts per stage (managers, admins, auditors)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.common.deps import SessionDep, TenantDep
from services.sales import report_service
from services.sales.access import CanReadPipeline
from services.sales.deps import currency_of

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get("/pipeline", name="report.pipeline")
def pipeline(caller: CanReadPipeline, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    return report_service.pipeline(session, caller, currency_of(tenant))
