from __future__ import annotations

from pathlib import Path

import pytest

from signoff.errors import SignoffError
from signoff.results import load_results, parse_properties
from tests.signoff.conftest import ResultsBuilder, result


def test_reads_recorded_allure_behave_results(mixed_results: Path) -> None:
    run = load_results(mixed_results)
    assert run.totals() == {"passed": 4, "failed": 1, "broken": 1, "skipped": 1, "unknown": 0, "total": 7}
    approval = next(s for s in run.scenarios if s.name == "a large discount needs approval")
    assert approval.area == "Sales"
    assert approval.story == "Approval"
    assert approval.severity == "critical"
    assert approval.requirements == {"REQ-SALES-COMM-01", "REQ-SALES-DEAL-02"}
    assert approval.title == "Sales / Commission on received payments / Approval / a large discount needs approval"


def test_latest_attempt_of_a_retried_scenario_wins(mixed_results: Path) -> None:
    run = load_results(mixed_results)
    sign_in = [s for s in run.scenarios if s.name == "Alice signs in"]
    assert len(sign_in) == 1
    assert sign_in[0].status == "passed"
    assert sign_in[0].attempts == 2
    assert sign_in[0].outcomes == ("failed", "passed") and sign_in[0].flaky and not sign_in[0].clean_pass


def test_latest_wins_whatever_the_file_order(make_results: ResultsBuilder) -> None:
    later = result("flaky", "failed", start=2_000, history_id="h1", message="AssertionError: late")
    earlier = result("flaky", "passed", start=1_000, history_id="h1")
    run = load_results(make_results(later, earlier))
    assert [s.status for s in run.scenarios] == ["failed"]


def test_requirement_links_count_as_coverage(make_results: ResultsBuilder) -> None:
    item = result("linked")
    item["links"] = [{"type": "requirement", "name": "REQ-OPS-DUR-01", "url": "https://x/REQ-OPS-DUR-01"}]
    run = load_results(make_results(item))
    assert run.scenarios[0].requirements == {"REQ-OPS-DUR-01"}


def test_run_metadata(mixed_results: Path) -> None:
    meta = load_results(mixed_results).metadata
    assert (meta.build, meta.commit, meta.environment_name, meta.seed) == ("1.4.2-rc1", "3f9c2ab", "local", "424242")
    assert meta.executor_name == "local run · acceptance #17"


def test_missing_and_empty_results_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SignoffError, match="no Allure results"):
        load_results(tmp_path / "nope")
    with pytest.raises(SignoffError, match="holds no"):
        load_results(tmp_path)


def test_properties_parsing() -> None:
    text = "# comment\nbuild = 1.2\nurl: http://h:1/x\n\n!other\nseed=3\n"
    assert parse_properties(text) == {"build": "1.2", "url": "http://h:1/x", "seed": "3"}
