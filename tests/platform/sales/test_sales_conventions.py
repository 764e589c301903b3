"""Sales speaks the platform conventions (§1), health and metrics (§6), all through services/common."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from services.common.settings import load_settings
from services.common.testing import FakeIdentity
from services.sales.app import create_app
from tests.platform.sales.support import Org, World, problem


def test_health_and_metrics(world: World) -> None:
    assert world.http.get("/health/live").json() == {"status": "ok"}
    ready = world.http.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert set(ready.json()["checks"]) >= {"database", "identity_keys"}
    world.http.get("/api/v1/deals")
    metrics = world.http.get("/metrics").text
    assert "http_requests_total{" in metrics and "http_request_duration_seconds_bucket" in metrics
    assert 'route="/api/v1/deals"' in metrics
    paths = world.http.get("/openapi.json").json()["paths"]
    assert {"/api/v1/clients", "/api/v1/deals/{deal_id}/transitions", "/api/v1/reports/pipeline"} <= set(paths)


def test_not_ready_until_identity_keys_fetched(tmp_path: Path) -> None:
    identity = FakeIdentity()
    identity.down = True
    settings = load_settings("sales", {"DATABASE_URL": f"sqlite:///{tmp_path / 'sales.db'}"})
    with TestClient(create_app(settings, identity=identity)) as http:
        problem(http.get("/health/ready"), 503, "service-unavailable")
        assert "identity_keys" in http.get("/health/ready").json()["detail"]
        identity.down = False
        deadline = time.monotonic() + 5
        while http.get("/health/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert http.get("/health/ready").status_code == 200


def test_cached_keys_keep_working_while_identity_is_down(world: World, acme: Org) -> None:
    acme.client("rita")
    headers = acme.h("rita")
    world.identity.down = True
    try:
        assert world.http.get("/api/v1/clients", headers=headers).json()["total"] == 1
    finally:
        world.identity.down = False


def test_headers_and_errors(world: World, acme: Org) -> None:
    answer = world.http.get("/api/v1/clients", headers=acme.h("rita", **{"X-Request-ID": "abc-123"}))
    assert answer.headers["x-request-id"] == "abc-123"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert world.http.get("/api/v1/clients", headers=acme.h("rita")).headers["x-request-id"]
    problem(world.http.get("/api/v1/nothing-here", headers=acme.h("rita")), 404, "not-found")
    problem(world.http.put("/api/v1/deals", headers=acme.h("rita")), 405, "method-not-allowed")
    problem(world.http.post("/api/v1/clients", content=b"name=x", headers=acme.h(
        "rita", **{"Content-Type": "application/x-www-form-urlencoded"})), 415, "unsupported-media-type")
    problem(world.http.post("/api/v1/clients", content=b"{bad json", headers=acme.h(
        "rita", **{"Content-Type": "application/json"})), 422, "validation-failed")
    big = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    problem(world.http.post("/api/v1/clients", content=big, headers=acme.h(
        "rita", **{"Content-Type": "application/json"})), 413, "payload-too-large")


def test_ids_are_opaque_uuids(world: World, acme: Org) -> None:
    import uuid

    deal = acme.deal("rita")
    assert uuid.UUID(deal["id"]).version == 4 and uuid.UUID(deal["client_id"]).version == 4


def test_changes_survive_a_restart(tmp_path: Path) -> None:
    identity = FakeIdentity()
    tenant = identity.add_tenant()
    rita = identity.add_user(tenant, ["sales_rep"])
    settings = load_settings("sales", {"DATABASE_URL": f"sqlite:///{tmp_path / 'sales.db'}"})
    body = {"name": "Initech", "email": "a@initech.example", "country": "DE"}
    with TestClient(create_app(settings, identity=identity)) as http:
        created = http.post("/api/v1/clients", json=body, headers=identity.headers(rita)).json()
    with TestClient(create_app(settings, identity=identity)) as http:
        assert http.get(f"/api/v1/clients/{created['id']}", headers=identity.headers(rita)).json() == created
