"""The allure-behave Rule fix (allure-python #886) and the report metadata (reporting.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support.runner import reporting
from support.runner.config import ConfigError, load_config

from .conftest import FIXTURES

# One process builds this module's expensive fixture (pytest-xdist --dist loadgroup, .ci/run).
pytestmark = pytest.mark.xdist_group("allure-rules")

RULES = FIXTURES / "rules" / "features"
RESULTS_DIRS: dict[str, Path] = {}


def run_behave(results: Path, *, fixed: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RULES_FIX": "on" if fixed else "off"}
    return subprocess.run(
        [sys.executable, "-m", "behave", "-f", "allure_behave.formatter:AllureFormatter", "-o", str(results),
         "-f", "plain", str(RULES)],
        cwd=results.parent, env=env, capture_output=True, text=True, timeout=120, check=False)


def results_by_name(results: Path) -> dict[str, dict[str, Any]]:
    by_name: dict[str, dict[str, Any]] = {}
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text())
        assert result["name"] not in by_name, f"two results for {result['name']}"
        by_name[result["name"]] = result
    return by_name


def labels(result: dict[str, Any], name: str) -> list[str]:
    return [label["value"] for label in result["labels"] if label["name"] == name]


@pytest.fixture(scope="module")
def fixed_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    results = tmp_path_factory.mktemp("fixed") / "results"
    RESULTS_DIRS["fixed"] = results
    run = run_behave(results, fixed=True)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.returncode == 1  # one scenario fails on purpose
    return results_by_name(results)


def test_unpatched_allure_behave_loses_rule_scenarios(tmp_path: Path) -> None:
    """Documents the upstream bug; if this starts failing, allure-behave fixed it: drop the patch."""
    results = tmp_path / "results"
    run = run_behave(results, fixed=False)
    assert "KeyError" in run.stderr + run.stdout
    assert set(results_by_name(results)) == {"plain scenario"}


def test_one_result_per_scenario(fixed_results: dict[str, dict[str, Any]]) -> None:
    assert {name.split(" -- ")[0] for name in fixed_results} == {
        "plain scenario", "rule scenario passes", "rule scenario fails", "outline in rule 1", "outline in rule 2"}
    assert len(fixed_results) == 5


def test_statuses_steps_and_table(fixed_results: dict[str, dict[str, Any]]) -> None:
    passing = fixed_results["rule scenario passes"]
    assert passing["status"] == "passed"
    assert [step["name"] for step in passing["steps"]] == ["Given a step passes", "And a table step"]
    assert [att["name"] for att in passing["steps"][1]["attachments"]] == [".table"]
    failing = fixed_results["rule scenario fails"]
    assert failing["status"] == "failed" and "boom" in failing["statusDetails"]["message"]


def test_attachments_stay_with_their_own_scenario(fixed_results: dict[str, dict[str, Any]]) -> None:
    for name, result in fixed_results.items():
        markers = [att for step in result["steps"] for att in step.get("attachments", [])
                   if att["name"] == "marker"]
        assert markers, f"{name} has no marker attachment"
        for marker in markers:
            assert (RESULTS_DIRS["fixed"] / marker["source"]).read_text() == f"from {name}"


def test_rule_background_steps_belong_to_each_outline_scenario(fixed_results: dict[str, Any]) -> None:
    outline = next(result for name, result in fixed_results.items() if name.startswith("outline in rule 1"))
    assert len(outline["steps"]) == 2 and outline["status"] == "passed"
    assert outline["titlePath"][-1] == "second rule"


def test_rule_tags_epics_and_requirements(fixed_results: dict[str, dict[str, Any]]) -> None:
    passing = fixed_results["rule scenario passes"]
    assert {"rule_tag", "REQ-TEST-01", "sales"} <= set(labels(passing, "tag"))
    assert labels(passing, "epic") == ["Sales"]
    assert labels(passing, "requirement") == ["REQ-TEST-01"]
    assert labels(passing, "feature") == ["Rules fixture"]
    assert labels(fixed_results["plain scenario"], "requirement") == []


# -- reporting ---------------------------------------------------------------------------------
def test_labels_for_area_and_requirement_tags() -> None:
    assert reporting.labels_for(["tenancy", "auth", "REQ-A-1", "smoke", "operations", "anomaly"]) == [
        ("epic", "Tenant isolation"), ("epic", "Authentication"), ("requirement", "REQ-A-1"),
        ("epic", "Operations"), ("epic", "Anomaly detection")]


def test_unknown_requirement_tag_stops_with_one_line(tmp_path: Path) -> None:
    catalogue = tmp_path / "requirements.yaml"
    catalogue.write_text("requirements:\n  - id: REQ-SALES-COMM-01\n    title: t\n")
    known = reporting.load_requirement_ids(catalogue)
    reporting.check_requirement_tags([("REQ-SALES-COMM-01", "a.feature:3")], known)
    with pytest.raises(ConfigError, match=r"^tag @REQ-NOPE-01 at b\.feature:9: unknown requirement id"):
        reporting.check_requirement_tags([("smoke", "b.feature:9"), ("REQ-NOPE-01", "b.feature:9")], known)
    assert reporting.load_requirement_ids(tmp_path / "missing.yaml") is None
    reporting.check_requirement_tags([("REQ-ANY", "x")], None)  # no catalogue yet: tolerated


def test_feature_tags_walks_rules_and_outlines() -> None:
    from behave.parser import parse_file

    tags = {tag for tag, _ in reporting.feature_tags([parse_file(str(RULES / "rules.feature"))])}
    assert {"sales", "rule_tag", "REQ-TEST-01"} <= tags


def test_environment_properties_and_executor(tmp_path: Path) -> None:
    config = load_config({}, {}).with_platform({"identity": "http://127.0.0.1:9"}, None)
    reporting.write_metadata(tmp_path, config, {"CI": "true", "GITHUB_RUN_ID": "5", "GITHUB_REPOSITORY": "o/r",
                                                "GITHUB_RUN_NUMBER": "12"}, run_id="r1")
    properties = (tmp_path / "environment.properties").read_text()
    assert "Environment=local\n" in properties and "Seed=20261121\n" in properties
    assert "identity.url=http://127.0.0.1:9\n" in properties and "Suite.version=0.1.0\n" in properties
    assert "Platform.version=unknown\n" in properties
    executor = json.loads((tmp_path / "executor.json").read_text())
    assert executor["type"] == "ci" and executor["buildUrl"] == "https://github.com/o/r/actions/runs/5"
    assert reporting.executor({}, run_id="r1")["type"] == "local"
