"""What a 2xx promised survives a restart; interrupted training jobs run again at start-up."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from services.anomaly.models import Detector, Job
from services.common.clock import utcnow
from services.common.testing import FakeIdentity
from tests.platform.anomaly.conftest import World, build_world, wait_for_job


def test_datasets_detectors_and_models_survive_a_restart(tmp_path: Path) -> None:
    identity = FakeIdentity()
    tenant = identity.add_tenant(plan="growth")
    ana = identity.add_user(tenant, ["analyst"])
    app, _ = build_world(tmp_path, identity)
    rows = [[float(i), float(i % 4)] for i in range(60)]
    with TestClient(app) as client:
        world = World(client, identity, {"acme": tenant}, {"ana": ana})
        ds = world.dataset(columns=["x", "y"], rows=rows)
        det = world.detector(algorithm="isolation_forest", features=["x", "y"])
        world.train(det["id"], ds["id"])
        before = client.post(f"/api/v1/detectors/{det['id']}/detections", headers=world.h("ana"),
                             json={"dataset_id": ds["id"]}).json()
    restarted, _ = build_world(tmp_path, identity)
    with TestClient(restarted) as client:
        headers = identity.headers(ana)
        assert client.get(f"/api/v1/datasets/{ds['id']}", headers=headers).json()["row_count"] == 60
        assert client.get(f"/api/v1/detectors/{det['id']}", headers=headers).json()["version"] == 1
        after = client.post(f"/api/v1/detectors/{det['id']}/detections", headers=headers,
                            json={"dataset_id": ds["id"]}).json()
        assert after == before


def test_jobs_left_running_are_run_again_at_start_up(tmp_path: Path) -> None:
    identity = FakeIdentity()
    tenant = identity.add_tenant(plan="growth")
    ana = identity.add_user(tenant, ["analyst"])
    app, _ = build_world(tmp_path, identity)
    client = TestClient(app)  # no lifespan: the worker never starts, as if killed mid-job
    world = World(client, identity, {"acme": tenant}, {"ana": ana})
    ds = world.dataset(columns=["x", "y"], rows=[[1, 2], [2, 3], [3, 5]])
    det = world.detector()
    with app.state.anomaly.db.session() as session:
        session.add(Job(id="job-interrupted", tenant_id=tenant, kind="training", status="running",
                        detector_id=det["id"], dataset_id=ds["id"], use_feedback=False, requested_by=ana,
                        created_at=utcnow(), started_at=utcnow()))
        session.get(Detector, det["id"]).status = "training"  # type: ignore[union-attr]
    restarted, _ = build_world(tmp_path, identity)
    with TestClient(restarted) as fresh:
        job = wait_for_job(fresh, "job-interrupted", identity.headers(ana))
        assert job["status"] == "succeeded"
        detector = fresh.get(f"/api/v1/detectors/{det['id']}", headers=identity.headers(ana)).json()
        assert (detector["status"], detector["version"]) == ("trained", 1)
