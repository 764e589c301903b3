"""Detectors: validation, defaults, quota, asynchronous training and jobs (contract §5)."""

from __future__ import annotations

import pytest

from tests.platform.anomaly.conftest import World, wait_for_job


def create(world: World, who: str = "ana", **body: object):
    payload = {"name": "d", "algorithm": "robust_zscore", "features": ["x"], **body}
    return world.client.post("/api/v1/detectors", headers=world.h(who), json=payload)


def errors(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_detector_answer_and_defaults(world: World) -> None:
    response = create(world, algorithm="isolation_forest", features=["x", "y"])
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "tenant_id", "name", "algorithm", "features", "params", "status", "version",
                         "trained_at", "training_rows", "created_at"}
    assert body["params"] == {"contamination": 0.05, "random_seed": 0}
    assert (body["status"], body["version"], body["trained_at"], body["training_rows"]) == ("untrained", 0, None, None)
    assert create(world).json()["params"] == {"threshold": 3.5, "random_seed": 0}
    assert create(world, algorithm="iqr").json()["params"] == {"threshold": 1.5, "random_seed": 0}
    assert create(world, threshold=2, random_seed=9).json()["params"] == {"threshold": 2.0, "random_seed": 9}


@pytest.mark.parametrize(("body", "expected"), [
    ({"algorithm": "kmeans"}, ("algorithm", "invalid_choice")),
    ({"features": []}, ("features", "too_short")),
    ({"features": ["x", "x"]}, ("features", "duplicate_feature")),
    ({"algorithm": "isolation_forest", "contamination": 0}, ("contamination", "out_of_range")),
    ({"algorithm": "isolation_forest", "contamination": 0.51}, ("contamination", "out_of_range")),
    ({"algorithm": "isolation_forest", "contamination": "0.1"}, ("contamination", "invalid_type")),
    ({"threshold": 0}, ("threshold", "out_of_range")),
    ({"threshold": -1}, ("threshold", "out_of_range")),
    ({"random_seed": -1}, ("random_seed", "out_of_range")),
    ({"random_seed": 1.5}, ("random_seed", "invalid_type")),
    ({"algorithm": "isolation_forest", "threshold": 2}, ("threshold", "not_applicable")),
    ({"contamination": 0.1}, ("contamination", "not_applicable")),
    ({"version": 3}, ("version", "read_only_field")),
    ({"colour": "red"}, ("colour", "unknown_field")),
    ({"name": "  "}, ("name", "blank")),
])
def test_invalid_detectors_are_422(world: World, body: dict[str, object], expected: tuple[str, str]) -> None:
    assert expected in errors(create(world, **body))


def test_contamination_bounds_are_accepted(world: World) -> None:
    assert create(world, algorithm="isolation_forest", contamination=0.5).status_code == 201


def test_detector_quota_of_the_plan(world: World) -> None:
    for _ in range(3):
        assert create(world, "sam").status_code == 201
    response = create(world, "sam")
    assert response.status_code == 403
    assert response.json()["type"] == "https://problems.platform.example/quota-exceeded"


def test_training_is_asynchronous_and_bumps_the_version(world: World) -> None:
    ds = world.dataset(columns=["x", "label"], rows=[[v, 0] for v in (1, 2, 3, 4, 5)])
    det = create(world).json()
    response = world.client.post(f"/api/v1/detectors/{det['id']}/training", headers=world.h("ana"),
                                 json={"dataset_id": ds["id"]})
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"job_id", "status"} and body["status"] == "queued"
    assert response.headers["location"] == f"/api/v1/jobs/{body['job_id']}"
    job = wait_for_job(world.client, body["job_id"], world.h("otto"))
    assert set(job) >= {"id", "kind", "status", "detector_id", "error", "created_at", "finished_at"}
    assert (job["kind"], job["status"], job["detector_id"], job["error"]) == ("training", "succeeded", det["id"], None)
    assert job["finished_at"].endswith("Z")
    trained = world.client.get(f"/api/v1/detectors/{det['id']}", headers=world.h("ana")).json()
    assert (trained["status"], trained["version"], trained["training_rows"]) == ("trained", 1, 5)
    assert trained["trained_at"].endswith("Z")
    world.train(det["id"], ds["id"])
    assert world.client.get(f"/api/v1/detectors/{det['id']}", headers=world.h("ana")).json()["version"] == 2
    actions = [e["action"] for e in world.client.get(
        f"/api/v1/audit-events?resource_id={det['id']}&page_size=100", headers=world.h("alice")).json()["items"]]
    assert actions[:2] == ["detector.created", "detector.training_requested"]
    assert actions.count("detector.trained") == 2


def test_features_must_be_numeric_columns_of_the_training_dataset(world: World) -> None:
    ds = world.dataset(columns=["x", "cat"], rows=[[1, "a"], [2, "b"]])
    for features in (["cat"], ["nope"], ["x", "nope"]):
        det = create(world, features=features).json()
        response = world.client.post(f"/api/v1/detectors/{det['id']}/training", headers=world.h("ana"),
                                     json={"dataset_id": ds["id"]})
        assert response.status_code == 422
        assert [e["code"] for e in response.json()["errors"]] == ["unknown_feature"]
        detector = world.client.get(f"/api/v1/detectors/{det['id']}", headers=world.h("ana")).json()
        assert detector["status"] == "untrained"


def test_training_that_cannot_produce_a_model_fails_the_job(world: World) -> None:
    ds = world.dataset(columns=["x", "y"], rows=[[1, None], [None, 2]])
    det = create(world, features=["x", "y"]).json()
    job = world.train(det["id"], ds["id"], expect="failed")
    assert "at least 2 rows" in job["error"]
    failed = world.client.get(f"/api/v1/detectors/{det['id']}", headers=world.h("ana")).json()
    assert (failed["status"], failed["version"]) == ("failed", 0)


def test_training_body_validation(world: World) -> None:
    det = create(world).json()
    url = f"/api/v1/detectors/{det['id']}/training"
    assert ("dataset_id", "required") in errors(world.client.post(url, headers=world.h("ana"), json={}))
    assert ("dataset_id", "unknown_reference") in errors(
        world.client.post(url, headers=world.h("ana"), json={"dataset_id": "nope"}))
    assert ("use_feedback", "invalid_type") in errors(
        world.client.post(url, headers=world.h("ana"), json={"dataset_id": "nope", "use_feedback": "yes"}))


def test_unknown_job_is_404(world: World) -> None:
    response = world.client.get("/api/v1/jobs/nope", headers=world.h("ana"))
    assert response.status_code == 404
    assert response.json()["type"] == "https://problems.platform.example/not-found"
