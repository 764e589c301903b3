"""The pipeline report: deals and their net amount per stage, all five stages (contract §4)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.common.tenancy import Caller
from services.sales import repository
from services.sales.stages import ALL_STAGES
from services.sales.views import money


def pipeline(session: Session, caller: Caller, currency: str) -> dict[str, Any]:
    rows = repository.pipeline_figures(session, caller.tenant_id, currency)
    figures = {stage: (int(count), int(total)) for stage, count, total in rows}
    return {
        "currency": currency,
        "stages": {
            stage.value: {"count": figures.get(stage.value, (0, 0))[0],
                          "net_amount": money(figures.get(stage.value, (0, 0))[1], currency)}
            for stage in ALL_STAGES
        },
    }
