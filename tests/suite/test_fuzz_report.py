"""`make fuzz` reads Schemathesis' NDJSON events: requests by status, 5xx, failing checks, untestable operations."""

from __future__ import annotations

import json
from pathlib import Path

from support.runner.fuzz import ServiceOutcome, read_report


def scenario(label: str, statuses: list[int], failed: list[str]) -> dict:
    cases = {f"c{i}": [{"name": "not_a_server_error", "status": "failure" if status >= 500 else "success"},
                       *({"name": name, "status": "failure"} for name in failed)] for i, status in enumerate(statuses)}
    interactions = {f"c{i}": {"request": {"method": "GET"}, "response": {"status_code": status}}
                    for i, status in enumerate(statuses)}
    return {"ScenarioFinished": {"status": "failure" if failed or 500 in statuses else "success",
                                 "recorder": {"label": label, "checks": cases, "interactions": interactions}}}


def test_counts_statuses_server_errors_and_violations_per_operation(tmp_path: Path) -> None:
    events = [{"Initialize": {"command": "st run"}},
              scenario("GET /api/v1/deals", [200, 422, 500], ["response_schema_conformance"]),
              scenario("GET /api/v1/deals", [200], ["response_schema_conformance"]),
              scenario("POST /api/v1/clients", [201, 404], []),
              {"NonFatalError": {"value": {"type": "SerializationNotPossible", "message": "No serializer\nmore"},
                                 "label": "POST /api/v1/detectors/{detector_id}/stream"}}]
    report = tmp_path / "report.ndjson"
    report.write_text("\n".join(json.dumps(event) for event in events) + "\nnot json\n", encoding="utf-8")
    outcome = ServiceOutcome("sales")
    read_report(report, outcome)
    assert outcome.requests == 6 and outcome.statuses == {200: 2, 422: 1, 500: 1, 201: 1, 404: 1}
    assert outcome.server_errors == 1
    assert outcome.schema_violations == 1  # one failing operation, however many of its cases failed
    assert outcome.failures["not_a_server_error"] == 1
    assert outcome.errors == ["POST /api/v1/detectors/{detector_id}/stream: No serializer"]
    assert not outcome.clean
    assert "5xx answers: 1; schema violations: 1" in outcome.line()
