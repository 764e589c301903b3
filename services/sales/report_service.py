"""The pipeline report: deals and their net amount per stage, all five stages (contract §4)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.tenancy import Caller
from services.sales import repository
from services.sales.schemas import PipelineReport, StageFigures
from services.sales.stages import ALL_STAGES
from services.sales.views import money


def pipeline(session: Session, caller: Caller, currency: str) -> PipelineReport:
    figures = {stage: StageFigures(count=int(count), net_amount=money(int(total), currency))
               for stage, count, total in repository.pipeline_figures(session, caller.tenant_id, currency)}
    no_deals = StageFigures(count=0, net_amount=money(0, currency))
    stages = {stage.value: figures.get(stage.value, no_deals) for stage in ALL_STAGES}
    return PipelineReport(currency=currency, stages=stages)
