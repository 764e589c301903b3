"""Anomaly service under test: in-process ASGI app, temp SQLite per module, FakeIdentity for identity."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.anomaly.app import create_app
from services.common.settings import load_settings
from services.common.testing import FakeIdentity


@dataclass
class World:
    client: TestClient
    identity: FakeIdentity
    tenants: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return self.identity.headers(self.users[who])

    # -- shortcuts used by many tests --------------------------------------------------------------
    def dataset(self, who: str = "ana", *, name: str = "data", columns: list[str] | None = None,
                rows: list[list[Any]] | None = None) -> dict[str, Any]:
        response = self.client.post("/api/v1/datasets", headers=self.h(who),
                                    json={"name": name, "columns": columns or ["x", "y"],
                                          "rows": rows if rows is not None else [[1, 2], [2, 3], [3, 4]]})
        assert response.status_code == 201, response.text
        return response.json()

    def detector(self, who: str = "ana", **body: Any) -> dict[str, Any]:
        payload = {"name": "d", "algorithm": "robust_zscore", "features": ["x", "y"], **body}
        response = self.client.post("/api/v1/detectors", headers=self.h(who), json=payload)
        assert response.status_code == 201, response.text
        return response.json()

    def train(self, detector_id: str, dataset_id: str, who: str = "ana", *, use_feedback: bool = False,
              expect: str = "succeeded") -> dict[str, Any]:
        response = self.client.post(f"/api/v1/detectors/{detector_id}/training", headers=self.h(who),
                                    json={"dataset_id": dataset_id, "use_feedback": use_feedback})
        assert response.status_code == 202, response.text
        job = wait_for_job(self.client, response.json()["job_id"], self.h(who))
        assert job["status"] == expect, job
        return job


def wait_for_job(client: TestClient, job_id: str, headers: dict[str, str], within: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def build_world(data_dir: Path, identity: FakeIdentity | None = None) -> tuple[Any, FakeIdentity]:
    identity = identity or FakeIdentity()
    settings = load_settings("anomaly", {"DATA_DIR": str(data_dir), "RATE_LIMIT_PER_TENANT": "10000"})
    return create_app(settings, identity=identity), identity


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    app, identity = build_world(tmp_path_factory.mktemp("anomaly"))
    acme = identity.add_tenant(plan="growth", slug="acme")
    globex = identity.add_tenant(plan="growth", slug="globex")
    small = identity.add_tenant(plan="starter", slug="small")
    operator = identity.add_tenant(plan="enterprise", slug="operator")
    users = {
        "ana": identity.add_user(acme, ["analyst"], name="Ana"),
        "alice": identity.add_user(acme, ["admin"], name="Alice"),
        "otto": identity.add_user(acme, ["auditor"], name="Otto"),
        "rita": identity.add_user(acme, ["sales_rep"], name="Rita"),
        "maria": identity.add_user(acme, ["sales_manager"], name="Maria"),
        "bob": identity.add_user(globex, ["admin"], name="Bob"),
        "sam": identity.add_user(small, ["analyst"], name="Sam"),
        "oscar": identity.add_user(operator, ["operator"], name="Oscar"),
    }
    with TestClient(app) as client:
        yield World(client, identity, {"acme": acme, "globex": globex, "small": small}, users)
