"""API drift: a stored snapshot against a modified copy, in the sign-off and in the gate."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from signoff.cli import main
from signoff.drift import api_drift, compare, store_snapshot
from tests.signoff.conftest import API_DOCUMENT, ROOT, ResultsBuilder, result

GATE = str(ROOT / "config" / "gate.yaml")


def changed(document: dict[str, Any]) -> dict[str, Any]:
    """The accepted document with every kind of change: breaking and compatible."""
    new = copy.deepcopy(document)
    post = new["paths"]["/api/v1/deals"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    body["required"].append("amount")                                         # request field now required
    answer = post["responses"]["201"]["content"]["application/json"]["schema"]["properties"]
    del answer["version"]                                                      # response field removed
    answer["amount"] = {"type": "number"}                                      # response field retyped
    new["paths"]["/api/v1/deals/{deal_id}"] = {"get": {"responses": {"200": {"description": "ok"}}}}  # added
    return new


def test_compare_lists_each_kind_of_change() -> None:
    changes = compare("sales", API_DOCUMENT, changed(API_DOCUMENT))
    lines = sorted(change.line() for change in changes)
    assert lines == [
        "BREAKING: sales POST /api/v1/deals: request field now required (amount)",
        "BREAKING: sales POST /api/v1/deals: response field removed (201 version)",
        "BREAKING: sales POST /api/v1/deals: response field retyped (201 amount: string -> number)",
        "compatible: sales GET /api/v1/deals/{}: operation added",
    ]


def test_a_removed_operation_and_a_new_required_parameter_are_breaking() -> None:
    new = copy.deepcopy(API_DOCUMENT)
    new["paths"]["/api/v1/deals"]["get"] = {"parameters": [{"name": "stage", "in": "query", "required": True}],
                                            "responses": {}}
    old = copy.deepcopy(new)
    old["paths"]["/api/v1/deals"]["get"]["parameters"][0]["required"] = False
    del new["paths"]["/api/v1/deals"]["post"]
    lines = sorted(change.line() for change in compare("sales", old, new))
    assert lines == ["BREAKING: sales GET /api/v1/deals: parameter now required (query stage)",
                     "BREAKING: sales POST /api/v1/deals: operation removed"]


def test_renamed_path_parameters_and_refs_are_the_same_api() -> None:
    old = {"paths": {"/x/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/X"}}}}}}}},
        "components": {"schemas": {"X": {"properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}}}}
    new = copy.deepcopy(old)
    new["paths"] = {"/x/{x_id}": new["paths"]["/x/{id}"]}
    assert compare("s", old, new) == []


def _run_with(make_results: ResultsBuilder, document: dict[str, Any] | None, name: str) -> Path:
    results = make_results(result("commission", tags=["smoke", "REQ-SALES-COMM-01"], severity="critical"), name=name)
    if document is None:
        (results / "api" / "sales.json").unlink()
    else:
        (results / "api" / "sales.json").write_text(json.dumps(document), encoding="utf-8")
    return results


def _record(results: Path, tmp_path: Path, snapshots: Path, *extra: str) -> int:
    settings = tmp_path / "empty-signoff.yaml"
    settings.write_text("reasons: {}\n", encoding="utf-8")
    return main(["record", "--from", str(settings), "--results", str(results), "--catalogue",
                 str(ROOT / "tests" / "signoff" / "fixtures" / "requirements.yaml"), "--gate", GATE,
                 "--out", str(tmp_path / "out"), "--api-snapshots", str(snapshots), *extra])


def test_an_accepted_release_stores_the_snapshot_and_the_next_sign_off_lists_the_drift_breaking_first(
        make_results: ResultsBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshots = tmp_path / "snapshots"
    first = _run_with(make_results, API_DOCUMENT, "first")
    assert _record(first, tmp_path, snapshots, "--decision", "accepted-with-known-issues", "--approver", "Priya",
                   "--reason", "REQ-SALES-DEAL-02=later", "--reason", "REQ-SALES-NOTIF-01=later") in (0, 1)
    assert json.loads((snapshots / "staging" / "sales.json").read_text()) == API_DOCUMENT
    capsys.readouterr()

    second = _run_with(make_results, changed(API_DOCUMENT), "second")
    assert _record(second, tmp_path, snapshots) == 0
    assert "API drift: 3 breaking and 1 compatible change(s) since the last accepted release of 'staging'" in \
        capsys.readouterr().out
    md = (tmp_path / "out" / "signoff.md").read_text(encoding="utf-8")
    drift = md.split("## API drift since the last accepted release", 1)[1]
    rows = [line for line in drift.splitlines() if line.startswith("| BREAKING") or line.startswith("| compatible")]
    assert [row.split(" | ")[0] for row in rows] == ["| BREAKING"] * 3 + ["| compatible"]
    assert "FAIL No breaking change of any service's API since the last accepted release" in md
    html = (tmp_path / "out" / "signoff.html").read_text(encoding="utf-8")
    assert "response field retyped" in html and "201 amount: string -&gt; number" in html


def test_the_gate_fails_on_a_breaking_change_and_passes_without_one(
        make_results: ResultsBuilder, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snapshots = tmp_path / "snapshots"
    store_snapshot(_run_with(make_results, API_DOCUMENT, "accepted"), snapshots, "staging")
    gate = tmp_path / "gate.yaml"
    gate.write_text(f"criteria:\n  - id: api\n    kind: no_breaking_api_change\n    snapshots: {snapshots}\n",
                    encoding="utf-8")
    same = _run_with(make_results, API_DOCUMENT, "same")
    assert main(["gate", "--results", str(same), "--gate", str(gate)]) == 0
    broken = _run_with(make_results, changed(API_DOCUMENT), "broken")
    capsys.readouterr()
    assert main(["gate", "--results", str(broken), "--gate", str(gate)]) == 1
    out = capsys.readouterr().out
    assert "BREAKING: sales POST /api/v1/deals: response field removed (201 version)" in out


def test_the_gate_cannot_decide_without_a_captured_description(make_results: ResultsBuilder, tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    store_snapshot(_run_with(make_results, API_DOCUMENT, "accepted"), snapshots, "staging")
    drift = api_drift(_run_with(make_results, None, "blind"), snapshots, "staging")
    assert drift.uncaptured == ("sales",) and not drift.captured
    assert drift.summary() == "this run captured no service's API description, so drift cannot be judged"
