"""Tenancy: who may do what (the role table), changes of roles, tenants, people and plans (contract §2, §3).

The role table of a scenario names capabilities of the catalogue (`support.tasks.capabilities`) in its
rows and roles in its columns; each cell is tried by the cast member of Acme with that role, by the
platform operator, or by somebody who sends no pass at all. A "no" cell is tried three times: on the
record in question, on one that never existed and on one of Globex's, since the role is checked
before anything is looked up.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from hamcrest.core.matcher import Matcher

from support.data.builders import ghost_id_like
from support.data.tables import generated_readings_csv
from support.drivers.anomaly import AnomalyDriver
from support.drivers.identity import IdentityDriver
from support.drivers.records import CurrentTenant, Dataset, Tenant, User
from support.drivers.sales import SalesDriver
from support.http.polling import eventually
from support.matchers.answers import (
    answered_2xx,
    is_problem,
    is_unauthenticated,
    mismatch,
    names_field,
    reports_broken_rules,
)
from support.matchers.conventions import timestamp_fault
from support.screenplay.actor import Actor, Passes
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks.capabilities import (
    PASSPHRASE,
    ROUND_TRIP_ALLOWANCE_S,
    WITHIN_S,
    Capability,
    Drivers,
    Ids,
    attempt,
    capability,
)
from support.tasks.isolation import HOME, OTHER, Stock, kind, stock_of, worker

# -- the role table ------------------------------------------------------------------------------------
ROLE_COLUMNS = {"admin": "admin", "sales manager": "sales_manager", "sales rep": "sales_rep", "analyst": "analyst",
                "auditor": "auditor"}
OPERATOR, NOBODY = "operator", "not signed in"
COLUMNS = (*ROLE_COLUMNS, OPERATOR, NOBODY)
YES, NO, OPEN = "yes", "no", frozenset({"—", "-"})


@dataclass(frozen=True)
class Cell:
    capability: Capability
    column: str
    verdict: str  # yes | no


@dataclass(frozen=True)
class Tried:
    cell: Cell
    subject: str  # what the try acted on, in words
    answer: httpx.Response

    def expected(self) -> Matcher[Any]:
        if self.cell.verdict == YES:
            return answered_2xx()
        return is_unauthenticated(token_sent=False) if self.cell.column == NOBODY else is_problem("forbidden")

    def fault(self) -> str | None:
        why = mismatch(self.expected(), self.answer)
        return None if why is None else f"{self.cell.column} / {self.cell.capability.words}{self.subject}: {why}"


class BadTable(AssertionError):
    """A role table that does not name every role, or a cell that is neither yes, no nor a dash."""


def cells_of(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Cell]:
    """The table's cells that decide something (a dash leaves a cell open)."""
    if list(headings) != ["what", *COLUMNS]:
        raise BadTable(f"a role table has the columns {['what', *COLUMNS]}, not {list(headings)}")
    cells = []
    for what, *verdicts in rows:
        for column, verdict in zip(COLUMNS, verdicts, strict=True):
            if verdict not in (YES, NO, *OPEN):
                raise BadTable(f"'{verdict}' in row '{what}', column '{column}': write yes, no or a dash")
            if verdict in (YES, NO):
                cells.append(Cell(capability(what), column, verdict))
    return cells


def nobody(world: World) -> Passes:
    """Drivers that send no pass at all."""
    return Passes(identity=IdentityDriver(world.client("identity")), sales=SalesDriver(world.client("sales")),
                  anomaly=AnomalyDriver(world.client("anomaly")))


def caller(world: World, column: str) -> tuple[Drivers, Actor | None]:
    if column == NOBODY:
        return nobody(world), None
    if column == OPERATOR:
        return world.operator, world.operator
    return (actor := worker(world, HOME, ROLE_COLUMNS[column])), actor


def ids_for(stock: Stock, tried: Capability, actor: Actor | None, *, goes_through: bool = True) -> Ids:
    """The records a try of `tried` by `actor` needs, from Acme's stock: a fresh one where a try that goes
    through uses its record up, the actor's own of a personal kind, else the one all tries share."""
    on = ""
    if tried.on:
        on = (stock.fresh(tried.on) if tried.fresh and goes_through else stock.own(tried.on, actor)).id
    return Ids(on=on, named=stock.shared(tried.names).id if tried.names else "",
               filtered=stock.shared(tried.filters).id if tried.filters else "")


def _subjects(stock: Stock, cell: Cell, own: Ids) -> list[tuple[str, Ids]]:
    """A refused cell's tries: the record itself, one that never existed, another tenant's."""
    words = cell.capability.subject
    if cell.verdict == YES or words is None:
        return [("", own)]
    place = "on" if cell.capability.on else "named" if cell.capability.names else "filtered"
    real = getattr(own, place)
    variants = ((f" on {HOME}'s {words}", real), (f" on a {words} that never existed", ghost_id_like(real)),
                (f" on {OTHER}'s {words}", stock.shared(words, OTHER).id))
    return [(subject, Ids(**{**vars(own), place: record_id})) for subject, record_id in variants]


def try_cells(world: World, cells: Sequence[Cell]) -> list[Tried]:
    stock = stock_of(world)
    tried = []
    for cell in cells:
        drivers, actor = caller(world, cell.column)
        own = ids_for(stock, cell.capability, actor, goes_through=cell.verdict == YES)
        for subject, ids in _subjects(stock, cell, own):
            tried.append(Tried(cell, subject, attempt(cell.capability, drivers, ids)))
    return tried


def table_faults(tried: Sequence[Tried]) -> list[str]:
    return [fault for fault in (item.fault() for item in tried) if fault]


TRIED: Note[list[Tried]] = Note("tries of the role table")

# -- changes of roles -------------------------------------------------------------------------------------
HELD_PASS: Note[Passes] = Note("pass held")
CHANGED_AT: Note[float] = Note("moment the roles changed")


def hold_pass(actor: Actor) -> Passes:
    """Drivers presenting the pass the actor holds now (signing in if it holds none); kept as its held pass."""
    return actor.remember(HELD_PASS, actor.with_pass(actor.access_token()))


def verdict_of(allowed: bool) -> Matcher[Any]:
    return answered_2xx() if allowed else is_problem("forbidden")


def with_held_pass(world: World, actor: Actor, what: Capability) -> httpx.Response:
    return attempt(what, actor.recall(HELD_PASS), ids_for(stock_of(world), what, actor))


def check_held_pass(world: World, actor: Actor, what: Capability, allowed: bool) -> None:
    why = mismatch(verdict_of(allowed), with_held_pass(world, actor, what))
    assert why is None, f"before any change, the pass {actor.name} holds to '{what.words}': {why}"


def set_roles(admin: Actor, person: Actor, change: Callable[[list[str]], list[str]]) -> User:
    """The admin changes the person's roles (from what identity holds now); the moment is noted."""
    roles = change(list(admin.identity.get_user(person.own_id()).roles or []))
    user = admin.identity.update_user(person.own_id(), roles=roles)
    person.remember(CHANGED_AT, time.monotonic())
    return user


def give_role(admin: Actor, person: Actor, role: str) -> User:
    return set_roles(admin, person, lambda roles: [*roles, role] if role not in roles else roles)


def take_role(admin: Actor, person: Actor, role: str) -> User:
    return set_roles(admin, person, lambda roles: [held for held in roles if held != role])


def comes_true_in_time(world: World, actor: Actor, what: Capability, allowed: bool) -> None:
    """The held pass gets the verdict within 2 s (+ the round-trip allowance) of the change being answered."""
    deadline = actor.recall(CHANGED_AT) + WITHIN_S + ROUND_TRIP_ALLOWANCE_S

    def settled() -> None:
        why = mismatch(verdict_of(allowed), with_held_pass(world, actor, what))
        assert why is None, why

    eventually(settled, within=max(deadline - time.monotonic(), 0.0),
               awaiting=f"the pass {actor.name} holds to be {'allowed' if allowed else 'refused'} to '{what.words}'")


# -- attempts that may be refused ------------------------------------------------------------------------
TRIER: Note[Actor] = Note("person who tried last")


def tries(world: World, actor: Actor, call: Callable[..., object], /, *args: Any, **kwargs: Any) -> httpx.Response:
    """The actor tries a driver call; its answer is the one the next "is refused"/"goes through" step judges."""
    world.mention(TRIER, actor)
    return actor.tries_to(call, *args, **kwargs)


def last_try(world: World) -> httpx.Response:
    return world.it(TRIER).last_answer


REFUSALS: dict[str, Callable[[], Matcher[Any]]] = {
    "because of its slug": lambda: reports_broken_rules({"slug": None}),
    "because of its plan": lambda: reports_broken_rules({"plan": None}),
    "because of its currency": lambda: reports_broken_rules({"currency": None}),
    "because the slug is taken": lambda: is_problem("conflict"),
    "because the email is taken": lambda: is_problem("conflict"),
    "because of the roles": lambda: names_field("roles"),
    "as not allowed": lambda: is_problem("forbidden"),
    "as a conflict": lambda: is_problem("conflict"),
    "as over the plan's quota": lambda: is_problem("quota-exceeded"),
}


def refusal(words: str) -> Matcher[Any]:
    return REFUSALS[words]()


def no_faults(what: str, faults: Sequence[str]) -> None:
    """Fail naming every fault, one a line, when there is any."""
    assert not faults, f"{len(faults)} {what}:\n  " + "\n  ".join(faults)


# -- tenants ----------------------------------------------------------------------------------------------
SLUG_SHAPES: dict[str, Callable[[str], str]] = {
    "is 2 characters long": lambda fresh: fresh[-2:],
    "is 3 characters long": lambda fresh: fresh[-3:],
    "is 32 characters long": lambda fresh: (fresh * 3)[:32],
    "is 33 characters long": lambda fresh: (fresh * 3)[:33],
    "has an uppercase letter": lambda fresh: fresh[0].upper() + fresh[1:],
    "has an underscore": lambda fresh: fresh.replace("-", "_"),
    "has a dot": lambda fresh: fresh.replace("-", "."),
    "has a space": lambda fresh: fresh.replace("-", " "),
}
NEW_TENANT = "Initech"
SLUG_TRIED: Note[str] = Note("slug tried")


def set_up_tenant(world: World, slug: str, *, plan: str = "starter", currency: str = "EUR") -> httpx.Response:
    """The operator tries to set up Initech with its first admin; the slug tried is noted."""
    world.mention(SLUG_TRIED, slug)
    admin = {"email": f"founder@{uuid.uuid4().hex[:12]}.example.com", "name": "Fay Founder", "password": PASSPHRASE}
    operator = world.operator
    return tries(world, operator, operator.identity.create_tenant, name=NEW_TENANT, slug=slug, plan=plan,
                 currency=currency, admin=admin)


def set_up_shaped(world: World, shape: str, attempts: int = 5) -> httpx.Response:
    """Set up a tenant whose slug has `shape`; a fresh slug is tried again only when one was taken already."""
    answer = set_up_tenant(world, SLUG_SHAPES[shape](world.build.slug("tenant")))
    for _ in range(attempts - 1):
        if answer.status_code != 409:
            break
        answer = set_up_tenant(world, SLUG_SHAPES[shape](world.build.slug("tenant")))
    return answer


def slug_of(world: World, tenant: str | None) -> str:
    """A tenant's slug; the operator's reserved tenant is `operator`."""
    return "operator" if tenant is None else world.tenant(tenant).slug


def tenant_faults(tenant: Tenant, **expected: Any) -> list[str]:
    """What is wrong with a Tenant's shape: a string id, the values set up, an RFC 3339 `created_at`."""
    faults = [] if isinstance(tenant.id, str) and tenant.id else [f"the id is {tenant.id!r}"]
    faults += [f"{key} is {tenant.get(key)!r}, not {value!r}" for key, value in expected.items()
               if tenant.get(key) != value]
    return [*faults, *filter(None, [timestamp_fault("created_at", tenant.created_at)])]


def set_up_as_asked(world: World, **expected: Any) -> None:
    answer = last_try(world)
    assert answer.status_code == 201, f"the tenant was not set up: {mismatch(answered_2xx(), answer) or answer}"
    faults = tenant_faults(Tenant.of(answer.json()), name=NEW_TENANT, slug=world.it(SLUG_TRIED), **expected)
    assert not faults, f"the new tenant {answer.json()}: {'; '.join(faults)}"


def first_admin_faults(world: World, admin: Actor, tenant: str) -> list[str]:
    admin.sign_in()
    me = admin.identity.me()
    expected = {"tenant_id": world.tenant(tenant).id, "email": admin.email, "roles": ["admin"]}
    return [f"{key} is {me.get(key)!r}, not {value!r}" for key, value in expected.items() if me.get(key) != value]


def only_person_faults(admin: Actor) -> list[str]:
    people = admin.identity.list_users(page_size=100)
    shown = [(user.id, user.roles, user.active) for user in people.items]
    expected = [(admin.own_id(), ["admin"], True)]
    return [] if people.total == 1 and shown == expected else [f"the people are {shown} ({people.total} in all)"]


CURRENT: Note[CurrentTenant] = Note("tenant as its people see it")


def tenant_as_seen(world: World, actor: Actor) -> CurrentTenant:
    return world.mention(CURRENT, actor.identity.current_tenant())


def limits_faults(world: World, people: int, detectors: int, rows: int) -> list[str]:
    current, tenant = world.it(CURRENT), world.tenant(HOME)
    expected_limits = {"users": people, "detectors": detectors, "dataset_rows": rows}
    faults = tenant_faults(current, name=tenant.name, slug=tenant.slug, plan=tenant.plan, currency=tenant.currency)
    faults += [] if current.id == tenant.id else [f"the id is {current.id}, not {tenant.id}"]
    return faults + ([] if current.limits == expected_limits else [f"limits {current.limits}, not {expected_limits}"])


def usage_faults(world: World, people: int) -> list[str]:
    usage, expected = world.it(CURRENT).usage, {"users": people, "detectors": 0, "dataset_rows": 0}
    return [] if usage == expected else [f"usage {usage}, not {expected}"]


def threshold_faults(reader: Actor, percent: str) -> list[str]:
    """The threshold reads as a decimal string of the same value."""
    value = reader.identity.settings().discount_approval_threshold
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) and Decimal(value) == Decimal(percent):
        return []
    return [f"the threshold reads {value!r}, not {percent} as a decimal string"]


# -- people -------------------------------------------------------------------------------------------
DRAFT: Note[dict[str, Any]] = Note("colleague to be added")
COLLEAGUES: Note[list[str]] = Note("colleagues added")


def add_colleague(world: World, admin: Actor, *, roles: Sequence[str] = ("sales_rep",),
                  email: str | None = None) -> httpx.Response:
    """The admin tries to add a colleague outside the cast; what was sent is noted."""
    draft = {"email": email or f"colleague-{uuid.uuid4().hex[:10]}@{admin.tenant.slug}.example.com",
             "name": "Nina Novak", "password": PASSPHRASE, "roles": list(roles)}
    world.mention(DRAFT, draft)
    return tries(world, admin, admin.identity.create_user, **draft)


def added_as_drafted(world: World, admin: Actor) -> list[str]:
    """What is wrong with the added colleague's User, as answered and as read back."""
    answer, draft = last_try(world), world.it(DRAFT)
    if answer.status_code != 201:
        return [f"the colleague was not added: {mismatch(answered_2xx(), answer)}"]
    user = User.of(answer.json())
    expected = {"tenant_id": admin.tenant.id, "email": draft["email"], "name": draft["name"], "active": True}
    faults = [f"{key} is {user.get(key)!r}, not {value!r}" for key, value in expected.items() if user.get(key) != value]
    faults += [] if sorted(user.roles or []) == sorted(draft["roles"]) else [f"roles {user.roles}"]
    faults += list(filter(None, [timestamp_fault("created_at", user.created_at)]))
    read_back = admin.identity.get_user(user.id).body
    return faults + ([] if read_back == user.body else [f"read back as {read_back}, answered as {user.body}"])


def fill_up(world: World, admin: Actor, people: int) -> list[str]:
    """The admin adds colleagues until the tenant has `people` active people; their ids."""
    present = int(admin.identity.current_tenant().usage["users"])
    added = [admin.identity.create_user(email=f"colleague-{uuid.uuid4().hex[:10]}@{admin.tenant.slug}.example.com",
                                        name="Nina Novak", password=PASSPHRASE, roles=["sales_rep"]).id
             for _ in range(people - present)]
    return world.mention(COLLEAGUES, added)


def people_in_use(admin: Actor) -> tuple[int, int]:
    current = admin.identity.current_tenant()
    return int(current.usage["users"]), int(current.limits["users"])


OWN_CHANGES: dict[str, dict[str, Any]] = {
    "give up her admin role": {"roles": ["sales_manager"]},
    "deactivate her own account": {"active": False},
    "make herself an admin": {"roles": ["sales_rep", "admin"]},
    "make herself a sales manager too": {"roles": ["sales_rep", "sales_manager"]},
}


def person_state(world: World, who: Actor) -> User:
    """The person as the tenant's admin reads them."""
    return world.admin_of(who.tenant.name).identity.get_user(who.own_id())


# -- plans: detectors and datasets ------------------------------------------------------------------------
def create_detectors(analyst: Actor, count: int) -> None:
    for number in range(1, count + 1):
        analyst.anomaly.create_detector(f"Watch {number}", algorithm="robust_zscore", features=["temperature"])


def upload_readings(world: World, analyst: Actor, count: int) -> httpx.Response:
    return tries(world, analyst, analyst.anomaly.upload_csv, f"{count} readings", generated_readings_csv(count))


def upload_faults(world: World, rows: int) -> list[str]:
    answer = last_try(world)
    if answer.status_code != 201:
        return [f"the upload was not accepted: {mismatch(answered_2xx(), answer)}"]
    found = Dataset.of(answer.json()).row_count
    return [] if found == rows else [f"the dataset holds {found} rows, not {rows}"]


def kind_made(world: World, words: str, tenant: str = HOME) -> None:
    stock_of(world).shared(kind(words).words, tenant)
