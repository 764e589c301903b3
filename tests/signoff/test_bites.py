"""The bite score from pytest's junit (signoff/bites.py), the bites_caught criterion and where the score shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from signoff.bites import BiteScore, load_bites
from signoff.cli import main
from signoff.evidence_views import bites_html, bites_markdown
from signoff.gate import Criterion, evaluate, load_gate
from tests.signoff.conftest import JUNIT, JUNIT_CAUGHT, ROOT

GATE = ROOT / "config" / "gate.yaml"


def _criterion(**options: object) -> Criterion:
    return Criterion("bites", "bites_caught", "Injected defects caught", {"min_caught": 1.0, **options})


def _judge(junit: Path, **options: object) -> tuple[bool, str, tuple[str, ...]]:
    result = evaluate([_criterion(**options)], [], [], bites=lambda _c: load_bites(junit)).results[0]
    return result.passed, result.summary, result.offenders


def test_every_mutant_caught() -> None:
    score = load_bites(JUNIT_CAUGHT)
    assert score.caught == ("commission_mid_rate@sales", "revocation_ignored@anomaly")
    assert score.control == "passed"
    assert score.summary() == "bite score: 2 of 2 injected defects caught (0 known gaps; 0 survived unexpectedly)"
    assert _judge(JUNIT_CAUGHT)[0] is True


def test_a_known_gap_is_counted_but_not_held_against_the_suite() -> None:
    score = load_bites(JUNIT / "gap.xml")
    assert score.gaps == ("rate_limit_ignored@identity",)
    assert score.summary() == "bite score: 2 of 3 injected defects caught (1 known gaps; 0 survived unexpectedly)"
    passed, summary, offenders = _judge(JUNIT / "gap.xml")
    assert passed and not offenders
    assert "100% of 2 caught" in summary


def test_a_survivor_is_named_with_its_reason_and_fails_the_criterion() -> None:
    score = load_bites(JUNIT / "survived.xml")
    assert score.summary() == ("bite score: 2 of 5 injected defects caught (1 known gaps; 1 survived unexpectedly; "
                               "1 not run)")
    passed, summary, offenders = _judge(JUNIT / "survived.xml")
    assert not passed
    assert "50% of 4 caught (minimum 100%)" in summary
    assert offenders == (
        "health_live_broken@sales: AssertionError: mutant health_live_broken@sales survived: every scenario passed",
        "overpayment_allowed@sales: not run",
    )


def test_min_caught_is_a_fraction_of_the_mutants_that_are_not_gaps() -> None:
    assert _judge(JUNIT / "survived.xml", min_caught=0.5)[0] is True
    assert _judge(JUNIT / "survived.xml", min_caught=0.51)[0] is False


def test_a_failed_control_run_fails_the_criterion_even_when_all_are_caught() -> None:
    passed, summary, offenders = _judge(JUNIT / "control-failed.xml")
    assert not passed
    assert summary.startswith("bite score: 1 of 1 injected defects caught (0 known gaps; 0 survived unexpectedly); "
                              "control run failed")
    assert any("control run without mutant failed" in o for o in offenders)


@pytest.mark.parametrize(("name", "problem"), [
    ("absent.xml", "no junit at {path}"),
    ("no-bites.xml", "no mutant run in the junit at {path}"),
])
def test_nothing_measured_says_why_and_fails_the_criterion(name: str, problem: str) -> None:
    path = JUNIT / name
    score = load_bites(path)
    assert not score.measured and score.injected == 0
    assert score.summary() == f"bite score: not measured ({problem.format(path=path)})"
    passed, summary, _ = _judge(path)
    assert not passed and summary == score.summary()


def test_an_unreadable_junit_is_not_measured(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text("<testsuites><testsuite>", encoding="utf-8")
    assert load_bites(path).summary().startswith(f"bite score: not measured (junit at {path} is unreadable")


def test_without_a_junit_reader_the_criterion_cannot_decide() -> None:
    result = evaluate([_criterion()], [], []).results[0]
    assert not result.passed and result.summary.startswith("cannot decide")


def test_the_shipped_gate_holds_the_criterion_and_a_criterion_may_name_its_junit(
    passing_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert next(c for c in load_gate(GATE).criteria if c.kind == "bites_caught").options == {"min_caught": 1.0}
    base = ["gate", "--results", str(passing_results), "--catalogue", str(catalogue_path)]
    assert main([*base, "--gate", str(GATE), "--junit", str(tmp_path / "absent.xml")]) == 1
    assert f"bite score: not measured (no junit at {tmp_path / 'absent.xml'})" in capsys.readouterr().out
    own = tmp_path / "gate.yaml"
    own.write_text(f"criteria:\n  - kind: bites_caught\n    junit: {JUNIT / 'gap.xml'}\n", encoding="utf-8")
    assert main([*base, "--gate", str(own), "--junit", str(tmp_path / "absent.xml")]) == 0


def test_views_name_the_survivors_and_the_gaps() -> None:
    lines = bites_markdown(load_bites(JUNIT / "survived.xml"))
    assert "- overpayment_allowed@sales: not run" in lines
    assert "Known gaps: rate_limit_ignored@identity" in lines
    html = bites_html(load_bites(JUNIT / "survived.xml"))
    assert "health_live_broken@sales: AssertionError" in html and 'class="badge FAIL"' in html
    assert 'class="badge PASS"' in bites_html(load_bites(JUNIT_CAUGHT))
    absent = bites_html(BiteScore(Path("reports/pytest/junit.xml"), problem="no junit at reports/pytest/junit.xml"))
    assert "bite score: not measured (no junit at reports/pytest/junit.xml)" in absent


def test_a_sampled_run_says_it_is_a_sample_of_how_many_cases() -> None:
    score = load_bites(JUNIT / "sampled.xml")
    assert score.known == 111 and score.caught_fraction == 1.0
    assert score.summary().endswith("; a sample of 2 of the 111 cases (`make bites` runs every one)")
    assert load_bites(JUNIT_CAUGHT).known is None  # a junit without the property: no claim either way
