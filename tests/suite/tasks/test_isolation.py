"""The call catalogue and the isolation engine against httpx.MockTransport (no services needed)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from support.data.secret import Secret
from support.drivers.anomaly import AnomalyDriver
from support.drivers.identity import IdentityDriver
from support.drivers.sales import SalesDriver
from support.http.client import make_client
from support.runner.config import Timeouts
from support.screenplay.actor import Actor, Passes, Tenant
from support.screenplay.cast import persona
from support.tasks import isolation
from support.tasks.capabilities import CAPABILITIES, Capability, Ids, MadeNoCall, attempt, catalogue
from support.tasks.isolation import KINDS, PLACES, Intrusion, Made, intrude, leaks

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
Handler = Callable[[httpx.Request], httpx.Response]
UUID_A, UUID_B = "0b6f3c7e-1111-4c1e-9d2a-7a0f00000001", "0b6f3c7e-2222-4c1e-9d2a-7a0f00000002"


def problem(status: int, slug: str, **extra: object) -> httpx.Response:
    return httpx.Response(status, json={"type": f"https://problems.platform.example/{slug}", "title": slug,
                                        "status": status, "detail": "no", **extra},
                          headers={"Content-Type": "application/problem+json"})


class Platform:
    """A fake of the three services: one handler, and every request it saw, by service."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.seen: list[tuple[str, httpx.Request]] = []

    def client(self, service: str, auth: httpx.Auth | None = None) -> httpx.Client:
        def handle(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/api/v1/auth/token":  # actors sign in by themselves
                return httpx.Response(200, json={"access_token": "AT", "refresh_token": "RT", "expires_in": 900})
            self.seen.append((service, request))
            return self.answer(request)

        return make_client(f"http://{service}.test", service=service, timeouts=TIMEOUTS, auth=auth,
                           transport=httpx.MockTransport(handle))

    def drivers(self) -> Passes:
        return Passes(identity=IdentityDriver(self.client("identity")), sales=SalesDriver(self.client("sales")),
                      anomaly=AnomalyDriver(self.client("anomaly")))


def forbidden(request: httpx.Request) -> httpx.Response:
    return problem(403, "forbidden")


@pytest.mark.parametrize("capability", list(CAPABILITIES.values()), ids=lambda item: item.words)
def test_every_capability_asks_its_own_service_once_and_names_its_records(capability: Capability) -> None:
    platform = Platform(forbidden)
    answer = attempt(capability, platform.drivers(), Ids(on="ON-ID", named="NAMED-ID", filtered="FILTER-ID"))
    assert answer.status_code == 403
    assert [service for service, _ in platform.seen] == [capability.service]
    request = platform.seen[0][1]
    assert request.url.path.startswith("/api/v1/")
    assert ("ON-ID" in request.url.path) == bool(capability.on)
    if capability.names:
        assert json.loads(request.content)[capability.field] == "NAMED-ID"
    assert ("FILTER-ID" in request.url.params.values()) == bool(capability.filters)


def test_a_capability_that_asks_nothing_is_reported() -> None:
    idle = Capability("do nothing", "sales", lambda d, i: None)
    with pytest.raises(MadeNoCall, match="asked the sales service nothing"):
        attempt(idle, Platform(forbidden).drivers(), Ids())


def test_the_catalogue_names_each_capability_once() -> None:
    twice = Capability("read a deal", "sales", lambda d, i: None)
    with pytest.raises(ValueError, match="named twice"):
        catalogue(twice, twice)


def test_every_kind_a_capability_names_is_a_kind_of_record() -> None:
    named = {kind for item in CAPABILITIES.values() for kind in (item.on, item.names, item.filters) if kind}
    assert named <= set(KINDS), f"kinds without a maker: {sorted(named - set(KINDS))}"


@pytest.mark.parametrize(("kind", "place"), [
    *((kind, "address") for kind in KINDS), ("client", "body"), ("dataset", "body"), ("member of staff", "filter"),
    ("client", "filter"), ("dataset", "filter")])
def test_every_kind_has_something_to_try_in_each_place_the_features_name(kind: str, place: str) -> None:
    assert PLACES[place](kind)


def test_a_trained_detector_is_tried_with_everything_a_detector_takes() -> None:
    words = {item.words for item in PLACES["address"]("trained detector")}
    assert {"read a detector", "train a detector", "check readings with a detector", "evaluate a detector"} <= words


def answer_to(method: str, path: str, response: httpx.Response, *, params: dict[str, str] | None = None,
              body: dict[str, object] | None = None) -> httpx.Response:
    request = httpx.Request(method, f"http://sales.test{path}", params=params, json=body)
    response.request = request
    return response


def intrusion(place: str, answer: httpx.Response, ghost: httpx.Response, words: str = "read a deal") -> Intrusion:
    return Intrusion(CAPABILITIES[words], place, answer, ghost)


def test_another_tenants_record_answered_like_a_ghost_is_no_fault() -> None:
    real = answer_to("GET", f"/api/v1/deals/{UUID_A}", problem(404, "not-found", detail=f"no deal {UUID_A}"))
    ghost = answer_to("GET", f"/api/v1/deals/{UUID_B}", problem(404, "not-found", detail=f"no deal {UUID_B}"))
    assert intrusion("address", real, ghost).fault() is None


def test_another_tenants_record_that_is_found_is_a_fault_naming_the_capability() -> None:
    real = answer_to("GET", f"/api/v1/deals/{UUID_A}", httpx.Response(200, json={"id": UUID_A}))
    ghost = answer_to("GET", f"/api/v1/deals/{UUID_B}", problem(404, "not-found"))
    fault = intrusion("address", real, ghost).fault()
    assert fault is not None and fault.startswith("'read a deal': expected") and "-> 200" in fault


def test_a_named_record_must_be_an_unknown_reference_like_a_ghost() -> None:
    def refused(client_id: str, code: str) -> httpx.Response:
        return answer_to("POST", "/api/v1/deals", problem(422, "validation-failed", errors=[
            {"field": "client_id", "code": code, "message": f"no client {client_id}"}]), body={"client_id": client_id})

    assert intrusion("body", refused(UUID_A, "unknown_reference"), refused(UUID_B, "unknown_reference"),
                     "open a deal").fault() is None
    wrong = intrusion("body", refused(UUID_A, "invalid_state"), refused(UUID_B, "unknown_reference"), "open a deal")
    assert "open a deal" in str(wrong.fault())


def test_a_filter_naming_another_tenants_person_must_answer_like_one_naming_nobody() -> None:
    def statement(owner: str, lines: list[object]) -> httpx.Response:
        return answer_to("GET", "/api/v1/commissions", httpx.Response(200, json={"owner_id": owner, "lines": lines}),
                         params={"owner_id": owner})

    words = "read a person's commission statement"
    assert intrusion("filter", statement(UUID_A, []), statement(UUID_B, []), words).fault() is None
    assert "the body" in str(intrusion("filter", statement(UUID_A, [{"amount": "7.00"}]), statement(UUID_B, []),
                                       words).fault())


def test_leaks_names_the_list_and_the_ids_it_shows() -> None:
    listing = answer_to("GET", "/api/v1/deals", httpx.Response(200, json={"items": [{"id": UUID_A}]}))
    assert leaks([listing], {UUID_A, UUID_B}) == [f"GET /api/v1/deals shows {UUID_A}"]
    assert leaks([listing], {UUID_B}) == []


class FakeStock:
    """A stock whose records of each tenant already exist."""

    def shared(self, words: str, tenant: str = "Acme") -> Made:
        return Made(words, f"{tenant.lower()}-{words.replace(' ', '-')}", None)  # type: ignore[arg-type]


def test_intrude_tries_each_capability_with_the_record_and_with_a_ghost_of_it() -> None:
    platform = Platform(lambda request: problem(404, "not-found"))
    tenant = Tenant(name="Globex", slug="globex-1", id="t2", currency="USD", plan="growth")
    bob = Actor(persona("Bob"), tenant, "bob@globex-1.example.com", Secret("a long secret passphrase"),
                platform.client, user_id="u-bob")
    made = Made("dataset", UUID_A, bob)
    found = intrude(FakeStock(), bob, made, "address")  # type: ignore[arg-type]
    assert [item.capability.words for item in found] == [item.words for item in PLACES["address"]("dataset")]
    for item in found:
        assert UUID_A in item.answer.request.url.path and UUID_A not in item.ghost.request.url.path
        assert len(item.ghost.request.url.path) == len(item.answer.request.url.path)
    assert isolation.intrusion_faults(found) == []
