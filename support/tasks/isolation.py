"""Tenant isolation (contract §2): another tenant's record answers exactly like one that never existed.

`KINDS` is the table of the records a tenant owns: whose work each is, how it is made, and what its
owner reads to see that it is just as it was. A `Stock` makes them on first need, once per scenario
(shared), anew (fresh), or as a person's own (oneself, one's notifications). The engine tries every
capability of the catalogue (`support.tasks.capabilities`) that names a record of the kind, with the
other tenant's real id and with an id that never existed, and keeps both answers for the matchers:
in the address the two must be the same 404 `not-found`; named in a body the same 422
`unknown_reference`; in a query filter the same answer. Covering a new kind of record is one entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from hamcrest import all_of
from hamcrest.core.matcher import Matcher

from support.data.builders import ghost_id_like
from support.drivers.records import Body, Client, Page
from support.http.polling import NotYet, eventually
from support.matchers.answers import answered_2xx, breaks_rules, is_problem, mismatch, never_existed_like
from support.screenplay.actor import Actor
from support.screenplay.cast import CAST, tenant_profile
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks.capabilities import (
    FEATURES,
    LABEL,
    PASSPHRASE,
    ROUND_TRIP_ALLOWANCE_S,
    WITHIN_S,
    Capability,
    Ids,
    acting_on,
    attempt,
    capability,
    filtering_by,
    listings,
    naming,
)

HOME, OTHER = "Acme", "Globex"  # the tenant whose records are at stake, and the one that reaches for them
DEAL_AMOUNT = "12000.00"
SALES_ROLES = frozenset({"admin", "sales_manager", "sales_rep"})
TENANT_ROLES = frozenset({*SALES_ROLES, "analyst", "auditor"})
Maker = Callable[[World, Actor], str]
Telling = Callable[[Actor, str], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    words: str
    maker: str  # the role whose work it is; the tenant's admin stands in where nobody has it
    make: Maker
    telling: Telling
    is_a: str | None = None  # a trained detector is a detector: the detector's capabilities apply too
    personal: frozenset[str] = frozenset()  # roles whose own record it is (one's notifications, oneself)

    @property
    def family(self) -> tuple[str, ...]:
        return (self.words,) if self.is_a is None else (self.words, self.is_a)


@dataclass(frozen=True)
class Made:
    kind: str
    id: str
    owner: Actor
    before: dict[str, Any] = field(default_factory=dict)


def pick(record: Body, *keys: str) -> dict[str, Any]:
    return {key: record.get(key) for key in keys}


def small_table(rows: int = 24) -> tuple[list[str], list[list[Any]]]:
    """A tiny numeric table with a 0/1 label column (the last row is the odd one out)."""
    table: list[list[Any]] = [[float(i % 5), float((i * 3) % 7), 0] for i in range(rows - 1)]
    table.append([40.0, 40.0, 1])
    return [*FEATURES, LABEL], table


# -- makers ----------------------------------------------------------------------------------------
def _client(world: World, owner: Actor, *, owner_id: str | None = None) -> str:
    return owner.sales.create_client(**vars(world.build.client()), owner_id=owner_id).id


def _deal(world: World, owner: Actor, *, discount: str | None = None, owner_id: str | None = None) -> str:
    client = _client(world, owner, owner_id=owner_id)
    return owner.sales.create_deal(client_id=client, title=world.build.deal_title(), amount=DEAL_AMOUNT,
                                   discount_percent=discount).id


def _won_deal(world: World, owner: Actor, *, owner_id: str | None = None) -> str:
    deal = _deal(world, owner, owner_id=owner_id)
    owner.sales.advance(deal, "won")
    return deal


def _notification(world: World, owner: Actor) -> str:
    """The owner wins a deal of its own; the `deal_won` notice it gets (within 2 s of the event)."""
    deal = _won_deal(world, owner)

    def notice() -> str:
        found = [item.id for item in owner.sales.notifications(page_size=100).items
                 if item.deal_id == deal and item.type == "deal_won"]
        if not found:
            raise NotYet(f"{owner.name} has no deal_won notice for deal {deal} yet")
        return found[0]

    return eventually(notice, within=WITHIN_S + ROUND_TRIP_ALLOWANCE_S, awaiting=f"{owner.name}'s deal_won notice")


def _dataset(world: World, owner: Actor) -> str:
    columns, rows = small_table()
    return owner.anomaly.create_dataset("Line 3 pressure", columns=columns, rows=rows).id


def _detector(world: World, owner: Actor) -> str:
    return owner.anomaly.create_detector("Line 3 watch", algorithm="robust_zscore", features=list(FEATURES)).id


TRAINING: Note[tuple[str, str]] = Note("trained detector and its training job")


def _training(world: World, owner: Actor) -> tuple[str, str]:
    """A detector trained on a dataset of the owner's: (detector id, job id); one training per owner."""
    if not owner.knows(TRAINING):
        dataset, detector = _dataset(world, owner), _detector(world, owner)
        job = owner.anomaly.wait_for_job(owner.anomaly.start_training(detector, dataset).job_id)
        if job.status != "succeeded":
            raise AssertionError(f"training detector {detector} ended {job.status}: {job.error}")
        owner.remember(TRAINING, (detector, job.id))
    return owner.recall(TRAINING)


def _colleague(world: World, admin: Actor) -> str:
    """A sales rep the admin adds, who owns a client and a won deal with a payment on it."""
    email = f"nina-{uuid.uuid4().hex[:8]}@{admin.tenant.slug}.example.com"
    person = admin.identity.create_user(email=email, name="Nina Novak", password=PASSPHRASE, roles=["sales_rep"]).id
    admin.sales.record_payment(_won_deal(world, admin, owner_id=person), "100.00")
    return person


def _notice_state(owner: Actor, notification_id: str) -> dict[str, Any]:
    found = [item for item in owner.sales.notifications(page_size=100).items if item.id == notification_id]
    return {"read": found[0].read if found else "no longer listed"}


def _deal_state(owner: Actor, deal_id: str) -> dict[str, Any]:
    return pick(owner.sales.get_deal(deal_id), "title", "stage", "approval", "version", "paid_amount")


def _payments_state(owner: Actor, deal_id: str) -> dict[str, Any]:
    return {**_deal_state(owner, deal_id), "payments": owner.sales.list_payments(deal_id).total}


def _person_state(owner: Actor, user_id: str) -> dict[str, Any]:
    return pick(owner.identity.get_user(user_id), "name", "roles", "active")


def catalogue(*kinds: Kind) -> dict[str, Kind]:
    return {kind.words: kind for kind in kinds}


KINDS: dict[str, Kind] = catalogue(
    Kind("client", "sales_rep", _client,
         lambda a, i: pick(a.sales.get_client(i), "name", "email", "country", "owner_id")),
    Kind("deal", "sales_rep", _deal, _deal_state),
    Kind("deal awaiting approval", "sales_rep", lambda w, a: _deal(w, a, discount="25"), _deal_state, is_a="deal"),
    Kind("won deal", "sales_rep", _won_deal, _payments_state, is_a="deal"),
    Kind("notification", "sales_rep", _notification, _notice_state, personal=SALES_ROLES),
    Kind("dataset", "analyst", _dataset, lambda a, i: pick(a.anomaly.get_dataset(i), "name", "row_count")),
    Kind("detector", "analyst", _detector,
         lambda a, i: pick(a.anomaly.get_detector(i), "name", "status", "version")),
    Kind("trained detector", "analyst", lambda w, a: _training(w, a)[0],
         lambda a, i: pick(a.anomaly.get_detector(i), "name", "status", "version", "training_rows"),
         is_a="detector"),
    Kind("training job", "analyst", lambda w, a: _training(w, a)[1],
         lambda a, i: pick(a.anomaly.job(i), "status", "detector_id", "finished_at")),
    Kind("member of staff", "admin", _colleague, _person_state),
    Kind("oneself", "sales_rep", lambda w, a: a.own_id(), _person_state, personal=TENANT_ROLES),
)


class UnknownKind(AssertionError):
    """A step named a kind of record that no tenant owns."""


def kind(words: str) -> Kind:
    try:
        return KINDS[words]
    except KeyError:
        raise UnknownKind(f"no record is known as '{words}' (known: {', '.join(KINDS)})") from None


def worker(world: World, tenant: str, role: str) -> Actor:
    """The member of the cast at `tenant` whose job has `role`; the tenant's admin where nobody has it."""
    for person in CAST.values():
        if person.tenant == tenant and role in person.roles:
            return world.member(person.first_name)
    return world.member(tenant_profile(tenant).admin)


# -- the stock of one scenario -----------------------------------------------------------------------
class Stock:
    """The records of one scenario, made on first need: shared per tenant, fresh ones, each person's own."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._shared: dict[tuple[str, str], Made] = {}
        self._own: dict[tuple[str, str], Made] = {}
        self.made: list[Made] = []

    def shared(self, words: str, tenant: str = HOME) -> Made:
        if (words, tenant) not in self._shared:
            self._shared[(words, tenant)] = self.fresh(words, tenant)
        return self._shared[(words, tenant)]

    def fresh(self, words: str, tenant: str = HOME) -> Made:
        """A new record of the kind: at home made by whose work it is, elsewhere by that tenant's admin."""
        maker = worker(self.world, tenant, kind(words).maker) if tenant == HOME else self.world.admin_of(tenant)
        return self._make(kind(words), maker)

    def own(self, words: str, actor: Actor | None) -> Made:
        """The actor's own record of a personal kind (when its roles give it one), else the shared one."""
        wanted = kind(words)
        if actor is None or actor.tenant.name != HOME or not wanted.personal & set(actor.persona.roles):
            return self.shared(words)
        if (words, actor.name) not in self._own:
            self._own[(words, actor.name)] = self._make(wanted, actor)
        return self._own[(words, actor.name)]

    def _make(self, wanted: Kind, maker: Actor) -> Made:
        record_id = wanted.make(self.world, maker)
        made = Made(wanted.words, record_id, maker, wanted.telling(maker, record_id))
        self.made.append(made)
        return made

    def home_ids(self) -> set[str]:
        """Every id of the home tenant the scenario made, its own id and its people's."""
        people = {actor.own_id() for actor in self.world.actors.values() if actor.tenant.name == HOME}
        return {made.id for made in self.made if made.owner.tenant.name == HOME} | people | {
            self.world.tenant(HOME).id}


STOCK: Note[Stock] = Note("stock of records")


def stock_of(world: World) -> Stock:
    if not world.mentions.has(STOCK):
        world.mention(STOCK, Stock(world))
    return world.it(STOCK)


def as_it_was(made: Made) -> str | None:
    """None when the owner reads the record just as it was made; else what changed."""
    now = kind(made.kind).telling(made.owner, made.id)
    return None if now == made.before else f"{made.owner.name}'s {made.kind} now reads {now}, not {made.before}"


# -- the engine ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Intrusion:
    """One capability tried on another tenant's record and on one that never existed."""

    capability: Capability
    place: str  # address | body | filter
    answer: httpx.Response
    ghost: httpx.Response

    def expected(self) -> Matcher[Any]:
        alike = never_existed_like(self.ghost)
        if self.place == "address":
            return all_of(is_problem("not-found"), alike)
        if self.place == "body":
            return all_of(breaks_rules({"unknown_reference"}, field=self.capability.field), alike)
        return all_of(answered_2xx(), alike)

    def fault(self) -> str | None:
        why = mismatch(self.expected(), self.answer)
        return None if why is None else f"'{self.capability.words}': {why}"


PLACES: dict[str, Callable[[str], list[Capability]]] = {
    "address": lambda words: acting_on(kind(words).family),
    "body": lambda words: [item for words_ in kind(words).family for item in naming(words_)],
    "filter": lambda words: [item for words_ in kind(words).family for item in filtering_by(words_)],
}


def intrude(stock: Stock, intruder: Actor, made: Made, place: str) -> list[Intrusion]:
    """Every capability that names the record in `place`, by the intruder, for it and for a ghost of it."""
    capabilities = PLACES[place](made.kind)
    if not capabilities:
        raise AssertionError(f"no capability names a {made.kind} in its {place}")
    ghost = ghost_id_like(made.id)
    found = []
    for tried in capabilities:
        own = _own_ids(stock, tried, intruder.tenant.name)
        real_ids, ghost_ids = _with(own, place, made.id), _with(own, place, ghost)
        found.append(Intrusion(tried, place, attempt(tried, intruder, real_ids), attempt(tried, intruder, ghost_ids)))
    return found


def _own_ids(stock: Stock, capability: Capability, tenant: str) -> Ids:
    def of(words: str | None) -> str:
        return stock.shared(words, tenant).id if words else ""

    return Ids(on=of(capability.on), named=of(capability.names), filtered=of(capability.filters))


def _with(ids: Ids, place: str, record_id: str) -> Ids:
    if place == "address":
        return Ids(on=record_id, named=ids.named, filtered=ids.filtered)
    if place == "body":
        return Ids(on=ids.on, named=record_id, filtered=ids.filtered)
    return Ids(on=ids.on, named=ids.named, filtered=record_id)


INTRUSIONS: Note[list[Intrusion]] = Note("intrusions")
LISTED: Note[list[httpx.Response]] = Note("lists looked through")
FOUND: Note[Page[Client]] = Note("clients found")


def intrusion_faults(intrusions: list[Intrusion]) -> list[str]:
    return [fault for fault in (item.fault() for item in intrusions) if fault]


def leaks(answers: list[httpx.Response], ids: set[str]) -> list[str]:
    """The answers whose text shows any of `ids`: one line per answer, naming what leaked."""
    found = []
    for answer in answers:
        leaked = sorted(record_id for record_id in ids if record_id and record_id in answer.text)
        if leaked:
            found.append(f"{answer.request.method} {answer.request.url.path} shows {', '.join(leaked)}")
    return found


def add_client_called(world: World, owner: Actor, name: str) -> Client:
    draft = world.build.client(name)
    return owner.sales.create_client(name=draft.name, email=draft.email, country=draft.country)


def look_through_everything(stock: Stock, intruder: Actor) -> list[httpx.Response]:
    """The intruder's every list, and the payments of a won deal of its own."""
    payments = capability("read a deal's payments")
    answers = [attempt(listing, intruder, Ids()) for listing in listings()]
    return [*answers, attempt(payments, intruder, _own_ids(stock, payments, intruder.tenant.name))]
