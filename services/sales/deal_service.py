"""Deal use cases: create, read, list, edit, stage transitions, approval decisions (contract §4)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.db import insert_now
from services.common.ids import new_id
from services.common.pagination import PageParams, page_of_rows
from services.common.problems import conflict, invalid_state
from services.common.tenancy import Caller, TenantId
from services.sales import notification_service as notify
from services.sales import repository, validation
from services.sales.access import ensure_may_decide, ensure_owns
from services.sales.models import Deal
from services.sales.preconditions import check_if_match
from services.sales.pricing import (
    Approval,
    approval_after_edit,
    from_minor,
    initial_approval,
    net_amount,
    to_minor,
)
from services.sales.schemas import ApprovalRequest, DealCreate, DealPage, DealUpdate
from services.sales.stages import Stage, check_transition, invalid_transition, is_open
from services.sales.views import deal_view


@dataclass(frozen=True)
class TenantTerms:
    """What identity says about the caller's tenant that prices a deal."""

    currency: str
    threshold: Decimal


def create_deal(session: Session, audit: AuditLog, caller: Caller, terms: TenantTerms,
                body: DealCreate) -> Deal:
    errors = validation.Errors()
    client = repository.find_client(session, caller.tenant_id, body.client_id)
    if client is None:
        errors.add("client_id", "unknown_reference", "names no client of your organisation")
    title = errors.check(lambda: validation.text(body.title, "title"))
    amount = errors.check(lambda: validation.amount(body.amount, terms.currency))
    discount = errors.check(lambda: validation.discount(body.discount_percent))
    if client is not None:
        ensure_owns(caller, client.owner_id)
    client, title, amount, discount = errors.valid(client, title, amount, discount)
    now = utcnow()
    approval = initial_approval(discount, terms.threshold)
    deal = Deal(
        id=new_id(), tenant_id=caller.tenant_id, client_id=client.id, owner_id=client.owner_id, title=title,
        currency=terms.currency, amount_minor=to_minor(amount, terms.currency),
        discount_percent=body.discount_percent,
        net_minor=to_minor(net_amount(amount, discount, terms.currency), terms.currency),
        stage=Stage.LEAD.value, approval=approval.value, paid_minor=0, version=1, created_at=now, updated_at=now,
    )
    insert_now(session, deal)
    if approval is Approval.PENDING:
        notify.approval_requested(session, deal)
    audit.record(session, caller, "deal.created", "deal", deal.id)
    return deal


def read_deal(session: Session, caller: Caller, deal_id: str) -> Deal:
    deal = repository.get_deal(session, caller.tenant_id, deal_id)
    ensure_owns(caller, deal.owner_id)
    return deal


def show_deal(session: Session, caller: Caller, deal_id: str) -> Row[Any]:
    """`read_deal` for an answer only: the deal as a plain row."""
    deal = repository.get_deal_row(session, caller.tenant_id, deal_id)
    ensure_owns(caller, deal.owner_id)
    return deal


def list_deals(session: Session, caller: Caller, page: PageParams, *, stage: Stage | None,
               owner_id: str | None, client_id: str | None) -> DealPage:
    deals = repository.deals_listed_for(caller, owner_id=owner_id, stage=stage.value if stage else None,
                                        client_id=client_id)
    return page_of_rows(session, deals, page, DealPage, deal_view)


def update_deal(session: Session, audit: AuditLog, caller: Caller, terms: TenantTerms, deal_id: str,
                body: DealUpdate, if_match: str | None) -> Deal:
    deal = read_deal(session, caller, deal_id)
    check_if_match(if_match, deal.version)
    sent = body.model_fields_set
    errors = validation.Errors()
    validation.not_null(sent, body.model_dump(), errors, "title", "amount", "discount_percent")
    currency = deal.currency
    title = errors.check(lambda: validation.text(body.title, "title")) if body.title is not None else deal.title
    amount = (errors.check(lambda: validation.amount(body.amount, currency)) if body.amount is not None
              else from_minor(deal.amount_minor, currency))
    old_discount = Decimal(deal.discount_percent)
    discount = (errors.check(lambda: validation.discount(body.discount_percent))
                if body.discount_percent is not None else old_discount)
    title, amount, discount = errors.valid(title, amount, discount)
    if not is_open(deal.stage):
        raise invalid_state(f"A {deal.stage} deal can no longer be edited.")
    new_values: dict[str, Any] = {
        "title": title,
        "amount_minor": to_minor(amount, currency),
        "discount_percent": body.discount_percent if body.discount_percent is not None else deal.discount_percent,
        "net_minor": to_minor(net_amount(amount, discount, currency), currency),
        "approval": approval_after_edit(Approval(deal.approval), old_discount, discount, terms.threshold).value,
    }
    changed = {key: value for key, value in new_values.items() if getattr(deal, key) != value}
    if not changed:
        return deal
    became_pending = changed.get("approval") == Approval.PENDING.value
    _apply(session, caller.tenant_id, deal, changed, expect_stage=deal.stage)
    if became_pending:
        notify.approval_requested(session, deal)
    audit.record(session, caller, "deal.updated", "deal", deal.id)
    return deal


def transition_deal(session: Session, audit: AuditLog, caller: Caller, deal_id: str, target: Stage,
                    if_match: str | None) -> Deal:
    deal = read_deal(session, caller, deal_id)
    check_if_match(if_match, deal.version)
    check_transition(deal.stage, target, deal.approval)
    apply_transition(session, caller.tenant_id, deal, target)
    if target is Stage.WON:
        notify.deal_won(session, deal)
    audit.record(session, caller, "deal.transitioned", "deal", deal.id)
    return deal


def apply_transition(session: Session, tenant_id: TenantId, deal: Deal, target: Stage) -> None:
    """Move `deal` (as read) to `target` only if nobody changed it meanwhile, else 409."""
    if not _apply(session, tenant_id, deal, {"stage": target.value}, expect_stage=deal.stage, raise_on_lost=False):
        raise invalid_transition("The deal changed while your transition was in flight; read it again.")


def decide_approval(session: Session, audit: AuditLog, caller: Caller, deal_id: str, body: ApprovalRequest,
                    if_match: str | None) -> Deal:
    deal = repository.get_deal(session, caller.tenant_id, deal_id)
    ensure_may_decide(caller, deal.owner_id)
    check_if_match(if_match, deal.version)
    if deal.approval != Approval.PENDING.value:
        raise invalid_state(f"The deal's approval is {deal.approval}, not pending.")
    decision = Approval.APPROVED if body.decision == "approve" else Approval.REJECTED
    changes = {"approval": decision.value, "approval_comment": body.comment,
               "approval_decided_by": caller.user_id}
    if not _apply(session, caller.tenant_id, deal, changes, expect_stage=deal.stage, raise_on_lost=False):
        raise invalid_state("The deal changed while your decision was in flight; read it again.")
    notify.approval_decided(session, deal)
    action = "deal.approved" if decision is Approval.APPROVED else "deal.rejected"
    audit.record(session, caller, action, "deal", deal.id)
    return deal


def _apply(session: Session, tenant_id: TenantId, deal: Deal, changes: dict[str, Any], *, expect_stage: str,
           raise_on_lost: bool = True) -> bool:
    """Compare-and-set `changes` on the deal as read; False (or 409 `conflict`) if it moved on meanwhile."""
    applied = repository.update_deal_if_unchanged(session, tenant_id, deal, changes, expect_stage=expect_stage)
    if not applied and raise_on_lost:
        raise conflict("The deal changed while your edit was in flight; read it again.")
    return applied
