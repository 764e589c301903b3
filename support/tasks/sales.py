"""What Acme's sales people do with clients and deals, and what they look at afterwards (contract §4).

Payments and commission are in `sales_payments`, notifications, the pipeline and the audit trail in
`sales_reports`; both build on the deal this module keeps in the scenario's notes.

Only drivers talk HTTP; this module composes their calls into the situations the sales features name
("a deal of 10,000.00 with a 25 % discount at the proposal stage", "Rita tries each of these moves")
and gathers what the Then steps judge. Waiting goes through `support.http.polling.eventually`.

A call made "as a must" raises when the platform refuses it (the scenario cannot go on); an attempt
keeps its answer in the actor's `attempts`, where every "X is refused ..." step judges it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from hamcrest import anything
from hamcrest.core.matcher import Matcher

from support.data.money import Money, parse_money
from support.drivers.records import Client, Deal, Page
from support.drivers.sales import SalesDriver
from support.matchers.money import is_money
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World

T = TypeVar("T")

# -- what the scenario mentions and what each person remembers ------------------------------------
DEAL: Note[Deal] = Note("deal")
CLIENT: Note[Client] = Note("sales client")
DEAL_OWNER: Note[Actor] = Note("owner of the deal")
DEALS: Note[list[Deal]] = Note("deals")
LISTS: Note[tuple[Page[Client], Page[Deal]]] = Note("lists of clients and deals")
SEARCH: Note[Page[Client]] = Note("search result")
UNTOUCHED: Note[Untouched] = Note("records as they were before the attempts")
MOVES: Note[list[TriedMove]] = Note("tried moves")
RACE: Note[list[httpx.Response]] = Note("answers of the race")
VERSION_BEFORE: Note[int] = Note("version before")
CHANGES: Note[list[Change]] = Note("changes made one after another")

# -- the contract's numbers ---------------------------------------------------------------------------
RACE_TIMEOUT_S = 30.0
PLAIN_AMOUNT = "5000.00"
CLIENT_FIELDS = ("id", "tenant_id", "name", "email", "country", "owner_id", "created_at", "updated_at")

# -- words of the features -> the contract's values ---------------------------------------------------
APPROVAL_WORDS = {"not required": "not_required", "pending": "pending", "approved": "approved",
                  "rejected": "rejected"}
PAYMENT_STATUS_WORDS = {"unpaid": "unpaid", "partially paid": "partially_paid", "paid in full": "paid"}


def people(world: World, names: Iterable[str]) -> list[Actor]:
    """The named people (a pronoun means the person in the spotlight)."""
    return [world.person(name) for name in names]


def attempts_of(person: Actor) -> list[httpx.Response]:
    """Every answer to the person's attempts in this scenario (a sentence when there was none)."""
    _ = person.last_answer
    return person.attempts


def api_amount(amount: Money | None) -> str:
    return PLAIN_AMOUNT if amount is None else amount.as_api()


def plain(text: str) -> str:
    """ "2,000.50" -> "2000.50" (as the platform takes it)."""
    return parse_money(text).as_api()


def money_of(world: World, amount: Money) -> Matcher[Any]:
    """The amount as the contract writes it in the currency of the deal's owner's tenant."""
    return is_money(amount.amount, world.it(DEAL_OWNER).tenant.currency)


def percent(text: str) -> str:
    """ "20.01 %" or "20.01" -> "20.01" (the decimal string the platform takes)."""
    return text.replace("%", "").strip()


def rate_of(text: str) -> Decimal:
    """ "7 %" -> Decimal("0.07") """
    return Decimal(percent(text)) / 100


# -- must or attempt ------------------------------------------------------------------------------------
def perform(actor: Actor, must: bool, call: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
    """Make a call that must go through (its answer is returned), or an attempt that may be refused."""
    if must:
        return call(*args, **kwargs)
    actor.tries_to(call, *args, **kwargs)
    return None


# -- clients --------------------------------------------------------------------------------------------
def add_client(world: World, owner: Actor, name: str | None = None, *, email: str | None = None,
               country: str | None = None) -> Client:
    """A new client of `owner`, remembered by the owner and mentioned by the scenario."""
    draft = world.build.client(name)
    client = owner.sales.create_client(name=draft.name, email=email or draft.email, country=country or draft.country)
    owner.remember(CLIENT, client)
    return world.mention(CLIENT, client)


def add_client_for(world: World, adder: Actor, owner: Actor, name: str, *, must: bool) -> None:
    """`adder` adds a client naming `owner` as its owner."""
    draft = world.build.client(name)
    client = perform(adder, must, adder.sales.create_client, name=draft.name, email=draft.email,
                     country=draft.country, owner_id=owner.own_id())
    if client is not None:
        world.mention(CLIENT, owner.remember(CLIENT, client))


def client_with(world: World, owner: Actor, name: str, situation: str | None) -> Client:
    """A client of `owner` with an open deal ("open"), with a lost deal only ("lost"), or (None) without deals."""
    client = add_client(world, owner, name)
    if situation is not None:
        deal = open_deal(world, owner, "1000.00", client=client)
        if situation == "lost":
            keep_deal(world, owner, owner.sales.transition(deal.id, "lost"))
    return client


def try_clients_in(world: World, owner: Actor, countries: Iterable[str]) -> None:
    for country in countries:
        draft = world.build.client()
        owner.tries_to(owner.sales.create_client, name=draft.name, email=draft.email, country=country)


def own_client_called(owner: Actor, name: str) -> Client:
    client = owner.recall(CLIENT)
    if client.name != name:
        raise AssertionError(f"{owner.name}'s client is {client.name}, not {name}")
    return client


def hand_over(giver: Actor, name: str, receiver: Actor) -> None:
    """`giver` tries to make `receiver` the owner of its client called `name`."""
    giver.tries_to(giver.sales.update_client, own_client_called(giver, name).id, owner_id=receiver.own_id())


def rename_client(owner: Actor, name: str) -> None:
    owner.remember(CLIENT, owner.sales.update_client(owner.recall(CLIENT).id, name=name))


def delete_client(owner: Actor, *, must: bool) -> None:
    perform(owner, must, owner.sales.delete_client, owner.recall(CLIENT).id)


def client_now(owner: Actor) -> Client:
    """The owner's client as the owner reads it now."""
    return owner.sales.get_client(owner.recall(CLIENT).id)


def client_expected(owner: Actor, name: str, country: str | None) -> dict[str, Any]:
    """A client of the contract's shape with this name, in `country` (None: the country it was added in)."""
    expected: dict[str, Any] = dict.fromkeys(CLIENT_FIELDS, anything())
    return {**expected, "name": name, "country": country or owner.recall(CLIENT).country,
            "owner_id": owner.own_id(), "tenant_id": owner.tenant.id}


def client_gone(owner: Actor) -> httpx.Response:
    """The answer to reading the owner's deleted client (an observation, not one of the owner's attempts)."""
    return owner.sales.attempt(owner.sales.get_client, owner.recall(CLIENT).id)


def names_in(page: Page[Client]) -> list[str]:
    return [client.name for client in page.items]


def client_names(viewer: Actor) -> list[str]:
    return names_in(viewer.sales.list_clients(page_size=100))


def listing(viewer: Actor, kind: str) -> Page[Any]:
    """The viewer's whole list of "clients" or "deals"."""
    return viewer.sales.list_clients(page_size=100) if kind == "clients" else viewer.sales.list_deals(page_size=100)


# -- deals ----------------------------------------------------------------------------------------------
def keep_deal(world: World, owner: Actor, deal: Deal) -> Deal:
    """The deal becomes the one the scenario talks about; its owner remembers it."""
    world.mention(DEAL_OWNER, owner)
    return world.mention(DEAL, owner.remember(DEAL, deal))


def open_deal(world: World, owner: Actor, amount: str, *, discount: str | None = None, client: Client | None = None,
              title: str | None = None, opener: Actor | None = None) -> Deal:
    """A new deal of `owner` (for a new client of theirs unless one is given), opened by `opener` or the owner."""
    client = client or add_client(world, owner)
    sales = (opener or owner).sales
    deal = sales.create_deal(client_id=client.id, title=title or world.build.deal_title(), amount=amount,
                             discount_percent=discount)
    return keep_deal(world, owner, deal)


def try_deal(world: World, owner: Actor, amount: Any, *, discount: Any = None) -> None:
    """`owner` tries to open a deal for a new client of theirs (the amount and discount sent as given)."""
    client = add_client(world, owner)
    owner.tries_to(owner.sales.create_deal, client_id=client.id, title=world.build.deal_title(), amount=amount,
                   discount_percent=discount)


def open_or_try(world: World, owner: Actor, amount: str, *, discount: str | None, must: bool) -> None:
    if must:
        open_deal(world, owner, amount, discount=discount)
    else:
        try_deal(world, owner, amount, discount=discount)


def open_deal_for_client_of(world: World, opener: Actor, owner: Actor, amount: str) -> Deal:
    """`opener` opens a deal for `owner`'s client: the deal is the owner's, whoever opened it."""
    return open_deal(world, owner, amount, client=owner.recall(CLIENT), opener=opener)


def open_deals(world: World, owner: Actor, amounts: Sequence[str], *, must: bool) -> None:
    if not must:
        for amount in amounts:
            try_deal(world, owner, amount)
        return
    world.mention(DEALS, [open_deal(world, owner, amount) for amount in amounts])


def bring_to(sales: SalesDriver, deal: Deal, stage: str) -> Deal:
    """Walk a deal along the happy path to `stage`, or lose it (from lead) when `stage` is lost."""
    if stage == "lost":
        return sales.transition(deal.id, "lost")
    return sales.advance(deal.id, stage)


def deal_at(world: World, owner: Actor, stage: str, amount: str = PLAIN_AMOUNT, discount: str | None = None) -> Deal:
    deal = open_deal(world, owner, amount, discount=discount)
    return keep_deal(world, owner, bring_to(owner.sales, deal, stage))


def deals_at(world: World, owner: Actor, stages: Iterable[str]) -> list[Deal]:
    return world.mention(DEALS, [deal_at(world, owner, stage) for stage in stages])


def these_deals(world: World, owner: Actor, rows: Iterable[tuple[str, str, str]]) -> list[Deal]:
    """(stage, amount as written, discount as written) for each deal."""
    return world.mention(DEALS, [deal_at(world, owner, stage, plain(amount), percent(discount))
                                 for stage, amount, discount in rows])


def the_deal(world: World) -> Deal:
    return world.it(DEAL)


def deal_now(world: World) -> tuple[Deal, SalesDriver]:
    """The deal mentioned last, as its owner reads it now, and the owner's driver (for the evidence)."""
    owner = world.it(DEAL_OWNER)
    return owner.sales.get_deal(the_deal(world).id), owner.sales


def deals_now(world: World) -> list[tuple[Deal, Deal]]:
    """Each deal mentioned together, as it was and as its owner reads it now."""
    owner = world.it(DEAL_OWNER)
    return [(deal, owner.sales.get_deal(deal.id)) for deal in world.it(DEALS)]


def deal_ids(viewer: Actor) -> list[str]:
    return viewer.sales.list_deals(page_size=100).ids()


def remembered_deal_ids(world: World, *names: str) -> list[str]:
    """The ids of the deals these people remember as their own."""
    return [world.actors[name].recall(DEAL).id for name in names]


def open_in_own_name(world: World, taker: Actor) -> None:
    """`taker` tries to open a deal for the client of the deal, naming itself as the deal's owner."""
    deal = the_deal(world)
    taker.tries_to(taker.sales.create_deal, client_id=deal.client_id, title=world.build.deal_title(),
                   amount="1000.00", owner_id=taker.own_id())


def take_over(world: World, taker: Actor) -> None:
    """`taker` tries to make itself the owner of the deal by an edit."""
    taker.tries_to(taker.sales.update_deal, the_deal(world).id, owner_id=taker.own_id())


def set_threshold(admin: Actor, tenant: str, threshold: str) -> None:
    if admin.tenant.name != tenant:
        raise AssertionError(f"{admin.name} works for {admin.tenant.name}, not {tenant}")
    admin.identity.update_settings(discount_approval_threshold=threshold)


# -- what a rep may try with another rep's things ---------------------------------------------------------
Meddling = Callable[[SalesDriver, Client, Deal], tuple[Callable[..., object], tuple[Any, ...], dict[str, Any]]]
MEDDLING: dict[str, Meddling] = {  # what is tried -> (the driver's call, its arguments, its keyword arguments)
    "rename his client": lambda sales, client, deal: (sales.update_client, (client.id,), {"name": "Taken Over Ltd"}),
    "delete his client": lambda sales, client, deal: (sales.delete_client, (client.id,), {}),
    "rename his deal": lambda sales, client, deal: (sales.update_deal, (deal.id,), {"title": "Taken over"}),
    "move his deal to qualified": lambda sales, client, deal: (sales.transition, (deal.id, "qualified"), {}),
    "move his deal to lost": lambda sales, client, deal: (sales.transition, (deal.id, "lost"), {}),
    "open a deal for his client": lambda sales, client, deal: (
        sales.create_deal, (), {"client_id": client.id, "title": "Taken over", "amount": "1000.00"}),
}


@dataclass(frozen=True)
class Untouched:
    """What the owner's client and deal looked like before the intruder's attempts."""

    owner: Actor
    intruder: Actor
    seen: tuple[Any, ...]


def _observe(owner: Actor, intruder: Actor) -> tuple[Any, ...]:
    client, deal = owner.recall(CLIENT), owner.recall(DEAL)
    return (owner.sales.get_client(client.id).body, owner.sales.get_deal(deal.id).body, deal_ids(owner),
            deal_ids(intruder))


def meddle(world: World, intruder: Actor, owner: Actor, attempts: Iterable[str]) -> None:
    """`intruder` tries each named thing on `owner`'s client and deal, after a note of how they were."""
    world.mention(UNTOUCHED, Untouched(owner, intruder, _observe(owner, intruder)))
    client, deal = owner.recall(CLIENT), owner.recall(DEAL)
    for attempt in attempts:
        if attempt not in MEDDLING:
            raise AssertionError(f'"{attempt}" is not something this suite can try (known: {", ".join(MEDDLING)})')
        call, args, kwargs = MEDDLING[attempt](intruder.sales, client, deal)
        intruder.tries_to(call, *args, **kwargs)


def untouched(world: World) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The owner's client and deal and both people's deals: as noted before the attempts, and now."""
    before = world.it(UNTOUCHED)
    return before.seen, _observe(before.owner, before.intruder)


# -- lists and searches ---------------------------------------------------------------------------------
def look(world: World, viewer: Actor, owner: Actor | None = None) -> None:
    owner_id = None if owner is None else owner.own_id()
    world.mention(LISTS, (viewer.sales.list_clients(page_size=100, owner_id=owner_id),
                          viewer.sales.list_deals(page_size=100, owner_id=owner_id)))


def try_to_look(viewer: Actor) -> None:
    viewer.tries_to(viewer.sales.list_clients)
    viewer.tries_to(viewer.sales.list_deals)


def try_to_open(viewer: Actor, owner: Actor) -> None:
    viewer.tries_to(viewer.sales.get_client, owner.recall(CLIENT).id)
    viewer.tries_to(viewer.sales.get_deal, owner.recall(DEAL).id)


def try_to_read_deal(world: World, viewer: Actor) -> None:
    viewer.tries_to(viewer.sales.get_deal, the_deal(world).id)


def search(world: World, viewer: Actor, text: str) -> None:
    world.mention(SEARCH, viewer.sales.list_clients(q=text, page_size=100))


# -- moves ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TriedMove:
    from_stage: str
    to_stage: str
    deal: Deal
    answer: httpx.Response

    @property
    def label(self) -> str:
        return f"the move from {self.from_stage} to {self.to_stage}"


def move(world: World, mover: Actor, stages: Sequence[str], *, must: bool) -> None:
    for stage in stages:
        moved = perform(mover, must, mover.sales.transition, the_deal(world).id, stage)
        if moved is not None:
            keep_deal(world, world.it(DEAL_OWNER), moved)


def try_moves(world: World, mover: Actor, moves: Iterable[tuple[str, str]]) -> None:
    """For each (from, to): a new deal of the mover's brought to `from`, then a try to move it to `to`."""
    tried = []
    for from_stage, to_stage in moves:
        deal = deal_at(world, mover, from_stage)
        tried.append(TriedMove(from_stage, to_stage, deal, mover.tries_to(mover.sales.transition, deal.id, to_stage)))
    world.mention(MOVES, tried)


def moves_now(world: World) -> list[tuple[TriedMove, Deal]]:
    mover = world.it(DEAL_OWNER)
    return [(tried, mover.sales.get_deal(tried.deal.id)) for tried in world.it(MOVES)]


def move_each(world: World, mover: Actor, stage: str) -> None:
    world.mention(DEALS, [mover.sales.transition(deal.id, stage) for deal in world.it(DEALS)])


def rename_each(world: World, editor: Actor, title: str) -> None:
    for deal in world.it(DEALS):
        editor.tries_to(editor.sales.update_deal, deal.id, title=title)


# -- out-of-date readings and versions --------------------------------------------------------------------
def reading(world: World, reader: Actor, latest: bool) -> Deal:
    """The reader's latest reading of the deal (read now), or the earlier one it remembers."""
    return reader.sales.get_deal(the_deal(world).id) if latest else reader.recall(DEAL)


def rename_on_reading(world: World, editor: Actor, title: str, *, latest: bool) -> None:
    """Rename the deal with If-Match from a reading: the latest must go through, an earlier one is an attempt."""
    seen = reading(world, editor, latest)
    renamed = perform(editor, latest, editor.sales.update_deal, seen.id, version=seen.version, title=title)
    if renamed is not None:
        keep_deal(world, editor, renamed)


def move_on_reading(world: World, mover: Actor, stage: str, *, latest: bool, must: bool) -> None:
    seen = reading(world, mover, latest)
    moved = perform(mover, must, mover.sales.transition, seen.id, stage, version=seen.version)
    if moved is not None:
        keep_deal(world, mover, moved)


def rename(world: World, editor: Actor, title: str) -> None:
    editor.sales.update_deal(the_deal(world).id, title=title)


def race(world: World, movers: Sequence[Actor], stage: str) -> None:
    """Every mover moves the deal to `stage` at the same moment; their answers are kept."""
    deal_id = the_deal(world).id
    world.mention(VERSION_BEFORE, deal_now(world)[0].version)
    for mover in movers:  # signed in and connected, so that all moves leave together
        mover.sales.get_deal(deal_id)
    world.mention(RACE, simultaneously([(mover.name, mover.sales, lambda sales: sales.transition(deal_id, stage))
                                        for mover in movers]))


Call = tuple[str, SalesDriver, Callable[[SalesDriver], object]]


def simultaneously(calls: Sequence[Call]) -> list[httpx.Response]:
    """Run each call on its own thread, released together by a barrier; every answer is kept, in order."""
    barrier = threading.Barrier(len(calls))
    answers: list[httpx.Response | None] = [None] * len(calls)
    errors: list[BaseException | None] = [None] * len(calls)

    def run(index: int, sales: SalesDriver, call: Callable[[SalesDriver], object]) -> None:
        try:
            barrier.wait(timeout=RACE_TIMEOUT_S)
            answers[index] = sales.attempt(call, sales)
        except BaseException as exc:  # reported below, not lost in a thread
            errors[index] = exc

    threads = [threading.Thread(target=run, args=(index, sales, call), daemon=True)
               for index, (_, sales, call) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(RACE_TIMEOUT_S)
    for (who, _, _), answer, error in zip(calls, answers, errors, strict=True):
        if error is not None:
            raise AssertionError(f"{who}'s call could not be made: {error}") from error
        if answer is None:
            raise AssertionError(f"{who}'s call got no answer within {RACE_TIMEOUT_S:.0f} s")
    return [answer for answer in answers if answer is not None]


@dataclass(frozen=True)
class Change:
    """One change of the deal: its version before and after, and the answers that told the version."""

    what: str
    before: int
    after: int
    answers: tuple[tuple[str, httpx.Response], ...]


ChangeMaker = Callable[[SalesDriver, str, str], object]
CHANGE_MAKERS: dict[str, tuple[str, ChangeMaker]] = {
    # the sentence's start -> (is the answer a deal answer?, how the change is made with the rest of the sentence)
    'renames it "': ("deal", lambda sales, deal_id, rest: sales.update_deal(deal_id, title=rest.rstrip('"'))),
    "approves its discount": ("deal", lambda sales, deal_id, rest: sales.decide_approval(deal_id, "approve")),
    "moves it to ": ("deal", lambda sales, deal_id, rest: sales.transition(deal_id, rest)),
    "records a payment of ": ("payment", lambda sales, deal_id, rest: sales.record_payment(
        deal_id, format(Decimal(rest.replace(",", "")), "f"))),
}


def change_maker(text: str) -> tuple[str, ChangeMaker, str]:
    """ 'moves it to won' -> ("deal", the maker, "won") """
    for start, (kind, make) in CHANGE_MAKERS.items():
        if text.strip().startswith(start):
            return kind, make, text.strip()[len(start):]
    raise AssertionError(f'"{text}" is not a change this suite knows (known: {", ".join(CHANGE_MAKERS)}...)')


def make_changes(world: World, rows: Iterable[tuple[str, str]]) -> None:
    """Each (who, change) in turn, with the deal read by its owner before and after."""
    owner, deal_id, changes = world.it(DEAL_OWNER), the_deal(world).id, []
    for who, text in rows:
        kind, make, rest = change_maker(text)
        before = owner.sales.get_deal(deal_id)
        told = [(f"{owner.name}'s reading before '{who} {text}'", owner.sales.last_response)]
        changer = world.actor(who)
        make(changer.sales, deal_id, rest)
        if kind == "deal":
            told.append((f"the answer to '{who} {text}'", changer.sales.last_response))
        after = owner.sales.get_deal(deal_id)
        told.append((f"{owner.name}'s reading after '{who} {text}'", owner.sales.last_response))
        changes.append(Change(f"{who} {text}", before.version, after.version, tuple(told)))
    world.mention(CHANGES, changes)


# -- approvals ------------------------------------------------------------------------------------------
def decide(world: World, deciders: Iterable[Actor], decision: str, *, must: bool) -> None:
    for decider in deciders:
        decided = perform(decider, must, decider.sales.decide_approval, the_deal(world).id, decision)
        if decided is not None:
            keep_deal(world, world.it(DEAL_OWNER), decided)


def raise_discount(world: World, editor: Actor, discount: str) -> None:
    keep_deal(world, world.it(DEAL_OWNER), editor.sales.update_deal(the_deal(world).id, discount_percent=discount))


