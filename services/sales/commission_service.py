"""Commission statements: one line per payment received in a quarter (contract §4)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.money import format_money
from services.common.tenancy import Caller
from services.common.unstorable import may_match
from services.sales import repository
from services.sales.access import ensure_owns
from services.sales.commission import Quarter, commission_amount, commission_rate, parse_period, quarter_of
from services.sales.models import Payment
from services.sales.pricing import from_minor
from services.sales.schemas import CommissionLine, Statement


def statement(session: Session, caller: Caller, currency: str, *, owner_id: str | None,
              period: str | None) -> Statement:
    owner = caller.user_id if owner_id is None else owner_id
    ensure_owns(caller, owner, "You may only read your own commission statement.")
    quarter: Quarter = parse_period(period) if period is not None else quarter_of(utcnow())
    payments = repository.payments_earned_by(caller.tenant_id, owner, quarter.start, quarter.end)
    payments = payments.order_by(Payment.received_at, Payment.id)
    rows = session.execute(payments).all() if may_match(payments) else []
    lines: list[CommissionLine] = []
    total = Decimal(0)
    for payment, net_minor, deal_currency in rows:
        base = from_minor(payment.amount_minor, payment.currency)
        rate = commission_rate(from_minor(net_minor, deal_currency), deal_currency)
        earned = commission_amount(base, rate, payment.currency)
        total += earned
        lines.append(CommissionLine(payment_id=payment.id, deal_id=payment.deal_id,
                                    base=format_money(base, payment.currency), rate=str(rate),
                                    amount=format_money(earned, payment.currency)))
    return Statement(owner_id=owner, period=quarter.label, currency=currency, total=format_money(total, currency),
                     lines=lines)
