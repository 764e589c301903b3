"""Notifications about deals, the pipeline report and the sales audit trail (contract §4)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

import httpx
from hamcrest import has_entries
from hamcrest.core.matcher import Matcher

from support.data.money import parse_money
from support.drivers.records import AuditEvent, Notification, Pipeline
from support.http.client import request_id
from support.http.polling import eventually
from support.matchers.money import is_money
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks.sales import perform, the_deal

NOTICE: Note[Notification] = Note("notification")
NOTIFIED: Note[Actor] = Note("person notified")
REPORTS: Note[dict[str, Pipeline]] = Note("pipeline reports by reader")
AUDIT_BEFORE: Note[tuple[Actor, list[AuditEvent]]] = Note("audit events before, and who read them")
TAMPERING: Note[dict[str, httpx.Response]] = Note("tampering answers")

NOTICE_WITHIN_S = 2.0  # §4: notifications within 2 s of the event
# Stated allowance on top: the event happened before its answer reached the suite, and the last look at
# the notifications must be allowed its own round trip. A look begun later than 2.25 s after the answer
# arrived does not count.
NOTICE_ALLOWANCE_S = 0.25
NOTIFICATION_WORDS = {"approval requested": "approval_requested", "approval decided": "approval_decided",
                      "deal won": "deal_won", "payment received": "payment_received"}


# -- notifications ----------------------------------------------------------------------------------------
def notices(person: Actor, kind: str, deal_id: str, *, unread: bool | None = None) -> list[Notification]:
    """The person's notifications of `kind` about the deal."""
    return [item for item in notifications_of(person, unread=unread) if item.type == kind and item.deal_id == deal_id]


def await_notices(world: World, people: Sequence[Actor], kind: str) -> list[list[Notification]]:
    """Each person's notifications of `kind` about the deal, awaited until 2 s (+ allowance) after now."""
    deadline = time.monotonic() + NOTICE_WITHIN_S + NOTICE_ALLOWANCE_S
    deal_id, found = the_deal(world).id, []
    for person in people:
        def told(person: Actor = person) -> list[Notification]:
            seen = notices(person, kind, deal_id)
            assert seen, f"{person.name} has no '{kind}' notification about the deal yet. {person.sales.evidence()}"
            return seen

        left = max(deadline - time.monotonic(), 0.0)
        found.append(eventually(told, within=left, awaiting=f"{person.name} to be told '{kind}' within "
                                f"{NOTICE_WITHIN_S:.0f} s (+{NOTICE_ALLOWANCE_S} s allowance)"))
        world.mention(NOTIFIED, person)
        world.mention(NOTICE, found[-1][0])
    return found


def notifications_of(person: Actor, *, unread: bool | None = None) -> list[Notification]:
    return person.sales.notifications(unread=unread, page_size=100).items


def mark_read(world: World, marker: Actor, *, must: bool) -> None:
    perform(marker, must, marker.sales.mark_read, world.it(NOTICE).id)


# -- pipeline and audit -------------------------------------------------------------------------------------
def read_pipelines(world: World, readers: Iterable[Actor]) -> None:
    world.mention(REPORTS, {reader.name: reader.sales.pipeline() for reader in readers})


def try_pipeline(reader: Actor) -> None:
    reader.tries_to(reader.sales.pipeline)


def pipeline_expected(reader: Actor, rows: Iterable[tuple[str, int, str]]) -> Matcher[Any]:
    """A report in the reader's currency with these (stage, count, net as written) figures."""
    currency = reader.tenant.currency
    stages = {stage: has_entries(count=count, net_amount=is_money(parse_money(net).amount, currency))
              for stage, count, net in rows}
    return has_entries(currency=currency, stages=has_entries(stages))


def request_id_of_last_call(actor: Actor) -> str:
    return request_id(actor.sales.last_response)


def request_id_of_refusal(actor: Actor) -> str:
    return request_id(actor.last_answer)


def audit_events(world: World, reader: Actor, awaiting: str, **filters: str) -> list[AuditEvent]:
    """The events the reader finds with the filters (asked of the platform), awaited like notifications."""

    def found() -> list[AuditEvent]:
        events = reader.sales.audit_events(page_size=100, **filters).items
        matching = [event for event in events if all(event.get(key) == value for key, value in filters.items())]
        assert matching, f"no audit event with {filters} yet. {reader.sales.evidence()}"
        return matching

    return eventually(found, within=NOTICE_WITHIN_S + NOTICE_ALLOWANCE_S, awaiting=awaiting)


def success_events(world: World, reader: Actor, action: str, actor: Actor) -> list[AuditEvent]:
    return audit_events(world, reader, f"a {action} event", action=action, actor_id=actor.own_id(),
                        resource_id=the_deal(world).id, outcome="success")


def denied_events(world: World, reader: Actor, actor: Actor) -> list[AuditEvent]:
    return audit_events(world, reader, "a denied event", actor_id=actor.own_id(), outcome="denied")


def tamper(world: World, admin: Actor) -> None:
    """The admin tries to change and erase the trail and one of its events; the answers are kept by what was tried."""
    before = admin.sales.audit_events(page_size=100).items
    assert before, f"There are no audit events to tamper with. {admin.sales.evidence()}"
    world.mention(AUDIT_BEFORE, (admin, before))
    world.mention(TAMPERING, admin.sales.tamper_with_audit_everywhere(before[0].id))


def audit_before_and_after(world: World) -> tuple[list[AuditEvent], list[AuditEvent]]:
    """The events read before the tampering, and the trail as the same reader reads it now."""
    admin, before = world.it(AUDIT_BEFORE)
    return before, admin.sales.audit_events(page_size=100).items
