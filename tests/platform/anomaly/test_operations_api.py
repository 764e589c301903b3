"""Health, metrics, OpenAPI and the HTTP conventions of contract §1 and §6 on the anomaly service."""

from __future__ import annotations

from tests.platform.anomaly.conftest import World


def test_health_live_and_ready(world: World) -> None:
    assert world.client.get("/health/live").json() == {"status": "ok"}
    ready = world.client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and set(ready.json()["checks"]) >= {"database", "identity_keys"}


def test_ready_is_503_while_identity_keys_were_never_fetched(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from services.common.testing import FakeIdentity
    from tests.platform.anomaly.conftest import build_world

    identity = FakeIdentity()
    identity.down = True
    app, _ = build_world(tmp_path, identity)
    with TestClient(app) as client:
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["type"].endswith("/service-unavailable")
        assert "identity_keys" in response.json()["detail"]


def test_metrics_and_openapi(world: World) -> None:
    world.client.get("/api/v1/datasets", headers=world.h("ana"))
    text = world.client.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/api/v1/datasets",status="200"}' in text
    assert "http_request_duration_seconds_bucket" in text
    paths = world.client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/datasets", "/api/v1/detectors/{detector_id}/stream", "/api/v1/jobs/{job_id}"} <= set(paths)


def test_headers_unknown_routes_and_methods(world: World) -> None:
    response = world.client.get("/api/v1/datasets", headers={**world.h("ana"), "X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert world.client.get("/api/v1/nothing", headers=world.h("ana")).json()["type"].endswith("/not-found")
    response = world.client.put("/api/v1/datasets", headers=world.h("ana"), json={})
    assert response.status_code == 405
    assert response.json()["type"].endswith("/method-not-allowed")


def test_json_bodies_over_1_mib_are_413_except_detections(world: World) -> None:
    big = {"name": "d", "algorithm": "iqr", "features": ["x" * 100] * 1, "pad": "x" * (1024 * 1024)}
    assert world.client.post("/api/v1/detectors", headers=world.h("ana"), json=big).status_code == 413
    rows = [{"x": 1.0, "padding": "y" * 200}] * 6000  # ~1.4 MiB
    response = world.client.post("/api/v1/detectors/nope/detections", headers=world.h("ana"), json={"rows": rows})
    assert response.status_code == 404  # got past the body limit
