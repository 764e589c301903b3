"""The auth tasks against httpx.MockTransport: sign-in attempts, renewals, forged passes, password words."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from support.data.secret import Secret
from support.drivers.identity import TokenPair
from support.http.client import make_client
from support.runner.config import Credentials, ServiceConfig, SuiteConfig, Timeouts
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import persona
from support.screenplay.world import World
from support.tasks import auth

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=0.2)
Handler = Callable[[httpx.Request], httpx.Response]
ACME = Tenant(name="Acme", slug="acme-1234", id="t1", currency="EUR", plan="growth")


def problem(status: int, slug: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"type": f"https://problems.platform.example/{slug}", "title": slug,
                                        "status": status, "detail": "no"},
                          headers={"Content-Type": "application/problem+json", **headers})


def unauthenticated() -> httpx.Response:
    return problem(401, "unauthenticated", **{"WWW-Authenticate": 'Bearer error="invalid_token"'})


class FakePlatform:
    """Identity, sales and anomaly in one handler; it records every request it saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.refused_tokens: set[str] = set()
        self.renewals = 0
        self.sign_in_answer: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/api/v1/auth/token":
            return self.sign_in_answer or self.pair("AT0", "RT0")
        if path == "/api/v1/auth/refresh":
            self.renewals += 1
            return self.pair(f"AT{self.renewals}", f"RT{self.renewals}")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.refused_tokens:
            return unauthenticated()
        if path == "/api/v1/auth/me":
            return httpx.Response(200, json={"id": "u1", "tenant_id": "t1", "email": "rita@acme-1234.example.com",
                                             "name": "Rita Reyes", "roles": ["sales_rep"]})
        return httpx.Response(200, json={"items": [], "page": 1, "page_size": 20, "total": 0})

    @staticmethod
    def pair(access: str, refresh: str) -> httpx.Response:
        return httpx.Response(200, json={"access_token": access, "refresh_token": refresh, "token_type": "Bearer",
                                         "expires_in": 900})

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


def config() -> SuiteConfig:
    services = {name: ServiceConfig(base_url=f"http://{name}.test") for name in ("identity", "sales", "anomaly")}
    return SuiteConfig(env_name="test", managed=False, services=services,
                       operator=Credentials("operator@example.test", "operator-passphrase"), signing_key_pem=None,
                       timeouts=TIMEOUTS, budgets={}, seed=7, capabilities=frozenset())


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def world(platform: FakePlatform) -> World:
    world = World(config(), seed=7)

    def client(service: str, auth_: httpx.Auth | None = None) -> httpx.Client:
        return make_client(f"http://{service}.test", service=service, timeouts=TIMEOUTS, auth=auth_,
                           transport=httpx.MockTransport(platform))

    world.client = client  # type: ignore[method-assign]
    return world


@pytest.fixture
def rita(world: World) -> Actor:
    world.tenants["Acme"] = ACME
    rita = Actor(persona("Rita"), ACME, "rita@acme-1234.example.com", Secret("a long secret passphrase"),
                 world.client, user_id="u1")
    world.actors["Rita"] = rita
    return rita


def test_someone_is_one_stranger_per_scenario_whose_attempts_are_kept(world: World, platform: FakePlatform) -> None:
    platform.sign_in_answer = problem(401, "invalid-credentials")
    answer = auth.tries_sign_in(auth.someone(world), "acme-1234", "nobody@acme-1234.example.com", "guess")
    assert auth.someone(world) is auth.someone(world)
    assert auth.someone(world).last_answer is answer and answer.status_code == 401
    assert json.loads(platform.requests[-1].content) == {"tenant": "acme-1234",
                                                         "email": "nobody@acme-1234.example.com",
                                                         "password": "guess"}
    assert "Authorization" not in platform.requests[-1].headers


def test_failed_sign_ins_must_each_be_refused_as_invalid_credentials(world: World, platform: FakePlatform) -> None:
    platform.sign_in_answer = problem(401, "invalid-credentials")
    auth.fail_sign_ins(world, "acme-1234", "rita@acme-1234.example.com", 3)
    assert platform.paths().count("/api/v1/auth/token") == 3
    platform.sign_in_answer = problem(429, "too-many-attempts", **{"Retry-After": "900"})
    with pytest.raises(AssertionError, match="failed sign-in 1 of 2"):
        auth.fail_sign_ins(world, "acme-1234", "rita@acme-1234.example.com", 2)


def test_a_mistake_changes_one_part_of_the_credentials(world: World, rita: Actor) -> None:
    slug, email, password = auth.MISTAKES["his password changed in its last character only"](world, rita)
    assert (slug, email) == (rita.tenant.slug, rita.email)
    assert password[:-1] == rita.password.reveal()[:-1] and password != rita.password.reveal()
    slug, email, password = auth.MISTAKES["an email nobody has at Acme"](world, rita)
    assert slug == rita.tenant.slug and email != rita.email and password == rita.password.reveal()


def test_renewals_grow_a_chain_from_the_sign_in(rita: Actor) -> None:
    rita.remember(auth.SIGN_IN, rita.sign_in())
    auth.renew(rita)
    chain = auth.renew(rita)
    assert [pair.refresh_token for pair in chain] == ["RT0", "RT1", "RT2"]
    auth.renewal_is_new(chain[0], chain[1])
    with pytest.raises(AssertionError, match="handed back the renewal token"):
        auth.renewal_is_new(chain[0], TokenPair("AT9", "RT0", 900))


def test_a_forged_pass_is_made_afresh_for_each_service(world: World, rita: Actor, platform: FakePlatform) -> None:
    rita.sign_in()
    made: list[str] = []

    def forgery(_: World, token: str) -> str:
        made.append(token)
        return f"forged-{len(made)}"

    auth.presents_forgery(world, rita, forgery)
    answers = auth.present_everywhere(rita, rita.recall(auth.PRESENTED))
    assert made == ["AT0", "AT0", "AT0"]
    assert [request.headers["Authorization"] for request in platform.requests[-3:]] == [
        "Bearer forged-1", "Bearer forged-2", "Bearer forged-3"]
    assert [answer.request.url.path for answer in answers] == ["/api/v1/auth/me", "/api/v1/clients",
                                                               "/api/v1/datasets"]
    assert rita.attempts[-3:] == answers


def test_a_revoked_pass_must_be_refused_everywhere(world: World, rita: Actor, platform: FakePlatform) -> None:
    platform.refused_tokens.add("OLD")
    auth.refused_everywhere(world, rita, rita.with_pass("OLD"), what="the old pass")
    with pytest.raises(AssertionError, match="the status is 200, not 401"):
        auth.refused_everywhere(world, rita, rita.with_pass("STILL-GOOD"), what="a good pass")


def test_a_sign_in_answer_must_hand_out_the_persons_pass(rita: Actor, platform: FakePlatform) -> None:
    auth.holds_pass_of(rita, FakePlatform.pair("AT7", "RT7"))
    assert platform.requests[-1].headers["Authorization"] == "Bearer AT7"


@pytest.mark.parametrize(("words", "codes"), [
    ("too short", {"too_short"}),
    ("too short and too common", {"too_short", "common_password"}),
    ("too long and containing his email's name", {"too_long", "contains_email"}),
])
def test_rule_words_become_the_contracts_codes(words: str, codes: set[str]) -> None:
    assert auth.rule_codes(words) == codes


def test_unknown_rule_words_are_refused() -> None:
    with pytest.raises(AssertionError, match="unknown password rule"):
        auth.rule_codes("too pretty")


@pytest.mark.parametrize(("description", "length"), [
    ("15 lowercase letters", 15), ("128 characters long", 128), ('129 characters long with "ravi" in it', 129)])
def test_described_passwords_have_their_length_and_avoid_the_name(world: World, description: str,
                                                                   length: int) -> None:
    password = auth.described_password(world, description, avoid="ravi")
    assert len(password) == length
    assert password.lower().count("ravi") == (1 if "ravi" in description else 0)


def test_a_quoted_password_is_taken_as_written(world: World) -> None:
    assert auth.described_password(world, '"grüne Äpfel im Schnee"', avoid="ravi") == "grüne Äpfel im Schnee"
