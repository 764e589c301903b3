"""Detection, streaming, feedback and evaluation over HTTP (contract §5)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from services.anomaly.algorithms import INFINITE_SCORE
from tests.platform.anomaly.conftest import World

NDJSON = {"Content-Type": "application/x-ndjson"}


@pytest.fixture(scope="module")
def trained(world: World) -> dict[str, str]:
    rng = np.random.default_rng(5)
    rows = [[round(float(a), 6), round(float(b), 6), int(i >= 190)] for i, (a, b) in
            enumerate(rng.normal(size=(200, 2)))]
    for row in rows[190:]:
        row[0] += 8.0
    ds = world.dataset(columns=["x", "y", "label"], rows=rows)
    forest = world.detector(algorithm="isolation_forest", features=["x", "y"], contamination=0.05, random_seed=1)
    world.train(forest["id"], ds["id"])
    zscore = world.detector(algorithm="robust_zscore", features=["x"])
    world.train(zscore["id"], ds["id"])
    return {"ds": ds["id"], "forest": forest["id"], "zscore": zscore["id"], "rows": json.dumps(rows)}


def detect(world: World, detector_id: str, body: dict[str, object], who: str = "ana"):
    return world.client.post(f"/api/v1/detectors/{detector_id}/detections", headers=world.h(who), json=body)


def test_detection_result_shape(world: World, trained: dict[str, str]) -> None:
    response = detect(world, trained["zscore"], {"rows": [{"x": 0.0, "y": 1}, {"x": 50, "extra": "ok"}]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"detector_id", "detector_version", "threshold", "anomaly_count", "results"}
    assert (body["detector_id"], body["detector_version"], body["threshold"]) == (trained["zscore"], 1, 3.5)
    assert body["anomaly_count"] == 1
    assert [r["index"] for r in body["results"]] == [0, 1]
    assert [r["is_anomaly"] for r in body["results"]] == [False, True]


def test_isolation_forest_flags_the_top_contamination_of_training_rows(world: World, trained: dict[str, str]) -> None:
    body = detect(world, trained["forest"], {"dataset_id": trained["ds"]}).json()
    assert body["anomaly_count"] == 10  # 5 % of 200
    flagged = {r["index"] for r in body["results"] if r["is_anomaly"]}
    assert all(r["score"] > body["threshold"] for r in body["results"] if r["is_anomaly"])
    assert len(flagged & set(range(190, 200))) >= 8


def test_same_version_and_rows_give_the_same_results(world: World, trained: dict[str, str]) -> None:
    rows = [{"x": x, "y": -x} for x in np.linspace(-5, 5, 50).tolist()]
    first = detect(world, trained["forest"], {"rows": rows}).json()
    second = detect(world, trained["forest"], {"rows": rows}).json()
    assert first == second


def test_untrained_detector_is_409(world: World) -> None:
    det = world.detector()
    response = detect(world, det["id"], {"rows": [{"x": 1, "y": 2}]})
    assert response.status_code == 409
    assert response.json()["type"] == "https://problems.platform.example/detector-not-trained"
    stream = world.client.post(f"/api/v1/detectors/{det['id']}/stream", content=b'{"x":1,"y":2}\n',
                               headers={**world.h("ana"), **NDJSON})
    assert stream.status_code == 409


def test_a_row_missing_a_feature_is_422_naming_its_index(world: World, trained: dict[str, str]) -> None:
    response = detect(world, trained["forest"], {"rows": [{"x": 1, "y": 1}, {"x": 1, "y": 1}, {"x": 1}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rows[2]"
    assert "'y'" in response.json()["errors"][0]["message"]
    response = detect(world, trained["forest"], {"rows": [{"x": "abc", "y": 1}, 5]})
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("rows[0]", "invalid_value"), ("rows[1]", "invalid_type")]


def test_detection_body_rules(world: World, trained: dict[str, str]) -> None:
    too_many = detect(world, trained["zscore"], {"rows": [{"x": 1}] * 10_001})
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["code"] == "too_many_rows"
    assert detect(world, trained["zscore"], {"rows": [{"x": 1}] * 10_000}).status_code == 200
    both = detect(world, trained["zscore"], {"rows": [], "dataset_id": trained["ds"]})
    assert both.status_code == 422
    assert detect(world, trained["zscore"], {}).status_code == 422
    unknown = detect(world, trained["zscore"], {"dataset_id": "nope"})
    assert unknown.json()["errors"][0]["code"] == "unknown_reference"


def test_infinite_scores_are_the_largest_finite_number(world: World) -> None:
    ds = world.dataset(columns=["x", "y"], rows=[[5, 1], [5, 2], [5, 3]])
    det = world.detector(features=["x"])
    world.train(det["id"], ds["id"])
    results = detect(world, det["id"], {"rows": [{"x": 5}, {"x": 5.5}]}).json()["results"]
    assert results[0] == {"index": 0, "score": 0.0, "is_anomaly": False}
    assert results[1] == {"index": 1, "score": INFINITE_SCORE, "is_anomaly": True}


def test_stream_one_result_line_per_input_line_in_order(world: World, trained: dict[str, str]) -> None:
    lines = [json.dumps({"x": x, "y": 0}) for x in range(5)]
    lines.insert(2, "{not json")
    lines.insert(4, json.dumps({"y": 1}))
    response = world.client.post(f"/api/v1/detectors/{trained['zscore']}/stream",
                                 content="\n".join(lines) + "\n", headers={**world.h("ana"), **NDJSON})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in response.text.splitlines()]
    assert [o["index"] for o in out] == list(range(7))
    assert "error" in out[2] and "error" in out[4]
    assert all({"score", "is_anomaly"} <= set(o) for i, o in enumerate(out) if i not in (2, 4))
    batch = detect(world, trained["zscore"], {"rows": [json.loads(lines[i]) for i in (0, 1, 3, 5, 6)]}).json()
    assert [o["score"] for i, o in enumerate(out) if i not in (2, 4)] == [r["score"] for r in batch["results"]]


def test_stream_needs_ndjson(world: World, trained: dict[str, str]) -> None:
    response = world.client.post(f"/api/v1/detectors/{trained['zscore']}/stream", json={"x": 1},
                                 headers=world.h("ana"))
    assert response.status_code == 415


def test_feedback_is_201_and_audited(world: World, trained: dict[str, str]) -> None:
    response = world.client.post(f"/api/v1/detectors/{trained['zscore']}/feedback", headers=world.h("ana"),
                                 json={"row": {"x": 1, "y": 2}, "label": "anomaly"})
    assert response.status_code == 201
    assert response.json()["label"] == "anomaly"
    bad = world.client.post(f"/api/v1/detectors/{trained['zscore']}/feedback", headers=world.h("ana"),
                            json={"row": {"x": 1}, "label": "weird"})
    assert bad.status_code == 422
    missing = world.client.post(f"/api/v1/detectors/{trained['zscore']}/feedback", headers=world.h("ana"),
                                json={"row": {"y": 1}, "label": "normal"})
    assert missing.json()["errors"][0]["field"] == "row"
    events = world.client.get("/api/v1/audit-events?action=feedback.recorded", headers=world.h("otto")).json()
    assert events["total"] >= 1


def test_training_with_feedback_classifies_labelled_rows_as_labelled(world: World) -> None:
    rows = [[float(v), float(v % 3)] for v in range(1, 41)] + [[500.0, 1.0]]
    ds = world.dataset(columns=["x", "y"], rows=rows)
    for algorithm in ("isolation_forest", "robust_zscore", "iqr"):
        det = world.detector(algorithm=algorithm, features=["x", "y"])
        world.train(det["id"], ds["id"])
        url = f"/api/v1/detectors/{det['id']}"
        before = detect(world, det["id"], {"rows": [{"x": 500, "y": 1}, {"x": 20, "y": 2}]}).json()["results"]
        assert [r["is_anomaly"] for r in before] == [True, False]
        for row, label in (({"x": 500, "y": 1}, "normal"), ({"x": 20, "y": 2}, "anomaly")):
            assert world.client.post(f"{url}/feedback", headers=world.h("ana"),
                                     json={"row": row, "label": label}).status_code == 201
        world.train(det["id"], ds["id"], use_feedback=True)
        after = detect(world, det["id"], {"rows": [{"x": 500, "y": 1}, {"x": 20.0, "y": 2}]}).json()
        assert after["detector_version"] == 2
        assert [r["is_anomaly"] for r in after["results"]] == [False, True], algorithm


def test_evaluation_metrics(world: World) -> None:
    rows = [[float(v), "0"] for v in range(1, 21)] + [[100.0, "1"], [101.0, "true"], [10.0, "TRUE"]]
    ds = world.dataset(columns=["x", "label"], rows=rows)
    det = world.detector(algorithm="robust_zscore", features=["x"])
    world.train(det["id"], ds["id"])
    response = world.client.post(f"/api/v1/detectors/{det['id']}/evaluations", headers=world.h("ana"),
                                 json={"dataset_id": ds["id"], "label_column": "label"})
    assert response.status_code == 200, response.text
    assert response.json() == {"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "true_positives": 2,
                               "false_positives": 0, "true_negatives": 20, "false_negatives": 1}


def test_evaluation_label_column_rules(world: World) -> None:
    ds = world.dataset(columns=["x", "label", "other"], rows=[[1, 0, 5], [2, 1, 7], [3, 0, 2]])
    det = world.detector(features=["x"])
    world.train(det["id"], ds["id"])
    url = f"/api/v1/detectors/{det['id']}/evaluations"
    for column, code in (("x", "label_is_feature"), ("nope", "unknown_column"), ("other", "invalid_label")):
        response = world.client.post(url, headers=world.h("ana"), json={"dataset_id": ds["id"], "label_column": column})
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == code
    untrained = world.detector(features=["x"])
    response = world.client.post(f"/api/v1/detectors/{untrained['id']}/evaluations", headers=world.h("ana"),
                                 json={"dataset_id": ds["id"], "label_column": "label"})
    assert response.status_code == 409
