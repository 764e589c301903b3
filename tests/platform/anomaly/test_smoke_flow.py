"""The happy path end to end: upload, profile, detector, train, detect, stream, feedback, evaluate."""

from __future__ import annotations

import json

from tests.platform.anomaly.conftest import World


def test_full_flow(world: World) -> None:
    rows = [[float(i % 7), float(i % 5), "a" if i % 2 else "b", 1 if i == 40 else 0] for i in range(40)]
    rows.append([100.0, 100.0, "a", 1])
    ds = world.dataset(columns=["x", "y", "cat", "label"], rows=rows)
    assert ds["row_count"] == 41
    assert ds["columns"] == [{"name": "x", "type": "numeric"}, {"name": "y", "type": "numeric"},
                             {"name": "cat", "type": "categorical"}, {"name": "label", "type": "numeric"}]
    profile = world.client.get(f"/api/v1/datasets/{ds['id']}/profile", headers=world.h("otto")).json()
    assert profile["row_count"] == 41
    det = world.detector(algorithm="isolation_forest", features=["x", "y"])
    assert det["status"] == "untrained" and det["version"] == 0
    world.train(det["id"], ds["id"])
    det = world.client.get(f"/api/v1/detectors/{det['id']}", headers=world.h("ana")).json()
    assert det["status"] == "trained" and det["version"] == 1 and det["training_rows"] == 41
    result = world.client.post(f"/api/v1/detectors/{det['id']}/detections", headers=world.h("ana"),
                               json={"rows": [{"x": 100, "y": 100}, {"x": 1, "y": 1}]}).json()
    assert result["results"][0]["is_anomaly"] is True
    body = "\n".join(json.dumps(r) for r in [{"x": 100, "y": 100}, {"x": 1}, {"x": 1, "y": 2}]) + "\n"
    response = world.client.post(f"/api/v1/detectors/{det['id']}/stream", content=body,
                                 headers={**world.h("ana"), "Content-Type": "application/x-ndjson"})
    assert response.status_code == 200, response.text
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["index"] for line in lines] == [0, 1, 2] and "error" in lines[1]
    metrics = world.client.post(f"/api/v1/detectors/{det['id']}/evaluations", headers=world.h("ana"),
                                json={"dataset_id": ds["id"], "label_column": "label"})
    assert metrics.status_code == 200, metrics.text
