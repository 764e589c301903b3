"""The role table, changes of roles and the tenant checks against httpx.MockTransport (no services needed)."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from support.data.builders import Builders
from support.data.secret import Secret
from support.drivers.records import Tenant
from support.screenplay.actor import Actor
from support.screenplay.actor import Tenant as ActorTenant
from support.screenplay.cast import persona
from support.screenplay.notes import Note, Notepad
from support.tasks import tenancy
from support.tasks.capabilities import CAPABILITIES, UnknownCapability
from support.tasks.isolation import Made
from support.tasks.tenancy import COLUMNS, NO, YES, BadTable, Cell, Tried, cells_of
from tests.suite.tasks.test_isolation import Platform, answer_to, problem

HEADINGS = ["what", *COLUMNS]
SLUG = re.compile(r"^[a-z0-9-]{3,32}$")


def test_a_table_gives_one_cell_per_yes_or_no_and_leaves_dashes_open() -> None:
    cells = cells_of(HEADINGS, [["read the settings", "yes", "yes", "yes", "yes", "yes", "—", "no"]])
    assert [(cell.column, cell.verdict) for cell in cells] == [
        ("admin", YES), ("sales manager", YES), ("sales rep", YES), ("analyst", YES), ("auditor", YES),
        ("not signed in", NO)]
    assert {cell.capability.words for cell in cells} == {"read the settings"}


@pytest.mark.parametrize(("headings", "row", "error", "message"), [
    (["what", "admin"], ["read the settings", "yes"], BadTable, "columns"),
    (HEADINGS, ["read the settings", "yes", "yes", "maybe", "yes", "yes", "—", "no"], BadTable, "'maybe'"),
    (HEADINGS, ["read the moon", "yes", "yes", "yes", "yes", "yes", "—", "no"], UnknownCapability, "read the moon"),
])
def test_a_table_that_cannot_be_read_says_why(headings: list[str], row: list[str], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        cells_of(headings, [row])


def tried(column: str, verdict: str, response: httpx.Response, words: str = "read the pipeline report") -> Tried:
    return Tried(Cell(CAPABILITIES[words], column, verdict), "", answer_to("GET", "/api/v1/reports/pipeline",
                                                                           response))


def unauthenticated(challenge: str) -> httpx.Response:
    answer = problem(401, "unauthenticated")
    answer.headers["WWW-Authenticate"] = challenge
    return answer


@pytest.mark.parametrize(("column", "verdict", "response"), [
    ("sales manager", YES, httpx.Response(200, json={"stages": {}})),
    ("sales rep", NO, problem(403, "forbidden")),
    ("not signed in", NO, unauthenticated("Bearer")),
])
def test_cells_that_hold(column: str, verdict: str, response: httpx.Response) -> None:
    assert tried(column, verdict, response).fault() is None


@pytest.mark.parametrize(("column", "verdict", "response", "why"), [
    ("sales manager", YES, problem(403, "forbidden"), "not a success"),
    ("sales rep", NO, httpx.Response(200, json={}), "not 403"),
    ("sales rep", NO, problem(404, "not-found"), "not 403"),
    ("not signed in", NO, problem(403, "forbidden"), "not 401"),
    ("not signed in", NO, unauthenticated('Bearer error="invalid_token"'), "plain Bearer challenge"),
])
def test_cells_that_do_not_hold_name_the_role_the_capability_and_why(column: str, verdict: str,
                                                                     response: httpx.Response, why: str) -> None:
    fault = tried(column, verdict, response).fault()
    assert fault is not None and fault.startswith(f"{column} / read the pipeline report:") and why in fault


class FakeStock:
    def shared(self, words: str, tenant: str = "Acme") -> Made:
        return Made(words, f"{tenant.lower()}-{words.replace(' ', '-')}", None)  # type: ignore[arg-type]


def test_a_refused_cell_is_tried_on_the_record_on_a_ghost_and_on_another_tenants() -> None:
    cell = Cell(CAPABILITIES["read a client"], "analyst", NO)
    subjects = tenancy._subjects(FakeStock(), cell, tenancy.Ids(on="acme-client"))  # type: ignore[arg-type]
    assert [subject for subject, _ in subjects] == [
        " on Acme's client", " on a client that never existed", " on Globex's client"]
    real, ghost, foreign = (ids.on for _, ids in subjects)
    assert (real, foreign) == ("acme-client", "globex-client") and ghost not in (real, foreign)


def test_a_refused_cell_whose_body_names_the_record_varies_the_named_id() -> None:
    cell = Cell(CAPABILITIES["open a deal"], "auditor", NO)
    subjects = tenancy._subjects(FakeStock(), cell, tenancy.Ids(named="acme-client"))  # type: ignore[arg-type]
    assert [ids.named for _, ids in subjects][::2] == ["acme-client", "globex-client"]


def test_an_allowed_cell_is_tried_once() -> None:
    cell = Cell(CAPABILITIES["read a client"], "admin", YES)
    assert tenancy._subjects(FakeStock(), cell, tenancy.Ids(on="x")) == [("", tenancy.Ids(on="x"))]  # type: ignore


@pytest.mark.parametrize("shape", list(tenancy.SLUG_SHAPES))
def test_slug_shapes_are_valid_exactly_when_the_contract_says(shape: str) -> None:
    slug = tenancy.SLUG_SHAPES[shape](Builders(7).slug("tenant"))
    fine = shape in ("is 3 characters long", "is 32 characters long")
    assert bool(SLUG.match(slug)) == fine, slug


def test_the_refusals_judge_what_they_say() -> None:
    slug_error = answer_to("POST", "/api/v1/tenants", problem(422, "validation-failed", errors=[
        {"field": "slug", "code": "pattern", "message": "no"}]))
    assert tenancy.refusal("because of its slug").matches(slug_error)
    assert not tenancy.refusal("because of its plan").matches(slug_error)
    assert tenancy.refusal("as over the plan's quota").matches(answer_to("POST", "/api/v1/users",
                                                                          problem(403, "quota-exceeded")))
    assert not tenancy.refusal("as not allowed").matches(answer_to("POST", "/api/v1/users",
                                                                   problem(403, "quota-exceeded")))


def test_tenant_faults_name_every_difference() -> None:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    sound = Tenant.of({"id": "t1", "name": "Initech", "slug": "ini", "plan": "growth", "currency": "GBP",
                       "created_at": now})
    assert tenancy.tenant_faults(sound, plan="growth", currency="GBP") == []
    faults = tenancy.tenant_faults(Tenant.of({**sound.body, "created_at": "yesterday", "id": 7}), plan="starter")
    assert len(faults) == 3 and "plan is 'growth', not 'starter'" in faults


class FakeWorld:
    """Just what the role-change checks read of a World: what the scenario mentions."""

    def __init__(self) -> None:
        self.mentions = Notepad("the scenario")

    def mention(self, note: Note, value: object) -> object:
        return self.mentions.write(note, value)

    def it(self, note: Note) -> object:
        return self.mentions.read(note)


def rita_on(platform: Platform) -> Actor:
    tenant = ActorTenant(name="Acme", slug="acme-1", id="t1", currency="EUR", plan="growth")
    return Actor(persona("Rita"), tenant, "rita@acme-1.example.com", Secret("a long secret passphrase"),
                 platform.client, user_id="u-rita")


def opens_after(calls: int) -> Platform:
    """Refuses the pipeline report to the first `calls` requests, then opens it."""
    count = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        count["n"] += 1
        return problem(403, "forbidden") if count["n"] <= calls else httpx.Response(200, json={"stages": {}})

    return Platform(answer)


def test_a_change_seen_within_the_deadline_is_in_time() -> None:
    rita, world = rita_on(opens_after(3)), FakeWorld()
    tenancy.hold_pass(rita)
    rita.remember(tenancy.CHANGED_AT, time.monotonic())
    tenancy.comes_true_in_time(world, rita, CAPABILITIES["read the pipeline report"], True)  # type: ignore[arg-type]


def test_a_change_not_seen_by_the_deadline_fails_with_what_was_awaited() -> None:
    rita, world = rita_on(opens_after(10_000)), FakeWorld()
    tenancy.hold_pass(rita)
    rita.remember(tenancy.CHANGED_AT, time.monotonic() - tenancy.WITHIN_S)  # the change was answered 2 s ago
    with pytest.raises(AssertionError, match=r"Waited 0\.\d s for the pass Rita holds to be allowed"):
        tenancy.comes_true_in_time(world, rita, CAPABILITIES["read the pipeline report"], True)  # type: ignore


def test_the_held_pass_is_the_one_signed_in_with_not_a_new_one() -> None:
    platform = Platform(lambda request: httpx.Response(200, json={"stages": {}}))
    rita = rita_on(platform)
    held = tenancy.hold_pass(rita)
    held.sales.pipeline()
    rita.sign_in()  # a new pass for Rita herself; the held one stays
    held.sales.pipeline()
    presented = [request.headers["Authorization"] for _, request in platform.seen]
    assert presented == ["Bearer AT", "Bearer AT"]
