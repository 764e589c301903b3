"""The answers checked per resource: added up over the workers, shown in the report and the sign-off."""

from __future__ import annotations

import json
from pathlib import Path

from signoff.cli import main
from signoff.report import stage_results
from signoff.results import parse_properties
from tests.signoff.conftest import ROOT, ResultsBuilder, result

TALLIES = [
    {"checked": {"deal": 40, "problem": 7}, "violations": {}, "json_answers": 47, "other_answers": 2, "seconds": 1.5},
    {"checked": {"deal": 2, "page of client": 5}, "violations": {"deal": 1}, "json_answers": 7, "other_answers": 0,
     "seconds": 0.5},
]


def _run(make_results: ResultsBuilder) -> Path:
    results = make_results(result("commission", tags=["REQ-SALES-COMM-01"], severity="critical"))
    (results / "conformance").mkdir()
    for number, tally in enumerate(TALLIES, 1):
        (results / "conformance" / f"worker-{number}.json").write_text(json.dumps(tally), encoding="utf-8")
    return results


def test_the_report_shows_the_figures_in_its_environment_section(make_results: ResultsBuilder,
                                                                 tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    staging.mkdir()
    stage_results(_run(make_results), staging, ())
    properties = parse_properties((staging / "environment.properties").read_text(encoding="utf-8"))
    assert properties["seed"] == "7"  # the run's own facts stay
    assert properties["Contract.schemas"].startswith("54 of 54 JSON answers checked against the contract's "
                                                     "schemas (3 resources), 1 violations")
    assert properties["Schema.deal"] == "42 checked, 1 violations"
    assert properties["Schema.page.of.client"] == "5 checked"
    assert not (staging / "conformance").exists()


def test_the_sign_off_lists_the_figures_per_resource(make_results: ResultsBuilder, tmp_path: Path) -> None:
    settings = tmp_path / "empty.yaml"
    settings.write_text("reasons: {}\n", encoding="utf-8")
    assert main(["record", "--from", str(settings), "--results", str(_run(make_results)), "--catalogue",
                 str(ROOT / "tests" / "signoff" / "fixtures" / "requirements.yaml"), "--gate",
                 str(ROOT / "config" / "gate.yaml"), "--out", str(tmp_path / "out"),
                 "--api-snapshots", str(tmp_path / "snapshots")]) == 0
    md = (tmp_path / "out" / "signoff.md").read_text(encoding="utf-8")
    assert "| deal | 42 | 1 |" in md and "| page of client | 5 | 0 |" in md
    assert "checking took 2.0 s" in md
    assert "Answers checked against the contract" in (tmp_path / "out" / "signoff.html").read_text(encoding="utf-8")
