"""Sales flows used by the sales steps: deals set up in a given state, races, statements, checks.

Only drivers talk HTTP; this module composes their calls into the business situations the sales
features name ("a deal of 10,000.00 with a 25 % discount at the proposal stage") and into the
observations their Then steps make. It never sleeps: waiting goes through `support.http.polling`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import httpx

from support.drivers.base import JSON
from support.drivers.sales import STAGE_PATH, SalesDriver
from support.screenplay.actor import Actor
from support.screenplay.world import World

OPEN_STAGES = ("lead", "qualified", "proposal")
RACE_TIMEOUT_S = 30.0
# Words of the features -> the contract's values.
APPROVAL_WORDS = {"not required": "not_required", "pending": "pending", "approved": "approved",
                  "rejected": "rejected"}
PAYMENT_STATUS_WORDS = {"unpaid": "unpaid", "partially paid": "partially_paid", "paid": "paid"}
NOTIFICATION_WORDS = {"approval requested": "approval_requested", "approval decided": "approval_decided",
                      "deal won": "deal_won", "payment received": "payment_received"}


# -- people and words ---------------------------------------------------------------------------
def names(text: str) -> list[str]:
    """ "Alice, Maria and Rita" -> ["Alice", "Maria", "Rita"] """
    return [part.strip() for part in re.split(r",|\band\b", text) if part.strip()]


def percent(text: str) -> str:
    """ "20.01 %" or "20.01" -> "20.01" (the decimal string the platform takes)."""
    return text.replace("%", "").strip()


def rate_of(text: str) -> Decimal:
    """ "7 %" -> Decimal("0.07") """
    return Decimal(percent(text)) / 100


def received_moment(text: str) -> str:
    """ "31 March 2024 23:59:59 UTC" -> "2024-03-31T23:59:59Z" (RFC 3339, UTC)."""
    moment = datetime.strptime(text.strip(), "%d %B %Y %H:%M:%S UTC").replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- clients and deals ----------------------------------------------------------------------------
def add_client(world: World, owner: Actor, name: str | None = None, email: str | None = None) -> JSON:
    draft = world.build.client(name)
    client = owner.sales.create_client(name=draft.name, email=email or draft.email, country=draft.country)
    owner.remember("client", client)
    return world.mention("client", client)


def open_deal(world: World, owner: Actor, amount: str, *, discount: str | None = None,
              client: JSON | None = None, title: str | None = None) -> JSON:
    """A new deal of `owner` (for a new client of theirs unless one is given)."""
    client = client or add_client(world, owner)
    deal = owner.sales.create_deal(client_id=client["id"], title=title or world.build.deal_title(),
                                   amount=amount, discount_percent=discount)
    return world.mention("deal", owner.remember("deal", deal))


def bring_to(sales: SalesDriver, deal: JSON, stage: str) -> JSON:
    """Walk a deal along the happy path to `stage`, or lose it (from lead) when `stage` is lost."""
    if stage == "lost":
        return sales.transition(deal["id"], "lost")
    return sales.advance(deal["id"], stage)


def deal_at(world: World, owner: Actor, stage: str, amount: str = "5000.00",
            discount: str | None = None) -> JSON:
    deal = bring_to(owner.sales, open_deal(world, owner, amount, discount=discount), stage)
    return world.mention("deal", owner.remember("deal", deal))


def deal_of(world: World) -> JSON:
    return world.it("deal")


def fresh_deal(world: World, reader: Actor) -> JSON:
    """The deal mentioned last, as `reader` reads it now."""
    return reader.sales.get_deal(deal_of(world)["id"])


# -- two people at the same moment ----------------------------------------------------------------
@dataclass
class RaceResult:
    who: str
    response: httpx.Response | None = None
    error: BaseException | None = None


def simultaneously(calls: Sequence[tuple[str, SalesDriver, Callable[[SalesDriver], object]]]
                   ) -> list[RaceResult]:
    """Run each call on its own thread, released together by a barrier; every answer is kept."""
    barrier = threading.Barrier(len(calls))
    results = [RaceResult(who) for who, _, _ in calls]

    def run(index: int, sales: SalesDriver, call: Callable[[SalesDriver], object]) -> None:
        try:
            barrier.wait(timeout=RACE_TIMEOUT_S)
            results[index].response = sales.attempt(call, sales)
        except BaseException as exc:  # reported by the step, not lost in a thread
            results[index].error = exc

    threads = [threading.Thread(target=run, args=(index, sales, call), daemon=True)
               for index, (_, sales, call) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(RACE_TIMEOUT_S)
    for result in results:
        if result.error is not None:
            raise AssertionError(f"{result.who}'s move could not be made: {result.error}") from result.error
        if result.response is None:
            raise AssertionError(f"{result.who}'s move got no answer within {RACE_TIMEOUT_S:.0f} s")
    return results


# -- the next stage of the happy path ---------------------------------------------------------------
def next_stage(stage: str) -> str:
    return STAGE_PATH[STAGE_PATH.index(stage) + 1]


# -- observations -------------------------------------------------------------------------------------
def statement_lines_for(statement: JSON, deal_id: str) -> list[JSON]:
    return [line for line in statement.get("lines", []) if isinstance(line, dict) and line.get("deal_id") == deal_id]
