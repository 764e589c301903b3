"""`/api/v1/deals/{id}/payments`: record (managers, admins) and read (also the owner and auditors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from services.common.deps import SessionDep
from services.common.pagination import PageDep
from services.common.routing import InProcessRoute
from services.sales import payment_service
from services.sales.access import CanRecordPayments, CanUseSales
from services.sales.deps import AuditDep
from services.sales.schemas import PaymentCreate, PaymentOut, PaymentPage

router = APIRouter(prefix="/api/v1/deals/{deal_id}/payments", tags=["payments"], route_class=InProcessRoute)


@router.post("", status_code=201, name="payment.recorded", response_model=PaymentOut,
             responses={409: {"description": "Deal not won, or Idempotency-Key reused with another body"}})
def record_payment(caller: CanRecordPayments, deal_id: str, body: PaymentCreate, session: SessionDep,
                   audit: AuditDep, request: Request,
                   idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None) -> Response:
    answer = payment_service.record_payment(session, audit, caller, deal_id, body,
                                             idempotency_key=idempotency_key, path=request.url.path)
    return Response(content=answer.body, status_code=answer.status_code, media_type="application/json")


@router.get("", name="payment.listed", response_model=PaymentPage)
def list_payments(caller: CanUseSales, deal_id: str, session: SessionDep, page: PageDep) -> PaymentPage:
    return payment_service.list_payments(session, caller, deal_id, page)
