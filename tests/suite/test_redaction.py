"""No token, password, refresh token, cookie or PEM reaches a run's allure-results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import jwt
import pytest

from support.data.tokens import new_rsa_key_pem
from support.http.client import describe, make_client
from support.http.exchanges import MASK, attach, redact_body, redact_headers, redact_json, redact_text, render
from support.runner.config import Timeouts

from .conftest import FIXTURES

# One process builds this module's expensive fixture (pytest-xdist --dist loadgroup, .ci/run).
pytestmark = pytest.mark.xdist_group("redaction")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def secrets() -> dict[str, str]:
    pem = new_rsa_key_pem()
    token = jwt.encode({"sub": "u1", "tid": "t1"}, pem, algorithm="RS256", headers={"kid": "k"})
    return {"jwt": token, "refresh": "rt-8f2b1c9e5d7a4b3c", "password": "correct horse battery staple 42",
            "cookie": "c00kie-v4lue-xyz", "pem": pem}


def test_json_keys_are_masked_recursively() -> None:
    body = {"email": "a@b.c", "Password": "p", "user": {"refresh_token": "r", "ACCESS_TOKEN": "a"},
            "items": [{"client_secret": "s", "api_key": "k", "credentials": {"x": 1}, "private": "v"}],
            "token_type": "Bearer", "count": 3}
    redacted = redact_json(body)
    assert redacted["email"] == "a@b.c" and redacted["count"] == 3 and redacted["token_type"] == "Bearer"
    assert redacted["Password"] == MASK
    assert redacted["user"] == {"refresh_token": MASK, "ACCESS_TOKEN": MASK}
    assert set(redacted["items"][0].values()) == {MASK}


def test_jwt_pem_and_query_secrets_in_text(secrets: dict[str, str]) -> None:
    text = f"see {secrets['jwt']} and\n{secrets['pem']} at /x?access_token=abc&page=2"
    redacted = redact_text(text)
    assert secrets["jwt"] not in redacted and "PRIVATE KEY" not in redacted and "abc" not in redacted
    assert "page=2" in redacted


def test_secret_headers(secrets: dict[str, str]) -> None:
    headers = dict(redact_headers([("Authorization", f"Bearer {secrets['jwt']}"), ("Cookie", "a=b"),
                                   ("set-cookie", "s=1"), ("X-Request-ID", "r1")]))
    assert headers == {"Authorization": f"Bearer {MASK}", "Cookie": MASK, "set-cookie": MASK,
                       "X-Request-ID": "r1"}


def test_big_bodies_are_truncated() -> None:
    rendered = redact_body(b"x" * 50_000, "text/plain")
    assert len(rendered) < 21_000 and "truncated" in rendered


def mock_client(handler: object) -> httpx.Client:
    return make_client("http://sales.test", service="sales", transport=httpx.MockTransport(handler),
                       timeouts=Timeouts(connect=1, read=1, ready=1, eventually=1), checked=False)


def test_client_sends_a_fresh_request_id_and_describe_names_it() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["X-Request-ID"])
        return httpx.Response(422, json={"title": "Validation failed", "password": "leak"})

    with mock_client(handler) as client:
        first = client.post("/api/v1/deals", json={})
        client.get("/api/v1/deals")
    assert len(set(seen)) == 2
    line = describe(first)
    assert line.startswith(f"POST /api/v1/deals -> 422 (request id {seen[0]}): ")
    assert "Validation failed" in line and "leak" not in line


def test_render_and_attach_outside_allure(secrets: dict[str, str]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": secrets["jwt"]})

    with mock_client(handler) as client:
        response = client.post("/api/v1/auth/token", json={"password": secrets["password"]})
    rendered = render(response)
    assert secrets["jwt"] not in rendered and secrets["password"] not in rendered
    attach(response)  # no Allure test is running: must not raise


def test_no_secret_reaches_allure_results(secrets: dict[str, str], tmp_path: Path) -> None:
    results = tmp_path / "results"
    env = {**os.environ, "REDACTION_SECRETS": json.dumps(secrets)}
    run = subprocess.run(
        [sys.executable, "-m", "behave", "--no-capture", "-f", "allure_behave.formatter:AllureFormatter",
         "-o", str(results), "-f", "plain", str(FIXTURES / "redaction" / "features")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    written = "\n".join(path.read_text(errors="replace") for path in results.iterdir())
    titles = [att["name"] for path in results.glob("*-result.json")
              for step in json.loads(path.read_text())["steps"] for att in step.get("attachments", [])]
    assert titles == ["POST /api/v1/auth/token → 200", "POST /api/v1/keys → 201"]
    for name, value in secrets.items():
        probe = value.splitlines()[1] if name == "pem" else value
        assert probe not in written, f"{name} leaked into allure-results"
    assert "a@acme.test" in written and MASK in written
