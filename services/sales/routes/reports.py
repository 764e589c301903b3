"""`/api/v1/reports/pipeline`: counts and net amounts per stage (managers, admins, auditors)."""

from __future__ import annotations

from fastapi import APIRouter

from services.common.deps import SessionDep, TenantFactsDep
from services.common.routing import InProcessRoute
from services.sales import report_service
from services.sales.access import CanReadPipeline
from services.sales.schemas import PipelineReport

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], route_class=InProcessRoute)


@router.get("/pipeline", name="report.pipeline", response_model=PipelineReport)
def pipeline(caller: CanReadPipeline, tenant: TenantFactsDep, session: SessionDep) -> PipelineReport:
    return report_service.pipeline(session, caller, tenant.currency)
