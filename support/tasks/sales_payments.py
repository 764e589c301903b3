"""Payments on won deals and the commission they earn (contract §4 Payments, Commission)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hamcrest import anything, contains_exactly, has_entries

from support.data.money import Money
from support.drivers.records import Page, Payment, Statement
from support.drivers.sales import SalesDriver
from support.http.polling import let_time_pass
from support.matchers.conventions import is_moment, is_recent_moment
from support.matchers.money import is_money, is_rate
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks.sales import DEAL_OWNER, perform, rate_of, the_deal

PAYMENTS: Note[list[Payment]] = Note("payments")
RECORDED_AT: Note[float] = Note("moment the last payment was answered (monotonic clock)")
STATEMENTS: Note[dict[str, Statement]] = Note("statements by reader")
PAYMENT_FIELDS = ("id", "deal_id", "amount", "currency", "received_at", "created_at")


def received_moment(text: str) -> str:
    """ "31 March 2024 23:59:59 UTC" -> "2024-03-31T23:59:59Z" (RFC 3339, UTC)."""
    moment = datetime.strptime(text.strip(), "%d %B %Y %H:%M:%S UTC").replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- payments -------------------------------------------------------------------------------------------
def record(world: World, payers: Iterable[Actor], amount: Any, *, must: bool, received_at: str | None = None,
           reference: str | None = None) -> None:
    """Each payer records a payment on the deal (a must keeps the payment among those the scenario mentions)."""
    for payer in payers:
        payment = perform(payer, must, payer.sales.record_payment, the_deal(world).id, amount,
                          received_at=received_at, idempotency_key=reference)
        if payment is not None:
            world.mention(PAYMENTS, [*world.mentions.read(PAYMENTS, []), payment])
            world.mention(RECORDED_AT, time.monotonic())


def wait_since_payment(world: World, seconds: float) -> None:
    """Let `seconds` pass since the last payment was answered."""
    let_time_pass(world.it(RECORDED_AT), seconds, awaiting="the payment was recorded")


def payments(world: World) -> list[Payment]:
    return world.it(PAYMENTS)


def payment_expected(world: World, amount: str, currency: str, received_at: str) -> dict[str, Any]:
    """A payment of the contract's shape on the deal, received at `received_at` and recorded just now."""
    expected: dict[str, Any] = dict.fromkeys(PAYMENT_FIELDS, anything())
    return {**expected, "deal_id": the_deal(world).id, "amount": is_money(Decimal(amount), currency),
            "currency": currency, "received_at": is_moment(received_at), "created_at": is_recent_moment()}


def payments_on_deal(world: World) -> tuple[Page[Payment], SalesDriver]:
    owner = world.it(DEAL_OWNER)
    return owner.sales.list_payments(the_deal(world).id, page_size=100), owner.sales


def look_at_payments(world: World, readers: Iterable[Actor]) -> None:
    for reader in readers:
        reader.tries_to(reader.sales.list_payments, the_deal(world).id)


# -- commissions ------------------------------------------------------------------------------------------
def try_statement(asker: Actor, owner: Actor) -> None:
    asker.tries_to(asker.sales.commission_statement, owner_id=owner.own_id())


def read_statements(world: World, readers: Iterable[Actor], owner: Actor) -> None:
    world.mention(STATEMENTS, {reader.name: reader.sales.commission_statement(owner_id=owner.own_id())
                             for reader in readers})


def line_expected(world: World, earner: Actor, commission: Money, rate: str) -> dict[str, Any]:
    """The statement line of the last payment: its base, the rate (a decimal string) and the commission."""
    payment, currency = payments(world)[-1], earner.tenant.currency
    return {"payment_id": payment.id, "deal_id": the_deal(world).id, "base": payment.amount,
            "rate": is_rate(rate_of(rate)), "amount": is_money(commission.amount, currency)}


def statement_expected(earner: Actor, period: str, paid: Money, commission: Money) -> dict[str, Any]:
    """The earner's statement for `period`: one line, on a payment of `paid`, earning `commission`."""
    currency = earner.tenant.currency
    line = has_entries(base=is_money(paid.amount, currency), amount=is_money(commission.amount, currency))
    return {"period": period, "owner_id": earner.own_id(), "currency": currency,
            "total": is_money(commission.amount, currency), "lines": contains_exactly(line)}


def statement_lines(statement: Statement, deal_id: str) -> list[str]:
    return [line.amount for line in statement.lines_for(deal_id=deal_id)]
