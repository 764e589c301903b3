"""`/api/v1/commissions`: a quarterly statement; a rep reads only its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.common.deps import SessionDep, TenantFactsDep
from services.common.routing import InProcessRoute
from services.sales import commission_service
from services.sales.access import CanUseSales
from services.sales.schemas import Statement

router = APIRouter(prefix="/api/v1/commissions", tags=["commissions"], route_class=InProcessRoute)


@router.get("", name="commission.read", response_model=Statement)
def read_statement(caller: CanUseSales, tenant: TenantFactsDep, session: SessionDep,
                   owner_id: Annotated[str | None, Query()] = None,
                   period: Annotated[str | None, Query(description="YYYY-Qn, default the current quarter")] = None,
                   ) -> Statement:
    return commission_service.statement(session, caller, tenant.currency, owner_id=owner_id, period=period)
