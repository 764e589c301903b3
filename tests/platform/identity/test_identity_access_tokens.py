"""Contract §2: access tokens, JWKS, and every way a token is refused (401 unauthenticated)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from services.common.keys import SigningKey, generate_key, load_key
from services.identity.app import create_app
from services.identity.tokens import GENERATED_KEY_NAME
from tests.platform.identity.support import Api, Org, assert_problem, bearer, make_settings

ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
def org(api: Api) -> Org:
    return api.create_tenant()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _key(api: Api) -> SigningKey:
    return load_key(Path(api.settings.data_dir) / GENERATED_KEY_NAME)


def forge(api: Api, org: Org, **overrides: object) -> str:
    """A token signed with identity's own key (contract: a test holding the key may mint any claims)."""
    now = int(time.time())
    claims = {"iss": "platform-identity", "aud": "platform-api", "sub": org.admin["id"],
              "tid": org.tenant["id"], "roles": ["admin"], "iat": now, "nbf": now, "exp": now + 300,
              "jti": f"forged-{now}-{id(overrides)}"}
    claims.update(overrides)
    claims = {name: value for name, value in claims.items() if value is not None}
    key = _key(api)
    return jwt.encode(claims, key.private_pem(), algorithm="RS256", headers={"kid": key.kid})


def assert_invalid_token(api: Api, token: str) -> None:
    response = api.get(ME, token)
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_token_answer_and_claims(api: Api, org: Org) -> None:
    answer = api.tokens(org.slug, org.admin_email)
    assert set(answer) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert answer["token_type"] == "Bearer" and answer["expires_in"] == 900
    header = jwt.get_unverified_header(answer["access_token"])
    assert header["alg"] == "RS256" and header["kid"] == _key(api).kid
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert {"iss", "aud", "sub", "tid", "roles", "iat", "nbf", "exp", "jti"} <= set(claims)
    assert claims["iss"] == "platform-identity" and claims["aud"] == "platform-api"
    assert claims["sub"] == org.admin["id"] and claims["tid"] == org.tenant["id"]
    assert claims["roles"] == ["admin"] and claims["exp"] - claims["iat"] == 900
    assert claims["nbf"] <= claims["iat"] + 1


def test_jwks_publishes_the_signing_key_by_rfc7638_kid(api: Api, org: Org) -> None:
    response = api.client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    (jwk,) = response.json()["keys"]
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and "d" not in jwk
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"))
    assert jwk["kid"] == _b64(hashlib.sha256(canonical.encode()).digest())
    token = api.token(org.slug, org.admin_email)
    public = jwt.PyJWK.from_dict(jwk).key
    assert jwt.decode(token, public, algorithms=["RS256"], audience="platform-api")["sub"] == org.admin["id"]


def test_me_answers_the_caller(api: Api, org: Org) -> None:
    response = api.get(ME, org.admin_token)
    assert response.status_code == 200
    assert response.json() == {"id": org.admin["id"], "tenant_id": org.tenant["id"],
                               "email": org.admin_email, "name": "Alice Admin", "roles": ["admin"]}


def test_no_token_gets_a_plain_bearer_challenge(api: Api) -> None:
    response = api.client.get(ME)
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
def test_malformed_tokens(api: Api, token: str) -> None:
    response = api.client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert_problem(response, 401, "unauthenticated")


def test_alg_none_is_refused(api: Api, org: Org) -> None:
    claims = jwt.decode(forge(api, org), options={"verify_signature": False})
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": _key(api).kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    assert_invalid_token(api, f"{header}.{payload}.")


def test_hs256_keyed_with_the_public_key_is_refused(api: Api, org: Org) -> None:
    claims = jwt.decode(forge(api, org), options={"verify_signature": False})
    public_pem = _key(api).public_pem()
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": _key(api).kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    signature = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert_invalid_token(api, f"{header}.{payload}.{signature}")
    assert_invalid_token(api, jwt.encode(claims, "a-shared-secret-that-is-long-enough!!", algorithm="HS256",
                                         headers={"kid": _key(api).kid}))


def test_unknown_kid_and_foreign_key_are_refused(api: Api, org: Org) -> None:
    claims = jwt.decode(forge(api, org), options={"verify_signature": False})
    own = _key(api)
    assert_invalid_token(api, jwt.encode(claims, own.private_pem(), algorithm="RS256", headers={"kid": "other"}))
    stranger = generate_key()
    assert_invalid_token(api, jwt.encode(claims, stranger.private_pem(), algorithm="RS256",
                                         headers={"kid": own.kid}))
    assert_invalid_token(api, jwt.encode(claims, own.private_pem(), algorithm="RS256"))  # no kid at all


def test_tampered_payload_is_refused(api: Api, org: Org) -> None:
    header, payload, signature = api.token(org.slug, org.admin_email).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin", "operator"]
    assert_invalid_token(api, f"{header}.{_b64(json.dumps(claims).encode())}.{signature}")


# Times are offsets from the moment the test runs (not from collection, which may be minutes earlier).
@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": -60},
        {"exp": None},
        {"nbf": +60},
        {"iss": "someone-else"},
        {"aud": "another-api"},
        {"sub": "00000000-0000-4000-8000-000000000000"},
        {"tid": "00000000-0000-4000-8000-000000000000"},
    ],
    ids=["expired", "no-exp", "nbf-future", "wrong-iss", "wrong-aud", "unknown-user", "wrong-tenant"],
)
def test_bad_claims_are_refused(api: Api, org: Org, overrides: dict[str, object]) -> None:
    now = int(time.time())
    overrides = {claim: now + value if claim in ("exp", "nbf") and isinstance(value, int) else value
                 for claim, value in overrides.items()}
    assert_invalid_token(api, forge(api, org, **overrides))


def test_leeway_of_ten_seconds_at_most(api: Api, org: Org) -> None:
    now = int(time.time())
    assert api.get(ME, forge(api, org, exp=now - 3)).status_code == 200
    assert api.get(ME, forge(api, org, nbf=now + 3)).status_code == 200
    assert_invalid_token(api, forge(api, org, exp=now - 15))
    assert_invalid_token(api, forge(api, org, nbf=now + 15))


def test_minted_token_with_any_roles_gets_current_roles(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["sales_rep"])
    token = forge(api, org, sub=user["id"], roles=["admin"])
    assert api.get(ME, token).json()["roles"] == ["sales_rep"]
    assert_problem(api.get("/api/v1/users", token), 403, "forbidden")


def test_logout_revokes_the_jti_at_once(api: Api, org: Org) -> None:
    token = api.token(org.slug, org.admin_email)
    assert api.post("/api/v1/auth/logout", token).status_code == 204
    assert_invalid_token(api, token)
    assert api.get(ME, org.admin_token).status_code == 200  # other sessions live on


def test_custom_issuer_and_key_file(tmp_path: Path) -> None:
    key = generate_key()
    key_file = tmp_path / "signing.pem"
    key_file.write_bytes(key.private_pem())
    settings = make_settings(tmp_path / "data", ISSUER="https://id.example", SIGNING_KEY_FILE=str(key_file),
                             ACCESS_TOKEN_TTL="60")
    with TestClient(create_app(settings)) as client:
        api = Api(client, settings)
        assert client.get("/.well-known/jwks.json").json()["keys"][0]["kid"] == key.kid
        answer = api.tokens("operator", settings.operator_email, settings.operator_password)
        claims = jwt.decode(answer["access_token"], key.private_key.public_key(), algorithms=["RS256"],
                            audience="platform-api", issuer="https://id.example")
        assert answer["expires_in"] == 60 and claims["exp"] - claims["iat"] == 60
    assert not (tmp_path / "data" / GENERATED_KEY_NAME).exists()


def test_generated_key_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings)) as client:
        token = Api(client, settings).token("operator", settings.operator_email, settings.operator_password)
    pem = (tmp_path / GENERATED_KEY_NAME).read_bytes()
    assert serialization.load_pem_private_key(pem, password=None)
    with TestClient(create_app(settings)) as client:
        assert client.get(ME, headers=bearer(token)).status_code == 200
