"""A scenario that passed in one attempt and failed in another is flaky: never a clean pass, unless waived."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signoff.cli import main
from signoff.report import stage_results
from signoff.results import load_results
from tests.signoff.conftest import ROOT, ResultsBuilder, result

GATE = str(ROOT / "config" / "gate.yaml")
TITLE = "Sales / Commission on received payments / a payment earns commission"


def _attempts(*statuses: str, tags: tuple[str, ...] = ("REQ-SALES-COMM-01",)) -> list[dict[str, object]]:
    return [result("a payment earns commission", status, tags=tags, severity="critical", history_id="h1",
                   start=1_000 * (n + 1), message="" if status == "passed" else "AssertionError: late")
            for n, status in enumerate(statuses)]


def _settings(tmp_path: Path, waivers: dict[str, str]) -> Path:
    path = tmp_path / "signoff.yaml"
    path.write_text(json.dumps({"reasons": {}, "flaky_waivers": waivers}), encoding="utf-8")
    return path


def _gate(results: Path, catalogue: Path, settings: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["gate", "--results", str(results), "--catalogue", str(catalogue), "--gate", GATE,
                 "--from", str(settings)])
    return code, capsys.readouterr().out


def test_outcomes_in_order_and_how_they_read(make_results: ResultsBuilder) -> None:
    scenario = load_results(make_results(*_attempts("failed", "passed"))).scenarios[0]
    assert scenario.outcomes == ("failed", "passed") and scenario.flaky and not scenario.clean_pass
    assert scenario.status_text == "flaky: passed after 2 attempts (failed, passed)"


@pytest.mark.parametrize(("statuses", "text"), [
    (["passed"] * 3, "passed in all 3 attempts"),
    (["passed"] * 12 + ["broken"] + ["passed"] * 7, "flaky: passed after 20 attempts (19 passed, 1 broken)"),
    (["passed", "failed"], "flaky: failed after 2 attempts (passed, failed)"),
])
def test_repeated_runs_read_as_a_tally(make_results: ResultsBuilder, statuses: list[str], text: str) -> None:
    assert load_results(make_results(*_attempts(*statuses))).scenarios[0].status_text == text


def test_a_flaky_critical_scenario_fails_the_gate(
    make_results: ResultsBuilder, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _gate(make_results(*_attempts("failed", "passed")), catalogue_path, _settings(tmp_path, {}), capsys)
    assert code == 1
    assert "FAIL  Every blocker or critical scenario passed [critical-scenarios]: 0 of 1 passed" in out
    assert f"flaky    {TITLE}: passed after 2 attempts (failed, passed)" in out
    assert "FAIL  No flaky scenario in sales, tenant isolation or authentication" in out
    assert "flaky REQ-SALES-COMM-01" in out  # not verified


def test_a_waived_flaky_scenario_counts_as_passed_with_its_reason(
    make_results: ResultsBuilder, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path, {TITLE: "clock skew on the CI host; PLAT-240"})
    _, out = _gate(make_results(*_attempts("failed", "passed")), catalogue_path, settings, capsys)
    assert "PASS  Every blocker or critical scenario passed [critical-scenarios]: 1 of 1 passed" in out
    assert "PASS  No flaky scenario in sales, tenant isolation or authentication" in out and "1 waived" in out


def test_the_record_lists_flaky_scenarios_and_refuses_a_stale_waiver(
    make_results: ResultsBuilder, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = make_results(*_attempts("failed", "passed"))
    base = ["record", "--results", str(results), "--catalogue", str(catalogue_path), "--gate", GATE,
            "--out", str(tmp_path / "out")]
    assert main([*base, "--from", str(_settings(tmp_path, {TITLE: "known; PLAT-240"}))]) == 0
    md = (tmp_path / "out" / "signoff.md").read_text(encoding="utf-8")
    assert f"- {TITLE}: flaky: passed after 2 attempts (failed, passed); waived: known; PLAT-240" in md
    assert main([*base, "--from", str(_settings(tmp_path, {"Sales / nothing like it": "stale"}))]) == 2
    assert "not flaky in this run: Sales / nothing like it" in capsys.readouterr().err


def test_the_report_marks_every_attempt_of_a_flaky_scenario(make_results: ResultsBuilder, tmp_path: Path) -> None:
    results = make_results(*_attempts("failed", "passed"), result("steady"))
    staging = tmp_path / "staging"
    staging.mkdir()
    flaky = frozenset(s.key for s in load_results(results).scenarios if s.flaky)
    stage_results(results, staging, [], flaky_keys=flaky)
    marks = {}
    for path in staging.glob("*-result.json"):
        item = json.loads(path.read_text(encoding="utf-8"))
        marks.setdefault(item["name"], []).append((item.get("statusDetails") or {}).get("flaky", False))
    assert marks == {"a payment earns commission": [True, True], "steady": [False]}
