"""Uncovered means "no scenario written"; written but not run is "not run"; releases need verified."""

from pathlib import Path

from signoff.catalogue import Requirement
from signoff.coverage import requirement_verdicts
from signoff.gate import Criterion, evaluate
from signoff.results import Scenario
from signoff.specification import with_written_scenarios, written_scenarios
from signoff.statuses import Status, Verdict

FEATURE = """@sales @REQ-SALES-A-01
Feature: Deals

  Rule: stages

    @REQ-SALES-B-01
    Scenario: one
      Given nothing

  @REQ-SALES-C-01
  Rule: outlines

    Scenario Outline: many <n>
      Given nothing

      Examples:
        | n |
        | 1 |
        | 2 |
"""


def _req(req_id: str) -> Requirement:
    return Requirement(id=req_id, title=req_id, area="sales", contract="§4", severity="critical")


def _features(tmp_path: Path) -> Path:
    (tmp_path / "sales").mkdir()
    (tmp_path / "sales" / "sales.deals.feature").write_text(FEATURE)
    return tmp_path


def test_tags_of_features_and_rules_count_for_their_scenarios(tmp_path: Path) -> None:
    written = written_scenarios(_features(tmp_path))
    assert set(written) == {"REQ-SALES-A-01", "REQ-SALES-B-01", "REQ-SALES-C-01"}
    assert written["REQ-SALES-B-01"] == ("one",)
    assert len(written["REQ-SALES-A-01"]) == 3  # "one" and the two outline rows


def test_written_but_not_run_is_not_run_and_unwritten_is_uncovered(tmp_path: Path) -> None:
    catalogue = with_written_scenarios([_req("REQ-SALES-B-01"), _req("REQ-SALES-Z-01")], _features(tmp_path))
    verdicts = {v.requirement.id: v.verdict for v in requirement_verdicts(catalogue, [])}
    assert verdicts == {"REQ-SALES-B-01": Verdict.NOT_RUN, "REQ-SALES-Z-01": Verdict.UNCOVERED}


def test_a_release_needs_every_critical_requirement_verified_in_this_run(tmp_path: Path) -> None:
    catalogue = with_written_scenarios([_req("REQ-SALES-B-01"), _req("REQ-SALES-C-01")], _features(tmp_path))
    ran = Scenario(key="h", name="one", full_name="one", status=Status.PASSED, message="", start=1, stop=2,
                   epic="Sales", feature="Deals", story="", severity="critical",
                   tags=frozenset({"REQ-SALES-B-01"}), requirements=frozenset({"REQ-SALES-B-01"}))
    verified = Criterion("verified", "requirements_verified", "verified", {"severities": ["critical"]})
    covered = Criterion("covered", "requirements_covered", "covered", {"severities": ["critical"]})
    result = evaluate([verified, covered], [ran], catalogue)
    assert [r.passed for r in result.results] == [False, True]
    assert result.results[0].offenders == ("not run REQ-SALES-C-01: REQ-SALES-C-01",)
    assert requirement_verdicts(catalogue, [ran])[0].verdict == Verdict.PASSED
