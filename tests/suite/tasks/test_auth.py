"""The auth tasks against httpx.MockTransport: sign-in attempts, renewals, forged passes, password words."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

from support.data import tokens
from support.data.key_bait import KeyBait
from support.data.secret import Secret
from support.drivers.identity import TokenPair
from support.http.client import make_client
from support.matchers.answers import told_to_wait
from support.matchers.passes import Holder, hands_out_pass, is_pass_for, recognises_pass
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
        self.slow_services: dict[str, set[str]] = {}  # token -> services that still accept it
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
        service = request.url.host.split(".")[0]
        if token in self.refused_tokens and service not in self.slow_services.get(token, set()):
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


def test_a_revoked_pass_must_be_refused_at_once_by_identity_and_soon_elsewhere(
        world: World, rita: Actor, platform: FakePlatform) -> None:
    platform.refused_tokens.add("OLD")
    rita.remember(auth.CHANGED_AT, time.monotonic())
    auth.refused_within(world, rita, "OLD", what="the old pass")
    with pytest.raises(AssertionError, match="identity, at once"):
        auth.refused_within(world, rita, "STILL-GOOD", what="a good pass")


def test_sales_must_refuse_within_two_seconds_of_the_change(world: World, rita: Actor,
                                                             platform: FakePlatform) -> None:
    platform.refused_tokens.add("OLD")
    platform.slow_services["OLD"] = {"sales"}  # sales never learns of the revocation
    rita.remember(auth.CHANGED_AT, time.monotonic() - auth.PROMISED_WITHIN_S - auth.LAST_PROBE_ALLOWANCE_S)
    with pytest.raises(AssertionError, match=r"Waited 0\.0 s for sales to refuse the old pass within 2 s"):
        auth.refused_within(world, rita, "OLD", what="the old pass")


def test_a_person_let_in_holds_the_pass_handed_out(rita: Actor, platform: FakePlatform) -> None:
    platform.sign_in_answer = FakePlatform.pair("AT7", "RT7")
    auth.tries_own_sign_in(rita)
    auth.let_in(rita)
    assert platform.requests[-1].headers["Authorization"] == "Bearer AT7"
    platform.sign_in_answer = problem(429, "too-many-attempts", **{"Retry-After": "9"})
    auth.tries_own_sign_in(rita)
    with pytest.raises(AssertionError, match="the status is 429, not 200"):
        auth.let_in(rita)


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


def test_the_deployment_settings_are_the_contracts_defaults_unless_configured(world: World) -> None:
    assert (auth.issuer(world), auth.pass_lifetime(world), auth.lockout(world)) == ("platform-identity", 900, 900)
    world.config.services["identity"].env.update({"ISSUER": "acme-sso", "ACCESS_TOKEN_TTL": "600"})  # type: ignore[attr-defined]
    assert (auth.issuer(world), auth.pass_lifetime(world), auth.lockout(world)) == ("acme-sso", 600, 900)


def test_a_colleague_gets_an_email_with_the_chosen_local_part(world: World, platform: FakePlatform) -> None:
    admin = Actor(persona("Alice"), ACME, "alice@acme-1234.example.com", Secret("another long passphrase"),
                  world.client, user_id="u0")
    auth.enrol_colleague(world, admin, "jo", "Jo sells solar panels")
    assert json.loads(platform.requests[-1].content)["email"] == "jo@acme-1234.example.com"
    assert world.it(auth.ENROLLING_ADMIN) is admin


def test_a_verdict_is_a_creation_or_exactly_the_broken_rules() -> None:
    created = httpx.Response(201, json={"id": "u9"})
    refused = httpx.Response(422, json={"type": "https://problems.platform.example/validation-failed",
                                        "title": "Invalid", "status": 422, "detail": "no",
                                        "errors": [{"field": "password", "code": "contains_email",
                                                    "message": "no"}]},
                             headers={"Content-Type": "application/problem+json"})
    assert auth.verdict(set()).matches(created) and not auth.verdict(set()).matches(refused)
    assert auth.verdict({"contains_email"}).matches(refused)
    assert not auth.verdict({"contains_email", "too_short"}).matches(refused)


# -- forged passes and the judgement of issued ones -------------------------------------------------
PLATFORM_KEY = tokens.new_rsa_key_pem()


def genuine(**changes: object) -> str:
    now = int(time.time())
    claims = {"iss": "platform-identity", "aud": "platform-api", "sub": "u1", "tid": "t1", "roles": ["sales_rep"],
              "iat": now, "nbf": now, "exp": now + 900, "jti": "j1", **changes}
    return jwt.encode(claims, PLATFORM_KEY, algorithm="RS256", headers={"kid": "k1"})


def published() -> dict:
    private = serialization.load_pem_private_key(PLATFORM_KEY.encode(), password=None)
    return {"keys": [{**json.loads(RSAAlgorithm.to_jwk(private.public_key())), "kid": "k1"}]}


@pytest.mark.parametrize("spelling", ["none", "None", "NONE", "nOnE"])
def test_an_unsigned_copy_keeps_the_claims_and_names_no_signature(spelling: str) -> None:
    original = genuine()
    forged = tokens.unsigned(original, spelling)
    assert forged.endswith(".") and tokens.header_of(forged)["alg"] == spelling
    assert tokens.claims_of(forged) == tokens.claims_of(original)


@pytest.mark.parametrize("form", ["pem", "jwk"])
def test_hs256_with_the_public_key_verifies_with_that_key_as_a_secret(form: str) -> None:
    forged = tokens.hs256_with_public_key(genuine(), published(), form=form)
    jwk = published()["keys"][0]
    secret = (json.dumps(jwk, separators=(",", ":")).encode() if form == "jwk" else
              RSAAlgorithm.from_jwk(json.dumps(jwk)).public_bytes(  # type: ignore[union-attr]
                  serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    header, payload, signature = forged.split(".")
    expected = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert tokens.header_of(forged)["alg"] == "HS256" and signature == tokens._b64(expected)


def test_a_stranger_names_its_key_where_a_careless_verifier_looks() -> None:
    bait = KeyBait()
    try:
        forged = tokens.signed_by_stranger(genuine(), jku=bait.jwks_url)
        keys = httpx.get(bait.jwks_url).json()
        certificate = httpx.get(bait.certificate_url).text
    finally:
        bait.close()
    assert tokens.header_of(forged)["jku"] == bait.jwks_url and bait.fetches == [
        "/.well-known/jwks.json", "/certificate.pem"]
    key = RSAAlgorithm.from_jwk(json.dumps(keys["keys"][0]))
    assert jwt.decode(forged, key, algorithms=["RS256"], audience="platform-api")["sub"] == "u1"  # type: ignore[arg-type]
    assert "BEGIN CERTIFICATE" in certificate and tokens.header_of(forged)["kid"] == tokens.STRANGER_KID


def test_platform_key_forgeries_change_one_thing() -> None:
    now = time.time()
    assert tokens.claims_of(tokens.expired(genuine(), PLATFORM_KEY))["exp"] == pytest.approx(now - 15, abs=2)
    assert tokens.claims_of(tokens.not_yet_valid(genuine(), PLATFORM_KEY))["nbf"] == pytest.approx(now + 15, abs=2)
    assert "exp" not in tokens.claims_of(tokens.without_expiry(genuine(), PLATFORM_KEY))
    assert tokens.header_of(tokens.signed_with(genuine(), PLATFORM_KEY, algorithm="RS512"))["alg"] == "RS512"


HOLDER = Holder(user_id="u1", tenant_id="t1", roles=frozenset({"sales_rep"}), issuer="platform-identity",
                jwks=published())


def test_a_genuine_pass_is_judged_a_pass_for_its_holder() -> None:
    assert is_pass_for(HOLDER).matches(genuine())


@pytest.mark.parametrize(("token", "fault"), [
    (lambda: genuine(iss="identity"), "iss is 'identity'"),
    (lambda: genuine(aud="api"), "aud is 'api'"),
    (lambda: genuine(roles=["admin"]), "roles are ['admin']"),
    (lambda: genuine(nbf=int(time.time()) + 60), "nbf"),
    (lambda: genuine(jti=""), "jti is ''"),
    (lambda: tokens.signed_by_stranger(genuine()), "names no key"),
    (lambda: tokens.signed_with(genuine(), PLATFORM_KEY, algorithm="RS512"), "not RS256"),
    (lambda: tokens.tampered(genuine(), sub="u2"), "sub is 'u2'"),
])
def test_a_pass_that_says_the_wrong_thing_is_judged_with_its_fault(token: Callable[[], str], fault: str) -> None:
    faults = is_pass_for(HOLDER).faults(token())
    assert any(fault in found for found in faults), faults


def pair_answer(lifetime: int = 900, **changes: object) -> httpx.Response:
    now = int(time.time())
    body = {"access_token": genuine(iat=now, exp=now + lifetime), "refresh_token": "RT", "token_type": "Bearer",
            "expires_in": lifetime, **changes}
    return httpx.Response(200, json=body, request=httpx.Request("POST", "http://identity.test/api/v1/auth/token"))


def test_a_sign_in_answer_must_be_a_bearer_pair_of_the_deployments_lifetime() -> None:
    assert hands_out_pass(900).matches(pair_answer())
    assert not hands_out_pass(900).matches(pair_answer(token_type="bearer-ish"))
    assert not hands_out_pass(900).matches(pair_answer(3600))
    assert "expires_in is 900, not 600" in hands_out_pass(600).faults(pair_answer())


def test_a_pass_is_recognised_by_a_success_or_a_refusal_for_the_role() -> None:
    assert recognises_pass().matches(httpx.Response(200, json={}))
    assert recognises_pass().matches(problem(403, "forbidden"))
    assert not recognises_pass().matches(unauthenticated())


def test_a_retry_after_beyond_the_lock_out_is_a_fault() -> None:
    assert told_to_wait(at_most=900).matches(problem(429, "too-many-attempts", **{"Retry-After": "900"}))
    assert not told_to_wait(at_most=3).matches(problem(429, "too-many-attempts", **{"Retry-After": "900"}))
