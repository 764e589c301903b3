"""What people do in the operations scenarios (contract §1 conventions, §3 rate limits, §6 health).

The features name requests in business words ("a change of her deal"); `support.drivers.raw` knows
how each is sent, this module knows who sends it and which records it needs, sets those up with the
business drivers, sends whole tables of requests, and hands the answers back by label ("Rita: a change
of her deal") for the matchers of `support.matchers.conventions` to judge all at once. Audit trails
live in `support.tasks.operations_audit`, floods of requests in `support.tasks.operations_flood`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from support.drivers.raw import (
    FORMS,
    LARGE_LIMIT,
    ORDINARY_LIMIT,
    PLACES,
    SIZE_MARGIN,
    Form,
    Listing,
    RawDriver,
    awkward_requests,
    listings_of,
    marked,
    payload,
    raw_driver,
)
from support.http.client import describe
from support.http.polling import NotYet, eventually
from support.matchers.answers import AnswerMatcher, json_object, reports_broken_rules
from support.matchers.conventions import Accepted, ListRead, ServedPage, TellsName
from support.runner.faults import crash, managed
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World

SERVICES = ("identity", "sales", "anomaly")
# Who works with each service in these scenarios, and who of the cast may not use it at all.
WORKER = {"identity": "Alice", "sales": "Rita", "anomaly": "Ana"}
OUTSIDER = {"identity": "Rita", "sales": "Ana", "anomaly": "Rita"}
NEW_RECORD = {"identity": "a new user", "sales": "a new client", "anomaly": "a new detector"}
SIZES = {"1 MiB": ORDINARY_LIMIT, "10 MiB": LARGE_LIMIT}
# Values a forger would set for the fields only the platform sets.
FORGED: dict[str, Any] = {
    "id": "0f5e1b34-4c1d-4b8e-9a57-000000000001", "tenant_id": "0f5e1b34-4c1d-4b8e-9a57-000000000002",
    "owner_id": "0f5e1b34-4c1d-4b8e-9a57-000000000003", "created_at": "2020-01-01T00:00:00Z", "stage": "won",
    "version": 7, "paid_amount": "1000.00", "status": "trained", "net_amount": "1.00",
}
PAGE_OUTCOMES = ("refused for its page", "refused for its page size", "served as asked", "served as page 1 of 20")
NOT_CHOSEN = "not chosen"
NOTICE_WITHIN_S = 2.0 + 1.0   # contract §4: notifications within 2 s; + 1 s for the round trips of polling


# -- what the scenario remembers ------------------------------------------------------------------------
@dataclass
class Batch:
    """Answers to a table of requests, by label, and what each should have been (when it depends on the row)."""

    answers: dict[str, httpx.Response] = field(default_factory=dict)
    expected: dict[str, AnswerMatcher] = field(default_factory=dict)

    def add(self, label: str, answer: httpx.Response, expected: AnswerMatcher | None = None) -> None:
        self.answers[label] = answer
        if expected is not None:
            self.expected[label] = expected


RECORDS: Note[dict[str, str]] = Note("records for requests")       # an actor's records, by kind
SENT: Note[Batch] = Note("answers")
OVER: Note[Batch] = Note("answers just over the limit")
LISTS_READ: Note[list[ListRead]] = Note("lists read")
MADE: Note[dict[str, list[str]]] = Note("records made for lists")   # listing words -> ids in creation order
PAIRS: Note[dict[str, tuple[Any, Any]]] = Note("ids of records made in pairs")
MOMENTS: Note[dict[str, Any]] = Note("recorded moments")
FOREIGN: Note[list[str]] = Note("another company's data")
FOREIGN_IDS: Note[dict[str, str]] = Note("another company's records")
METRICS_AFTER: Note[str] = Note("metrics read after")
PAGES: Note[list[Any]] = Note("pages of clients")
DEAL_MADE: Note[Any] = Note("deal as it was made")
METRICS_BEFORE: Note[str] = Note("metrics noted before")
DRIVERS: Note[dict[tuple[str, str], RawDriver]] = Note("raw drivers")


def table_rows(table: Iterable[Any]) -> list[dict[str, str]]:
    """The rows of a Gherkin table as dicts (heading -> cell)."""
    return [dict(row.as_dict()) for row in table]


def check_service(service: str) -> str:
    if service not in SERVICES:
        raise AssertionError(f"there is no {service} service (known: {', '.join(SERVICES)})")
    return service


def form_of(words: str) -> Form:
    if words not in FORMS:
        raise AssertionError(f"no request is known as {words!r} (known: {', '.join(FORMS)})")
    return FORMS[words]


# -- drivers and the records requests name -------------------------------------------------------------
def raw(world: World, who: Actor | None, service: str) -> RawDriver:
    """`who`'s raw driver for `service` (None: nobody signed in), made once per scenario and closed with it."""
    drivers = world.mentions.read(DRIVERS, {})
    key = (who.name if who else "", service)
    if key not in drivers:
        drivers[key] = raw_driver(world.config, service, token=who.access_token if who else None,
                                  tenant_slug=who.tenant.slug if who else "")
        world.on_close(drivers[key].close)
        world.mention(DRIVERS, drivers)
    return drivers[key]


def records_for(world: World, actor: Actor, needs: Iterable[str]) -> dict[str, str]:
    """The ids of the records `needs` names, made by `actor` (a colleague: by the tenant's admin) when missing."""
    if not actor.knows(RECORDS):
        actor.remember(RECORDS, {})
    records = actor.recall(RECORDS)
    for kind in needs:
        if kind not in records:
            records[kind] = _make(world, actor, kind)
    return records


def _make(world: World, actor: Actor, kind: str) -> str:
    if kind == "user":
        return colleague(world, actor, "Nina Novak").id
    if kind == "client":
        return add_client(world, actor).id
    if kind == "deal":
        client = records_for(world, actor, ("client",))["client"]
        deal = actor.sales.create_deal(client_id=client, title="Forklift fleet", amount="1000.00")
        return actor.remember(DEAL_MADE, deal).id
    if kind == "dataset":
        return actor.anomaly.create_dataset("Shift temperatures", columns=["temperature"],
                                            rows=[[21.5], [22.0], [21.8], [21.6], [35.0]]).id
    if kind == "detector":
        return actor.anomaly.create_detector("Shift watch", algorithm="robust_zscore", features=["temperature"]).id
    if kind in ("trained", "job"):
        found = records_for(world, actor, ("detector", "dataset"))
        started = actor.anomaly.start_training(found["detector"], found["dataset"])
        if kind == "job":
            return started.job_id
        actor.anomaly.wait_for_job(started.job_id)
        return found["detector"]
    raise AssertionError(f"no record of the kind {kind!r} can be made for a request")


def colleague(world: World, actor: Actor, name: str) -> Any:
    """A colleague outside the cast, added by the admin of `actor`'s tenant."""
    admin = world.admin_of(actor.tenant.name)
    email = f"{name.split()[0].lower()}.{uuid.uuid4().hex[:8]}@{actor.tenant.slug}.example.com"
    return admin.identity.create_user(email=email, name=name, password=world.build.password(avoid="nina").reveal(),
                                      roles=["analyst"])


def add_client(world: World, actor: Actor, name: str | None = None) -> Any:
    draft = world.build.client(name)
    return actor.sales.create_client(name=draft.name, email=draft.email, country=draft.country)


def _sender(world: World, row: Mapping[str, str]) -> tuple[Actor, Form, RawDriver, dict[str, str]]:
    who, form = world.person(row["who"]), form_of(row["request"])
    refs = records_for(world, who, form.needs)
    return who, form, raw(world, who, form.service), refs


def _label(row: Mapping[str, str], *extra: str) -> str:
    return " ".join([f"{row['who']}: {row['request']}", *extra])


# -- tables of requests -----------------------------------------------------------------------------------
def send_as_plain_text(world: World, rows: Iterable[Mapping[str, str]]) -> Batch:
    batch = Batch()
    for row in rows:
        _, form, driver, refs = _sender(world, row)
        batch.add(_label(row), driver.make_as_plain_text(form, refs))
    return world.mention(SENT, batch)


def send_broken_off(world: World, rows: Iterable[Mapping[str, str]]) -> Batch:
    batch = Batch()
    for row in rows:
        _, form, driver, refs = _sender(world, row)
        batch.add(_label(row), driver.make_broken_off(form, refs))
    return world.mention(SENT, batch)


def send_with_field(world: World, rows: Iterable[Mapping[str, str]], field: str | None = None) -> Batch:
    """Each request with one field added: `field` (an unknown one), else the row's field only the platform sets."""
    batch = Batch()
    for row in rows:
        _, form, driver, refs = _sender(world, row)
        name = field or row["field"]
        code = "unknown_field" if field else "read_only_field"
        batch.add(_label(row, f"with {name}"), driver.make_with(form, refs, {name: FORGED.get(name, "Nicky")}),
                  reports_broken_rules({name: code}))
    return world.mention(SENT, batch)


def send_two_wrong_fields(world: World, who: Actor, service: str, first: str, second: str) -> Batch:
    form = FORMS[NEW_RECORD[check_service(service)]]
    answer = raw(world, who, service).make_with(form, {}, {first: "Nicky", second: FORGED[second]})
    batch = Batch()
    batch.add(f"{who.name}: {form.words} with {first} and {second}", answer,
              reports_broken_rules({first: "unknown_field", second: "read_only_field"}))
    return world.mention(SENT, batch)


def send_around(world: World, rows: Iterable[Mapping[str, str]], limit: str) -> tuple[Batch, Batch]:
    """Each request at `limit` + SIZE_MARGIN bytes of whole body (over), then at `limit` - SIZE_MARGIN (under)."""
    size = SIZES[limit]
    over, under = Batch(), Batch()
    for row in rows:
        _, form, driver, refs = _sender(world, row)
        over.add(_label(row, "just over"), driver.make(form, refs, size=size + SIZE_MARGIN))
        sent = payload(form, refs, size=size - SIZE_MARGIN)
        under.add(_label(row, "just under"), driver.send_payload(form, refs, sent),
                  Accepted(form.success, rows=sent.rows))
    world.mention(OVER, over)
    return over, world.mention(SENT, under)


def ask_for_unknown_places(world: World, people: Iterable[str]) -> Batch:
    batch = Batch()
    for name in people:
        who = world.person(name)
        service = next(service for service, worker in WORKER.items() if worker == who.name)
        batch.add(f"{who.name} on {service}", raw(world, who, service).visit_unknown_place())
    return world.mention(SENT, batch)


def try_actions(world: World, rows: Iterable[Mapping[str, str]]) -> Batch:
    batch = Batch()
    for row in rows:
        who, words = world.person(row["who"]), row["action"]
        if words not in PLACES:
            raise AssertionError(f"no action is known as {words!r} (known: {', '.join(PLACES)})")
        place = PLACES[words]
        refs = records_for(world, who, place.needs)
        batch.add(f"{who.name}: {words}", raw(world, who, place.service).try_action(place, refs))
    return world.mention(SENT, batch)


# -- every kind of request, for the headers every answer carries ----------------------------------------
def every_kind_of_request(world: World, reference: Callable[[], str | None] | None = None) -> Batch:
    """Successes, refusals of every kind and the health, metrics and description of every service.

    `reference` marks each request (None: the suite's own reference; a function returning None: no
    reference at all). Identity is also asked for its keys; when references are checked, it also refuses
    sign-ins until it says to wait (the headers of other 429s are checked by the flood scenarios).
    Each kind must get the answer it stands for (a 403 for a record one may not make, ...), or the
    headers of that kind of answer would go unchecked: the set-up fails with the answers it got.
    """
    batch, odd = Batch(), []
    for service in SERVICES:
        for kind, (status, send) in _kinds_of_request(world, service, with_lockout=reference is not None).items():
            answer = send(marked(reference()) if reference else {})
            batch.add(f"{service}: {kind}", answer)
            if answer.status_code != status:
                odd.append(f"{service}: {kind} was meant to be answered {status}: {describe(answer)}")
    if odd:
        raise AssertionError("Could not make every kind of answer:\n  " + "\n  ".join(odd))
    return world.mention(SENT, batch)


Send = Callable[[dict[str, Any]], httpx.Response]


def _kinds_of_request(world: World, service: str, with_lockout: bool) -> dict[str, tuple[int, Send]]:
    worker, outsider = world.person(WORKER[service]), world.person(OUTSIDER[service])
    own, other, nobody = raw(world, worker, service), raw(world, outsider, service), raw(world, None, service)
    form, place = FORMS[NEW_RECORD[service]], next(p for p in PLACES.values() if p.service == service)
    kinds: dict[str, tuple[int, Send]] = {
        "a list": (200, lambda mark: own.read_list(**mark)),
        "a new record": (form.success, lambda mark: own.make(form, {}, **mark)),
        "no pass": (401, lambda mark: nobody.read_list(**mark)),
        "a forged pass": (401, lambda mark: nobody.read_list(**mark, Authorization="Bearer forged.pass.token")),
        "a record it may not make": (403, lambda mark: other.make(form, {}, **mark)),
        "an unknown place": (404, lambda mark: own.visit_unknown_place(**mark)),
        "an action the place does not offer": (405, lambda mark: own.try_action(place, {}, **mark)),
        "a request too large": (413, lambda mark: own.make(form, {}, size=ORDINARY_LIMIT + SIZE_MARGIN, **mark)),
        "plain text": (415, lambda mark: own.make_as_plain_text(form, {}, **mark)),
        "a page size of 0": (422, lambda mark: own.read_list(page_size=0, **mark)),
        "liveness": (200, lambda mark: nobody.health("live", **mark)),
        "readiness": (200, lambda mark: nobody.health("ready", **mark)),
        "metrics": (200, lambda mark: nobody.metrics(**mark)),
        "the interface description": (200, lambda mark: nobody.interface(**mark)),
    }
    if service == "identity":
        kinds["the published keys"] = (200, lambda mark: nobody.published_keys(**mark))
    if service == "identity" and with_lockout:
        email = f"nobody.{uuid.uuid4().hex[:8]}@example.com"
        for attempt in range(1, 7):  # the sixth is told to wait (contract §3: after 5 failed sign-ins)
            kinds[f"failed sign-in {attempt}"] = (401 if attempt < 6 else 429, lambda mark: nobody.sign_in(
                worker.tenant.slug, email, "not the right one at all", **mark))
    return kinds


def fresh_reference() -> str:
    return f"ops-{uuid.uuid4().hex}"


# -- ids, moments and names ----------------------------------------------------------------------------
def make_pairs(world: World, admin: Actor, rep: Actor, analyst: Actor) -> dict[str, tuple[Any, Any]]:
    """Two records of every kind, one right after the other, in every service: their ids."""
    users = [colleague(world, admin, "Nina Novak").id for _ in range(2)]
    clients = [add_client(world, rep).id for _ in range(2)]
    deals = [rep.sales.create_deal(client_id=client, title="Forklift fleet", amount="1000.00").id for client in clients]
    datasets = [analyst.anomaly.create_dataset("Shift temperatures", columns=["temperature"],
                                               rows=[[21.5], [22.0]]).id for _ in range(2)]
    detectors = [analyst.anomaly.create_detector("Shift watch", algorithm="robust_zscore",
                                                 features=["temperature"]).id for _ in range(2)]
    pairs = {"users": users, "clients": clients, "deals": deals, "datasets": datasets, "detectors": detectors}
    return world.mention(PAIRS, {kind: (ids[0], ids[1]) for kind, ids in pairs.items()})


def make_one_of_each(world: World, admin: Actor, rep: Actor, analyst: Actor) -> dict[str, Any]:
    """A record of every kind in every service: the moments each tells."""
    tenant = admin.identity.current_tenant()
    user = colleague(world, admin, "Nina Novak")
    client = add_client(world, rep)
    deal = rep.sales.create_deal(client_id=client.id, title="Forklift fleet", amount="1000.00")
    dataset = analyst.anomaly.create_dataset("Shift temperatures", columns=["temperature"], rows=[[21.5], [22.0]])
    detector = analyst.anomaly.create_detector("Shift watch", algorithm="robust_zscore", features=["temperature"])
    moments = {"Acme's created_at": tenant.created_at, "the colleague's created_at": user.created_at,
               "the client's created_at": client.created_at, "the client's updated_at": client.updated_at,
               "the deal's created_at": deal.created_at, "the deal's updated_at": deal.updated_at,
               "the dataset's created_at": dataset.created_at, "the detector's created_at": detector.created_at}
    return world.mention(MOMENTS, moments)


def name_in_scripts(world: World, admin: Actor, rep: Actor, analyst: Actor, names: Mapping[str, str]) -> Batch:
    """Records named in several scripts: the answers that made them and the answers reading them back.

    The answers are judged as they came (a record that cannot even be read back is judged on its making).
    """
    draft = world.build.client()
    calls = {
        "colleague": (admin.identity, admin.identity.create_user, admin.identity.get_user, dict(
            email=f"zoe.{uuid.uuid4().hex[:8]}@{admin.tenant.slug}.example.com", name=names["colleague"],
            password=world.build.password().reveal(), roles=["analyst"])),
        "client": (rep.sales, rep.sales.create_client, rep.sales.get_client,
                   dict(name=names["client"], email=draft.email, country=draft.country)),
        "dataset": (analyst.anomaly, analyst.anomaly.create_dataset, analyst.anomaly.get_dataset,
                    dict(name=names["dataset"], columns=["temperature"], rows=[[21.5], [22.0]])),
    }
    batch = Batch()
    for kind, (driver, make, read, values) in calls.items():
        made = driver.attempt(make, **values)
        batch.add(f"the new {kind}", made, TellsName(names[kind]))
        if isinstance(made_id := json_object(made).get("id"), str):
            batch.add(f"the {kind} read back", driver.attempt(read, made_id), TellsName(names[kind]))
    return world.mention(SENT, batch)


def interface_description(world: World, service: str) -> Batch:
    return world.mention(SENT, Batch({service: raw(world, None, check_service(service)).interface()}))


# -- refusals that must not show anything --------------------------------------------------------------------
def keep_foreign_records(world: World, admin: Actor) -> dict[str, str]:
    """Records of `admin`'s company whose names, emails and ids no other company may ever see."""
    client = admin.sales.create_client(name="Globex Quartz Holdings", email="vault@globex-quartz.example.com",
                                       country="US")
    user = admin.identity.create_user(email=f"gloria.quartz@{admin.tenant.slug}.example.com", name="Gloria Quartz",
                                      password=world.build.password().reveal(), roles=["analyst"])
    dataset = admin.anomaly.create_dataset("Globex furnace ledger", columns=["heat"], rows=[[1.0], [2.0]])
    world.mention(FOREIGN, ["Globex Quartz Holdings", "vault@globex-quartz.example.com", "Gloria Quartz",
                            user.email, "Globex furnace ledger", admin.tenant.id, admin.own_id()])
    return world.mention(FOREIGN_IDS, {"client": client.id, "user": user.id, "dataset": dataset.id})


def send_awkward_requests(world: World, people: Iterable[str]) -> Batch:
    """Each person's awkward requests to their service, naming another company's records where they can."""
    foreign, batch = world.mentions.read(FOREIGN_IDS), Batch()
    for name in people:
        who = world.person(name)
        service = next(service for service, worker in WORKER.items() if worker == who.name)
        for label, answer in awkward_requests(raw(world, who, service), own_email=who.email, foreign=foreign):
            batch.add(f"{service}: {label}", answer)
    return world.mention(SENT, batch)


# -- lists ---------------------------------------------------------------------------------------------------
def reader_of(world: World, listing: Listing, worker: Actor) -> Actor:
    """Who reads `listing`: the tenant's admin reads a trail, the worker every other list."""
    return world.admin_of(worker.tenant.name) if listing.trail else worker


def make_for_lists(world: World, worker: Actor, service: str, count: int) -> dict[str, list[str]]:
    """`count` records of every kind `service` lists, made one after the other; their ids by list."""
    made: dict[str, list[str]] = {}
    if service == "identity":
        made["people"] = [colleague(world, worker, f"Nina Novak {index}").id for index in range(count)]
    elif service == "sales":
        made["clients"] = [add_client(world, worker).id for _ in range(count)]
        made["deals"] = [worker.sales.create_deal(client_id=made["clients"][0], title=f"Forklift fleet {index}",
                                                  amount="1000.00").id for index in range(count)]
        records_for(world, worker, ())["deal"] = made["deals"][0]
        worker.sales.advance(made["deals"][0], "won")
        payer = world.admin_of(worker.tenant.name)
        made["payments of a deal"] = [payer.sales.record_payment(made["deals"][0], "100.00").id for _ in range(count)]
        _await_notifications(worker, count + 1)
    else:
        made["datasets"] = [worker.anomaly.create_dataset(f"Shift {index}", columns=["temperature"],
                                                          rows=[[21.5], [22.0]]).id for index in range(count)]
        made["detectors"] = [worker.anomaly.create_detector(f"Shift watch {index}", algorithm="robust_zscore",
                                                            features=["temperature"]).id for index in range(count)]
    return world.mention(MADE, made)


def _await_notifications(actor: Actor, count: int) -> None:
    def arrived() -> None:
        total = actor.sales.notifications(page_size=1).total
        if not isinstance(total, int) or total < count:
            raise NotYet(f"{actor.name} has {total} notifications, not yet {count}")

    eventually(arrived, within=NOTICE_WITHIN_S, awaiting=f"{count} notifications for {actor.name}")


def read_every_list(world: World, worker: Actor, service: str, size: int) -> list[ListRead]:
    """Every list of `service`, page by page of `size` and whole, as its reader sees it."""
    made = world.mentions.read(MADE, {})
    reads = []
    for listing in listings_of(check_service(service)):
        reader = reader_of(world, listing, worker)
        driver, refs = raw(world, reader, service), records_for(world, worker, listing.needs)
        whole = _whole(driver, listing, refs)
        pages = [driver.read_list(listing, refs, page=number, page_size=size)
                 for number in range(1, max(-(-len(whole) // size), 1) + 1)]
        reads.append(ListRead(listing.words, size, pages, whole, made.get(listing.words, []), listing.moment,
                              at_least=len(made.get(listing.words, [])) or 3))
    return world.mention(LISTS_READ, reads)


def _whole(driver: RawDriver, listing: Listing, refs: Mapping[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for number in range(1, 100):
        answer = driver.read_list(listing, refs, page=number, page_size=100)
        body = answer.json() if answer.status_code == 200 else {}
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise AssertionError(f"Could not read the {listing.words} whole: {driver.evidence()}")
        items += [item for item in body["items"] if isinstance(item, dict)]
        if not body["items"] or len(items) >= int(body.get("total") or 0):
            return items
    raise AssertionError(f"the {listing.words} never end: {driver.evidence()}")


def ask_every_list(world: World, worker: Actor, service: str, rows: Iterable[Mapping[str, str]]) -> Batch:
    """Each page request of the table, of every list of `service`, and what each should be answered."""
    batch = Batch()
    for listing in listings_of(check_service(service)):
        driver = raw(world, reader_of(world, listing, worker), service)
        refs = records_for(world, worker, listing.needs)
        for row in rows:
            page, size = (None if row[key] == NOT_CHOSEN else int(row[key]) for key in ("page", "size"))
            batch.add(f"{listing.words}, page {row['page']} of {row['size']}",
                      driver.read_list(listing, refs, page=page, page_size=size),
                      page_outcome(row["outcome"], page or 1, size or 20))
    return world.mention(SENT, batch)


def page_outcome(outcome: str, page: int, size: int) -> AnswerMatcher:
    if outcome == "refused for its page":
        return reports_broken_rules({"page": None})
    if outcome == "refused for its page size":
        return reports_broken_rules({"page_size": None})
    if outcome == "served as asked":
        return ServedPage(page, size)
    if outcome == "served as page 1 of 20":
        return ServedPage(1, 20)
    raise AssertionError(f"unknown outcome {outcome!r} (known: {', '.join(PAGE_OUTCOMES)})")


# -- metrics ---------------------------------------------------------------------------------------------
def note_metrics(world: World, service: str, note: Note[str] = METRICS_BEFORE) -> str:
    driver = raw(world, None, check_service(service))
    answer = driver.metrics()
    if answer.status_code != 200:
        raise AssertionError(f"Could not read the metrics of {service}: {driver.evidence()}")
    return world.mention(note, answer.text)


def read_and_refuse(world: World, who: Actor, service: str, reads: int, refusals: int) -> Batch:
    """`reads` reads of the service's first list and `refusals` requests of its page 0."""
    driver, batch = raw(world, who, check_service(service)), Batch()
    for number in range(1, reads + 1):
        batch.add(f"read {number}", driver.read_list(), ServedPage(1, 20))
    for number in range(1, refusals + 1):
        batch.add(f"page 0, asked {number}", driver.read_list(page=0), reports_broken_rules({"page": None}))
    return world.mention(SENT, batch)


def every_metrics(world: World) -> Batch:
    return world.mention(SENT, Batch({service: raw(world, None, service).metrics() for service in SERVICES}))


# -- health ------------------------------------------------------------------------------------------------
CHECKED: Note[str] = Note("service checked")


def health(world: World, service: str, which: str) -> httpx.Response:
    return raw(world, None, check_service(service)).health(which)


# -- resilience: what was confirmed just before a crash -------------------------------------------------------
CONFIRMED: Note[Any] = Note("record confirmed before the crash")


def confirm_then_crash(world: World, who: Actor, kind: str, name: str, service: str) -> Any:
    """`who`'s new client or dataset called `name`, confirmed; then `service` is killed (and later restarted)."""
    managed(world)
    if kind == "client":
        record = add_client(world, who, name)
    else:
        rows = [[20.0 + index / 10, index % 3] for index in range(50)]
        record = who.anomaly.create_dataset(name, columns=["temperature", "line"], rows=rows)
    who.remember(CONFIRMED, record)
    crash(world, service)
    return record


KEPT = ("name", "email", "country", "row_count", "columns")


def still_there(who: Actor, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The details `who` had confirmed before the crash (under `name`), and the same details as told now."""
    before = who.recall(CONFIRMED)
    if before.name != name:
        raise AssertionError(f"{who.name}'s confirmed record is called {before.name!r}, not {name!r}")
    now = who.sales.get_client(before.id) if "country" in before else who.anomaly.get_dataset(before.id)
    return ({key: before.body[key] for key in KEPT if key in before.body},
            {key: now.body.get(key) for key in KEPT if key in before.body})


def deal_as_made(world: World, who: Actor) -> tuple[dict[str, Any], dict[str, Any]]:
    """`who`'s deal as it was made and as it is now: stage, version, money and owner."""
    made = who.recall(DEAL_MADE)
    now = who.sales.get_deal(made.id)
    members = ("stage", "version", "amount", "net_amount", "paid_amount", "payment_status", "owner_id", "title")
    return {key: made.body.get(key) for key in members}, {key: now.body.get(key) for key in members}


def labelled(answers: Iterable[httpx.Response]) -> dict[str, httpx.Response]:
    """Answers by a label naming each request."""
    return {f"attempt {number}: {answer.request.method} {answer.request.url.path}": answer
            for number, answer in enumerate(answers, start=1)}
