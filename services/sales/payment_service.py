"""Payment use cases: record (once per Idempotency-Key) and list (contract §4)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.ids import new_id
from services.common.pagination import PageParams, page_of
from services.common.problems import field_error, invalid_state
from services.common.tenancy import Caller, TenantId
from services.sales import idempotency, repository, validation
from services.sales import notification_service as notify
from services.sales.access import ensure_owns
from services.sales.models import Deal, Payment
from services.sales.pricing import to_minor
from services.sales.schemas import PaymentCreate, PaymentPage
from services.sales.stages import Stage
from services.sales.views import payment_view


@dataclass(frozen=True)
class Answer:
    """A ready-to-send JSON answer (bytes), so that a replay is byte-for-byte the first one."""

    status_code: int
    body: bytes


def record_payment(session: Session, audit: AuditLog, caller: Caller, deal_id: str, body: PaymentCreate,
                   *, idempotency_key: str | None, path: str) -> Answer:
    deal = repository.get_deal(session, caller.tenant_id, deal_id)
    fingerprint = ""
    if idempotency_key is not None:
        key = idempotency.check_key(idempotency_key)
        fingerprint = idempotency.fingerprint("POST", path, body.model_dump(exclude_unset=True))
        # PostgreSQL lets concurrent writers in (SQLite queues them): hold the deal's row so that a concurrent
        # request with the same key waits for the first one's commit, then replays it.
        repository.lock_deal(session, caller.tenant_id, deal)
        earlier = idempotency.earlier_answer(session, caller.tenant_id, key, fingerprint)
        if earlier is not None:
            return Answer(earlier.status_code, earlier.body.encode())
    errors = validation.Errors()
    amount, received_at = errors.valid(
        errors.check(lambda: validation.amount(body.amount, deal.currency)),
        errors.check(lambda: validation.timestamp(body.received_at)) if body.received_at is not None else utcnow(),
    )
    if deal.stage != Stage.WON.value:
        raise invalid_state(f"Payments are recorded on won deals only; this one is {deal.stage}.")
    minor = to_minor(amount, deal.currency)
    _add_to_paid(session, caller.tenant_id, deal, minor)
    now = utcnow()
    payment = Payment(id=new_id(), tenant_id=deal.tenant_id, deal_id=deal.id, owner_id=deal.owner_id,
                      amount_minor=minor, currency=deal.currency, received_at=received_at, created_at=now)
    session.add(payment)
    notify.payment_received(session, deal)
    audit.record(session, caller, "payment.recorded", "payment", payment.id)
    # Written as the first answers were stored (json.dumps' spacing), so that every replay and every fresh
    # answer of this endpoint reads the same.
    answer = Answer(201, json.dumps(payment_view(payment).model_dump()).encode())
    if idempotency_key is not None:
        idempotency.remember(session, caller.tenant_id, idempotency_key, fingerprint, answer.status_code,
                             answer.body)
    return answer


def _add_to_paid(session: Session, tenant_id: TenantId, deal: Deal, minor: int) -> None:
    """Add a payment to the deal atomically, refusing overpayment even under concurrent payments."""
    if not repository.add_to_paid(session, tenant_id, deal, minor):
        if deal.stage != Stage.WON.value:
            raise invalid_state(f"Payments are recorded on won deals only; this one is {deal.stage}.")
        raise field_error("amount", "overpayment",
                          "paid amount plus this payment would exceed the deal's net amount")


def list_payments(session: Session, caller: Caller, deal_id: str, page: PageParams) -> PaymentPage:
    deal = repository.get_deal(session, caller.tenant_id, deal_id)
    ensure_owns(caller, deal.owner_id)
    stmt = repository.payments_of(caller, deal).order_by(Payment.created_at, Payment.id)
    return page_of(session, stmt, page, PaymentPage, payment_view)
