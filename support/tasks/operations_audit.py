"""What people do in the audit-trail scenarios (contract §4: every service keeps its own trail).

The scenarios change things and are refused things; this module makes those calls, remembers each
"happening" (who did it, on which record, with which requests), reads a service's trail whole, as the
tenant's admin does, and turns a Gherkin table of expected events into `ExpectedEvents` for
`support.matchers.conventions.trail_faults`. Searching the trail is the server's job: the searches
here hand the server's answer back untouched, with the events it must and must not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from support.drivers.identity import IdentityDriver
from support.drivers.raw import listings_of
from support.http.client import REQUEST_ID
from support.matchers.answers import is_problem
from support.matchers.conventions import ExpectedEvents, OneOf, Search
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks.operations import SENT, SERVICES, Batch, add_client, check_service, colleague, raw

ANY_CHANGE = "any change"
TAMPERING = ("PUT", "PATCH", "DELETE")
WRONG_PASSWORD = "certainly not the right password"


@dataclass
class Happening:
    """Something a person did (or was refused) on one record, and the answers to the requests it took."""

    service: str
    actor: Actor
    resource_id: str | None
    answers: list[httpx.Response] = field(default_factory=list)

    @property
    def request_ids(self) -> frozenset[str]:
        return frozenset(str(answer.request.headers.get(REQUEST_ID)) for answer in self.answers)


HAPPENINGS: Note[dict[str, Happening]] = Note("happenings")
RECORD_NAMES: Note[dict[str, str]] = Note("records by name")
TRAILS_BEFORE: Note[dict[str, list[dict[str, Any]]]] = Note("trails before tampering")
SEARCHES: Note[list[Search]] = Note("searches of the trail")
EXPECTED: Note[list[ExpectedEvents]] = Note("expected events")
SERVICE: Note[str] = Note("service whose trail is read")


def happened(world: World, label: str, service: str, actor: Actor, resource_id: str | None,
             answer: httpx.Response) -> None:
    happenings = world.mentions.read(HAPPENINGS, {})
    happening = happenings.setdefault(label, Happening(service, actor, resource_id))
    happening.answers.append(answer)
    world.mention(HAPPENINGS, happenings)


def happening(world: World, label: str) -> Happening:
    happenings = world.mentions.read(HAPPENINGS, {})
    if label not in happenings:
        raise AssertionError(f"nothing called {label!r} happened in this scenario (known: {', '.join(happenings)})")
    return happenings[label]


# -- changes ----------------------------------------------------------------------------------------------
def sales_changes(world: World, rep: Actor) -> str:
    """`rep` adds a client, opens a deal for it and moves the deal on to won, one transition at a time."""
    client = add_client(world, rep)
    happened(world, "her client", "sales", rep, client.id, rep.sales.last_response)
    deal = rep.sales.create_deal(client_id=client.id, title="Forklift fleet", amount="1000.00")
    happened(world, "her deal", "sales", rep, deal.id, rep.sales.last_response)
    for stage in ("qualified", "proposal", "won"):
        rep.sales.transition(deal.id, stage)
        happened(world, "her deal", "sales", rep, deal.id, rep.sales.last_response)
    return deal.id


def record_payment(world: World, payer: Actor, amount: str) -> None:
    deal = happening(world, "her deal")
    payer.sales.record_payment(str(deal.resource_id), amount)
    # whether the event is about the payment or its deal the contract leaves open: it is found by its request
    happened(world, "the payment", "sales", payer, None, payer.sales.last_response)


def identity_changes(world: World, admin: Actor, name: str, new_name: str) -> None:
    user = colleague(world, admin, name)
    happened(world, "the colleague", "identity", admin, user.id, admin.identity.last_response)
    admin.identity.update_user(user.id, name=new_name)
    happened(world, "the colleague", "identity", admin, user.id, admin.identity.last_response)


def anomaly_changes(world: World, analyst: Actor) -> None:
    dataset = analyst.anomaly.create_dataset("Night shift", columns=["temperature"], rows=[[21.5], [22.0]])
    happened(world, "her dataset", "anomaly", analyst, dataset.id, analyst.anomaly.last_response)
    detector = analyst.anomaly.create_detector("Night watch", algorithm="robust_zscore", features=["temperature"])
    happened(world, "her detector", "anomaly", analyst, detector.id, analyst.anomaly.last_response)
    analyst.anomaly.delete_dataset(dataset.id)
    happened(world, "her dataset", "anomaly", analyst, dataset.id, analyst.anomaly.last_response)


def expected_successes(world: World, rows: Iterable[Mapping[str, str]]) -> list[ExpectedEvents]:
    """The table's rows (action, by, on, times) as the successful events the trail must hold."""
    expected = []
    for row in rows:
        by, done = world.person(row["by"]), happening(world, row["on"])
        expected.append(ExpectedEvents(
            f"{row['action']} by {row['by']} on {row['on']}", int(row["times"]), "success", actor_id=by.own_id(),
            resource_id=done.resource_id, action=None if row["action"] == ANY_CHANGE else row["action"],
            caused_by=done.request_ids))
    return world.mention(EXPECTED, expected)


# -- refusals -----------------------------------------------------------------------------------------------
ATTEMPTS: dict[str, tuple[str, Callable[[World, Actor], list[httpx.Response]]]] = {
    "open Rita's deal and move it on": ("sales", lambda world, who: [
        who.tries_to(who.sales.get_deal, _ritas_deal(world)),
        who.tries_to(who.sales.transition, _ritas_deal(world), "qualified")]),
    "look through the clients and add one": ("sales", lambda world, who: [
        who.tries_to(who.sales.list_clients),
        who.tries_to(who.sales.create_client, **vars(world.build.client()))]),
    "look through Acme's people and add one": ("identity", lambda world, who: [
        who.tries_to(who.identity.list_users),
        who.tries_to(who.identity.create_user, email=f"nina@{who.tenant.slug}.example.com", name="Nina Novak",
                     password="violet tangerine harbour 2026", roles=["analyst"])]),
    "look through the datasets and add one": ("anomaly", lambda world, who: [
        who.tries_to(who.anomaly.list_datasets),
        who.tries_to(who.anomaly.create_dataset, "Night shift", columns=["temperature"], rows=[[21.5]])]),
}


def _ritas_deal(world: World) -> str:
    names = world.mentions.read(RECORD_NAMES, {})
    if "Rita's deal" not in names:
        rita = world.actor("Rita")
        client = add_client(world, rita)
        names["Rita's deal"] = rita.sales.create_deal(client_id=client.id, title="Forklift fleet", amount="1000.00").id
        world.mention(RECORD_NAMES, names)
    return names["Rita's deal"]


def try_refused(world: World, who: Actor, attempts: str) -> str:
    """`who` makes the attempts named; each answer is one of `who`'s attempts. The service they went to."""
    service, attempt = ATTEMPTS[attempts]
    for answer in attempt(world, who):
        happened(world, f"{who.name}'s refused attempts", service, who, None, answer)
    return world.mention(SERVICE, service)


def expected_denials(world: World, who: Actor) -> list[ExpectedEvents]:
    done = happening(world, f"{who.name}'s refused attempts")
    return world.mention(EXPECTED, [
        ExpectedEvents(f"the denied event of {answer.request.method} {answer.request.url.path}", 1, "denied",
                       actor_id=who.own_id(), request_id=answer.request.headers.get(REQUEST_ID))
        for answer in done.answers])


def fail_sign_ins(world: World, who: Actor, wrong_passwords: int) -> None:
    """Someone signs in to `who`'s tenant as `who` with wrong passwords, then once with an email nobody has."""
    gate = IdentityDriver(world.client("identity"))
    emails = [who.email] * wrong_passwords + [f"nobody@{who.tenant.slug}.example.com"]
    for email in emails:
        answer = gate.attempt(gate.sign_in, tenant=who.tenant.slug, email=email, password=WRONG_PASSWORD)
        happened(world, "failed sign-ins", "identity", who, None, answer)
    world.mention(SERVICE, "identity")


def expected_login_failures(world: World, action: str) -> list[ExpectedEvents]:
    done = happening(world, "failed sign-ins")
    return world.mention(EXPECTED, [
        ExpectedEvents(f"the {action} event of failed sign-in {number}", 1, "denied", action=action,
                       request_id=answer.request.headers.get(REQUEST_ID))
        for number, answer in enumerate(done.answers, start=1)])


# -- reading and searching trails ---------------------------------------------------------------------------
def trail(world: World, service: str, reader: Actor | None = None) -> list[dict[str, Any]]:
    """The whole trail of `service` as `reader` (the admin of the scenario's company by default) reads it."""
    reader = reader or world.admin_of("Acme")
    driver = raw(world, reader, check_service(service))
    listing = next(listing for listing in listings_of(service) if listing.trail)
    events: list[dict[str, Any]] = []
    for number in range(1, 100):
        answer = driver.read_list(listing, page=number, page_size=100)
        body = answer.json() if answer.status_code == 200 else None
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise AssertionError(f"Could not read {service}'s audit trail: {driver.evidence()}")
        events += [item for item in body["items"] if isinstance(item, dict)]
        if not body["items"] or len(events) >= int(body.get("total") or 0):
            return events
    raise AssertionError(f"{service}'s audit trail never ends: {driver.evidence()}")


def searchable_happenings(world: World, rita: Actor, ravi: Actor) -> None:
    """Rita moves her deal to qualified, Ravi adds a client, and Ravi is refused a look at Rita's deal."""
    deal = _ritas_deal(world)
    rita.sales.transition(deal, "qualified")
    happened(world, "Rita's move", "sales", rita, deal, rita.sales.last_response)
    client = add_client(world, ravi)
    happened(world, "Ravi's client", "sales", ravi, client.id, ravi.sales.last_response)
    happened(world, "Ravi's refused look", "sales", ravi, deal, ravi.tries_to(ravi.sales.get_deal, deal))


SEARCH_MEMBERS = {"action": "action", "person": "actor_id", "record": "resource_id", "outcome": "outcome"}


def search_trail(world: World, reader: Actor, rows: Iterable[Mapping[str, str]]) -> list[Search]:
    """Each search of the table, made by the server; the events each must and must not hold."""
    whole = tuple(trail(world, "sales", reader))
    searches = []
    for row in rows:
        member = SEARCH_MEMBERS[row["by"]]
        value = _search_value(world, row["by"], row["for"])
        answer = reader.sales.attempt(reader.sales.audit_events, **{member: value, "page_size": 100})
        searches.append(Search(f"searching by {row['by']} for {row['for']}", member, value, answer,
                               happening(world, row["finds"]).request_ids,
                               happening(world, row["leaves out"]).request_ids, whole))
    return world.mention(SEARCHES, searches)


def _search_value(world: World, by: str, words: str) -> str:
    if by == "person":
        return world.person(words).own_id()
    if by == "record":
        return world.mentions.read(RECORD_NAMES, {})[words]
    return words


# -- who reads trails, and what nobody may do to them --------------------------------------------------------
TRAIL_ASKED: Note[Batch] = Note("trails asked for")


def ask_for_trails(world: World, names: Iterable[str]) -> Batch:
    """Each person asks every service for its trail (the first page, as a reader would see it)."""
    batch = Batch()
    for name in names:
        who = world.person(name)
        for service in SERVICES:
            listing = next(listing for listing in listings_of(service) if listing.trail)
            batch.add(f"{who.name} on {service}", raw(world, who, service).read_list(listing))
    return world.mention(TRAIL_ASKED, batch)


def trail_answers_of(world: World, names: Iterable[str]) -> dict[str, httpx.Response]:
    """The answers the people named got when they asked for the trails."""
    asked = world.mentions.read(TRAIL_ASKED).answers
    people = {world.person(name).name for name in names}
    return {label: answer for label, answer in asked.items() if label.split(" on ")[0] in people}


def fill_trails(world: World, admin: Actor) -> None:
    """Events of the company's own in every service: a client in sales, a dataset in anomaly detection."""
    add_client(world, admin)
    admin.anomaly.create_dataset("Night shift", columns=["temperature"], rows=[[21.5], [22.0]])


def tamper_with_trails(world: World, admin: Actor) -> Batch:
    """`admin` tries to change and erase each trail and its first event; the trails as they were before."""
    before = {service: trail(world, service, admin) for service in SERVICES}
    world.mention(TRAILS_BEFORE, before)
    batch = Batch()
    for service in SERVICES:
        driver = raw(world, admin, service)
        if not before[service]:
            raise AssertionError(f"{service}'s trail holds no events to tamper with")
        for method in TAMPERING:
            batch.add(f"{method} {service}'s trail", driver.tamper_with_trail(method), is_problem("method-not-allowed"))
            # an event's own address is not in the contract: where it is not a place at all, it is not found
            first = before[service][0]["id"]
            batch.add(f"{method} an event of {service}'s trail", driver.tamper_with_trail(method, first),
                      OneOf(is_problem("method-not-allowed"), is_problem("not-found")))
    return world.mention(SENT, batch)


def vanished_events(world: World, admin: Actor) -> list[str]:
    """The events of the trails before tampering that are no longer there, or no longer the same."""
    gone = []
    for service, events in world.mentions.read(TRAILS_BEFORE).items():
        now = trail(world, service, admin)
        gone += [f"{service}: {event} is gone or changed" for event in events if event not in now]
    return gone
