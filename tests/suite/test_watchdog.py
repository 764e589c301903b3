"""A hung scenario fails alone, with what it was waiting for and the threads' stacks; the run goes on.

Also the opt-in retries (behave's autoretry, applied after allure-behave: one result per attempt) and the
shuffled order, through the real hooks against fake services.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from behave.parser import parse_file

from signoff.results import load_results
from support.http.polling import eventually
from support.runner import shuffle, watchdog

from .conftest import FIXTURES, managed_environment

# One process builds this module's expensive fixture (pytest-xdist --dist loadgroup, .ci/run).
pytestmark = pytest.mark.xdist_group("watchdog")

HANG = FIXTURES / "hang" / "features"


def run_fixture(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, list[dict[str, Any]]]]:
    config = tmp_path / "environments.yaml"
    config.write_text(yaml.safe_dump({"environments": {"local": managed_environment()}}))
    results = tmp_path / "results"
    env = {**os.environ, "ACCEPTANCE_CONFIG": str(config), "ACCEPTANCE_LOGS": str(tmp_path / "logs"),
           "HANG_FIXTURE_STATE": str(tmp_path / "attempts")}
    run = subprocess.run(
        [sys.executable, "-m", "behave", "--no-skipped", "-f", "allure_behave.formatter:AllureFormatter",
         "-o", str(results), "-f", "plain", "--tags=not @hangs_the_worker", *args, str(HANG)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    by_name: dict[str, list[dict[str, Any]]] = {}
    for path in results.glob("*-result.json"):
        item = json.loads(path.read_text())
        by_name.setdefault(item["name"], []).append(item)
    for attempts in by_name.values():
        attempts.sort(key=lambda item: item["start"])
    return run, by_name


@pytest.fixture(scope="module")
def hung_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    return run_fixture(tmp_path_factory.mktemp("hang"))


def test_the_hung_scenario_fails_with_what_it_awaited_and_the_stacks(hung_run: Any) -> None:
    _, results = hung_run
    [hung] = results["a scenario that waits for a reply that never comes"]
    message = hung["statusDetails"]["message"]
    assert hung["status"] == "broken"
    assert "Scenario time limit of 2 s exceeded: it was waiting for the reply that never comes (up to 600 s" in message
    assert "Stacks of all threads when the limit rang:\nThread MainThread" in message
    assert "hang_steps.py" in message and "watchdog.py" not in message.split("Stacks of all threads")[1]
    assert hung["stop"] - hung["start"] < 10_000


def test_a_step_that_swallows_the_limit_is_stopped_when_it_rings_again(hung_run: Any) -> None:
    _, results = hung_run
    [swallowed] = results["a step that swallows the time limit and hangs on"]
    assert swallowed["status"] == "broken"
    assert "Scenario time limit of 1.5 s exceeded (still running 3 s after it; ring 2)" in (
        swallowed["statusDetails"]["message"])


def test_the_run_goes_on_after_a_hang(hung_run: Any) -> None:
    run, results = hung_run
    assert run.returncode == 1, run.stdout + run.stderr
    assert results["the scenario after it still runs"][0]["status"] == "passed"
    assert [r[0]["status"] for name, r in results.items() if name.startswith("an outline row")] == ["passed"] * 2
    assert "Managed platform stopped" in run.stderr


def test_without_retries_a_failure_is_one_result(hung_run: Any) -> None:
    _, results = hung_run
    assert [r["status"] for r in results["a scenario that passes on its second attempt"]] == ["failed"]


def test_a_retry_keeps_every_attempt_and_the_signoff_calls_it_flaky(tmp_path: Path) -> None:
    run, results = run_fixture(tmp_path, "-D", "retry=1", "--tags=@fails_once")
    assert run.returncode == 0, run.stdout + run.stderr  # behave counts the last attempt
    attempts = results["a scenario that passes on its second attempt"]
    assert [a["status"] for a in attempts] == ["failed", "passed"]
    assert attempts[0]["historyId"] == attempts[1]["historyId"]
    [scenario] = [s for s in load_results(tmp_path / "results").scenarios if s.name.endswith("second attempt")]
    assert scenario.flaky and scenario.status_text == "flaky: passed after 2 attempts (failed, passed)"


def test_limits_come_from_the_innermost_tag_else_the_environment() -> None:
    feature = parse_file(str(HANG / "hang.feature"))
    limits = {s.name: watchdog.limit_for(s, 120) for s in feature.walk_scenarios()}
    assert limits["a scenario that waits for a reply that never comes"] == 2
    assert limits["a step that swallows the time limit and hangs on"] == 1.5
    assert limits["the scenario after it still runs"] == 120


def test_a_bad_time_limit_tag_is_named() -> None:
    class Tagged:
        tags = ("time_limit:soon",)
        parent = None

    with pytest.raises(ValueError, match=r"@time_limit:soon: the time limit must be a number of seconds"):
        watchdog.limit_for(Tagged(), 120)


def test_what_eventually_awaits_is_read_from_its_frame() -> None:
    stop = threading.Event()

    def green_light() -> None:
        assert stop.is_set(), "still red"

    waiter = threading.Thread(target=eventually, name="waiter", kwargs={
        "check": green_light, "within": 5, "awaiting": "the green light"})
    waiter.start()
    try:
        seen = eventually(lambda: _awaiting_one(), within=5, awaiting="the waiter to be waiting")
        assert seen == "the green light (up to 5 s, thread waiter)"
    finally:
        stop.set()
        waiter.join(timeout=5)


def _awaiting_one() -> str:
    waits = [w for w in watchdog.awaiting_now() if "green light" in w]
    assert waits, "not waiting yet"
    return waits[0]


def test_shuffling_is_a_seeded_permutation_of_features_scenarios_and_rows() -> None:
    def order(seed: int | None) -> list[str]:
        features = [parse_file(str(FIXTURES / "rules" / "features" / "rules.feature")),
                    parse_file(str(HANG / "hang.feature"))]
        if seed is not None:
            shuffle.shuffle(features, seed)
        return [s.name for f in features for s in f.walk_scenarios()]

    assert order(7) == order(7)
    assert sorted(order(7)) == sorted(order(None))
    assert len({tuple(order(seed)) for seed in range(6)}) > 1
