"""Fixtures for the sign-off tests: the recorded allure-behave results and a small results builder."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
JUNIT = FIXTURES / "junit"  # pytest junit reports holding mutant runs of tests/bites (the bite score)
JUNIT_CAUGHT = JUNIT / "caught.xml"  # control passed, every mutant caught: bites_caught passes

ResultsBuilder = Callable[..., Path]
# What the suite's hooks capture from each service during a run (allure-results/api/<service>.json).
API_DOCUMENT = {
    "openapi": "3.1.0", "info": {"title": "sales", "version": "1.0.0"},
    "paths": {"/api/v1/deals": {"post": {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["title"],
            "properties": {"title": {"type": "string"}, "amount": {"type": "string"}}}}}},
        "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"id": {"type": "string"}, "amount": {"type": "string"},
                                             "version": {"type": "integer"}}}}}}}}}},
}


@pytest.fixture
def mixed_results() -> Path:
    """Real allure-behave 2.16.2 output: passed, failed, broken, skipped, and a retried scenario."""
    return FIXTURES / "results-mixed"


@pytest.fixture
def catalogue_path() -> Path:
    return FIXTURES / "requirements.yaml"


def result(
    name: str,
    status: str = "passed",
    *,
    epic: str = "Sales",
    feature: str = "Commission on received payments",
    tags: Sequence[str] = (),
    severity: str = "normal",
    story: str = "",
    message: str = "",
    start: int = 1_700_000_000_000,
    history_id: str | None = None,
) -> dict[str, object]:
    """One scenario result the way allure-behave writes it."""
    labels = [{"name": "epic", "value": epic}, {"name": "severity", "value": severity}]
    labels += [{"name": "tag", "value": t} for t in tags]
    labels += [{"name": "feature", "value": feature}, {"name": "framework", "value": "behave"}]
    if story:
        labels.append({"name": "story", "value": story})
    item: dict[str, object] = {
        "name": name,
        "status": status,
        "steps": [],
        "start": start,
        "stop": start + 10,
        "uuid": str(uuid.uuid4()),
        "historyId": history_id or uuid.uuid5(uuid.NAMESPACE_URL, f"{feature}/{name}").hex,
        "fullName": f"{feature}: {name}",
        "labels": labels,
    }
    if message:
        item["statusDetails"] = {"message": message, "trace": "  File steps/x.py"}
    return item


LATENCY_DOCUMENT = {  # what a run leaves in latency/ (support/http/latency.py): answer times well within budget
    "environment": "staging",
    "budgets": {"read_p95_ms": 500, "write_p95_ms": 800, "routes": {}, "min_samples": 20},
    "samples": {"sales GET /api/v1/deals/{id}": [12.5] * 30, "sales POST /api/v1/deals": [40.0] * 25,
                "identity GET /api/v1/users/me": [8.0, 9.0]},
}


@pytest.fixture
def make_results(tmp_path: Path) -> ResultsBuilder:
    def build(*items: dict[str, object], name: str = "allure-results", seed: str = "7") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for item in items:
            (folder / f"{item['uuid']}-result.json").write_text(json.dumps(item), encoding="utf-8")
        (folder / "environment.properties").write_text(
            f"environment=staging\nbuild=2.0.0\ncommit=abc1234\nseed={seed}\n", encoding="utf-8"
        )
        (folder / "executor.json").write_text(json.dumps({"name": "ci", "buildName": "#42"}), encoding="utf-8")
        (folder / "api").mkdir()
        (folder / "api" / "sales.json").write_text(json.dumps(API_DOCUMENT), encoding="utf-8")
        (folder / "latency").mkdir()
        (folder / "latency" / "run-1.json").write_text(json.dumps(LATENCY_DOCUMENT), encoding="utf-8")
        return folder

    return build


@pytest.fixture
def passing_results(make_results: ResultsBuilder) -> Path:
    """Every catalogue requirement covered and passed."""
    return make_results(
        result("commission", tags=["smoke", "REQ-SALES-COMM-01"], severity="critical"),
        result("approval", tags=["REQ-SALES-DEAL-02"], severity="critical"),
        result("notified", tags=["REQ-SALES-NOTIF-01"]),
        result("training", epic="Anomaly detection", feature="Training", tags=["REQ-ANOM-TRAIN-01"]),
        result("repeatable", epic="Anomaly detection", feature="Detection", tags=["REQ-ANOM-DET-01"]),
        result("isolation", epic="Tenant isolation", feature="Isolation", tags=["REQ-TEN-ISO-01"]),
        result("sign in", epic="Authentication", feature="Sign in", tags=["smoke", "REQ-AUTH-LOGIN-01"]),
        result("lock out", epic="Authentication", feature="Sign in", tags=["REQ-AUTH-LOCK-01"]),
        result("durable", epic="Operations", feature="Durability", tags=["REQ-OPS-DUR-01"]),
    )
