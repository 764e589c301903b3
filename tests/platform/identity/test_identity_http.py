"""Contract §1 and §6 on identity: problem documents, headers, body limits, health, metrics, rate limits."""

from __future__ import annotations

from pathlib import Path

from tests.platform.identity.support import Api, assert_problem, bearer, open_api


def test_unknown_route_and_wrong_method(api: Api) -> None:
    assert_problem(api.get("/api/v1/nothing-here", api.operator_token), 404, "not-found")
    assert_problem(api.client.get("/api/v1/auth/token"), 405, "method-not-allowed")
    assert_problem(api.client.delete("/api/v1/tenants/current", headers=bearer(api.operator_token)), 405,
                   "method-not-allowed")


def test_malformed_json_is_422(api: Api) -> None:
    response = api.client.post("/api/v1/auth/token", content=b'{"tenant": ',
                               headers={"Content-Type": "application/json"})
    body = assert_problem(response, 422, "validation-failed")
    assert body["errors"][0]["code"] == "malformed_json"


def test_other_media_types_are_415(api: Api) -> None:
    response = api.client.post("/api/v1/auth/token", content=b"tenant=x", headers={"Content-Type": "text/plain"})
    assert_problem(response, 415, "unsupported-media-type")


def test_bodies_over_one_mebibyte_are_413(api: Api) -> None:
    big = b'{"tenant": "' + b"x" * (1024 * 1024) + b'"}'
    response = api.client.post("/api/v1/auth/token", content=big, headers={"Content-Type": "application/json"})
    assert_problem(response, 413, "payload-too-large")


def test_headers_on_every_answer(api: Api) -> None:
    echoed = api.client.get("/api/v1/auth/me", headers={"X-Request-ID": "req-123", **bearer(api.operator_token)})
    assert echoed.headers["x-request-id"] == "req-123"
    assert echoed.headers["x-content-type-options"] == "nosniff"
    assert echoed.headers["cache-control"] == "no-store"
    fresh = api.client.post("/api/v1/auth/token", json={"tenant": "x", "email": "y@z.example", "password": "p"})
    assert fresh.headers["x-request-id"] and fresh.headers["cache-control"] == "no-store"


def test_no_error_leaks_internals(api: Api) -> None:
    for response in (api.sign_in("operator", api.settings.operator_email, "bad bad bad bad bad"),
                     api.client.get("/api/v1/users/x", headers={"Authorization": "Bearer x"})):
        text = response.text.lower()
        assert "traceback" not in text and "select " not in text and "$argon2" not in text and "/work" not in text


def test_health_metrics_openapi(api: Api) -> None:
    assert api.client.get("/health/live").json() == {"status": "ok"}
    ready = api.client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert ready.json()["checks"]["database"] == "ok"
    metrics = api.client.get("/metrics").text
    assert "http_requests_total" in metrics and "http_request_duration_seconds" in metrics
    paths = api.client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/users/{user_id}", "/.well-known/jwks.json"} <= set(paths)


def test_rate_limit_per_tenant(tmp_path: Path) -> None:
    for api in open_api(tmp_path, RATE_LIMIT_PER_TENANT="1"):
        token = api.operator_token
        answers = [api.get("/api/v1/auth/me", token) for _ in range(4)]
        limited = [answer for answer in answers if answer.status_code == 429]
        assert limited, [answer.status_code for answer in answers]
        assert_problem(limited[0], 429, "rate-limited")
        assert int(limited[0].headers["retry-after"]) >= 1
