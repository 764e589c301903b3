"""The parallel runner (parallel/, tools/parallel_behave.py): plans, shares, shards, time limits, merges.

The end-to-end tests run the real runner on the hang fixture (tests/suite/fixtures/hang) with the suite's
real hooks against fake services, in a throwaway project folder of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest
import yaml

from parallel import attachments, merge, plan, record, session, timings
from signoff.cli import main as signoff_main
from signoff.results import Scenario, load_results
from signoff.statuses import Status

from .conftest import FIXTURES, managed_environment

ROOT = Path(__file__).resolve().parents[2]
HANG = FIXTURES / "hang" / "features"
BEHAVE_INI = """[behave]
format = allure_behave.formatter:AllureFormatter
outfiles = allure-results
show_skipped = false
[behave.userdata]
AllureFormatter.hide_excluded = true
"""


def _planned(name: str, steps: int = 1) -> plan.Planned:
    return plan.Planned(key=name, location=f"f.feature:{len(name)}", name=name, feature="F", steps=steps,
                        scenario=None)


# -- plan ---------------------------------------------------------------------------------------
def test_every_scenario_and_outline_row_is_planned_under_allures_own_key() -> None:
    planned = plan.collect([HANG])
    names = [p.name for p in planned]
    assert "an outline row 1 -- @1.1 " in names and "an outline row 2 -- @1.2 " in names
    assert all(p.location.startswith(str(HANG)) and p.location.rsplit(":", 1)[1].isdigit() for p in planned)
    assert len({p.key for p in planned}) == len(planned)


def test_tags_select_the_planned_scenarios() -> None:
    from behave.tag_expression import make_tag_expression

    planned = plan.collect([HANG], tag_expression=make_tag_expression("@quick"))
    assert sorted(p.name for p in planned) == [
        "a scenario that always fails", "an outline row 1 -- @1.1 ", "an outline row 2 -- @1.2 ",
        "the scenario after it still runs"]


def test_heaviest_first_each_to_the_least_loaded_share() -> None:
    heavy, mid, light, tiny = (_planned(n) for n in ("heavy", "mid", "light", "tiny"))
    weight = {"heavy": 10.0, "mid": 6.0, "light": 4.0, "tiny": 2.0}
    shares = plan.share_out([tiny, light, mid, heavy], 2, weight)
    assert shares == [[heavy, tiny], [mid, light]]


def test_past_seconds_outweigh_step_counts() -> None:
    slow, quick = _planned("slow", steps=1), _planned("quick", steps=50)
    weight = plan.weights([slow, quick], {"slow": 100.0})
    assert weight == {"slow": 100.0, "quick": 50 * plan.STEP_SECONDS}
    assert plan.share_out([slow, quick], 2, weight)[0] == [slow]


def test_a_seed_mixes_the_shares_the_same_way_every_time() -> None:
    items = [_planned(f"s{i:02}") for i in range(20)]
    weight = dict.fromkeys((i.key for i in items), 1.0)
    assert plan.share_out(items, 3, weight, seed=4) == plan.share_out(items, 3, weight, seed=4)
    assert plan.share_out(items, 3, weight, seed=4) != plan.share_out(items, 3, weight, seed=5)
    assert sorted(len(s) for s in plan.share_out(items, 3, weight, seed=4)) == [6, 7, 7]


def test_there_are_always_as_many_shares_as_asked() -> None:
    only = _planned("only")
    assert plan.share_out([only], 3, {"only": 1.0}) == [[only], [], []]


def test_the_fingerprint_changes_when_a_scenario_moves() -> None:
    a, b = _planned("a"), _planned("b")
    assert plan.fingerprint([[a], [b]]) == plan.fingerprint([[a], [b]])
    assert plan.fingerprint([[a], [b]]) != plan.fingerprint([[b], [a]])


# -- timings, run facts, attachments, junit ----------------------------------------------------
def test_timings_keep_what_did_not_run_and_learn_what_did(tmp_path: Path) -> None:
    path = tmp_path / "timings.json"
    assert timings.read(path) == {}
    path.write_text("not json")
    assert timings.read(path) == {}
    ran = Scenario(key="new", name="n", full_name="n", status=Status.PASSED, message="", start=1_000,
                   stop=3_500, epic="", feature="", story="", severity="normal", tags=frozenset(),
                   requirements=frozenset())
    timings.write(path, timings.updated({"old": 2.0}, [ran]))
    assert timings.read(path) == {"old": 2.0, "new": 2.5}


def test_run_facts_join_what_the_workers_wrote(tmp_path: Path) -> None:
    (tmp_path / "environment.properties").write_text("Environment=local\nSeed=7\nRuns=9\n")
    record.add_run_facts(tmp_path, {"Runs": "2", "Order": "shuffled, seed 5, 6"})
    assert (tmp_path / "environment.properties").read_text() == (
        "Environment=local\nSeed=7\nRuns=2\nOrder=shuffled, seed 5, 6\n")


def test_attachments_of_a_passed_attempt_can_be_dropped(tmp_path: Path) -> None:
    (tmp_path / "a-attachment.txt").write_text("exchange")
    (tmp_path / "b-attachment.txt").write_text("log")
    result = tmp_path / "x-result.json"
    result.write_text(json.dumps({"attachments": [{"source": "b-attachment.txt"}],
                                  "steps": [{"attachments": [{"source": "a-attachment.txt"}], "steps": []}]}))
    assert attachments.prune(result) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-result.json"]
    assert json.loads(result.read_text())["steps"][0]["attachments"] == []


def test_each_worker_writes_junit_files_into_its_own_folder() -> None:
    args = session._per_worker(["--junit", "--junit-directory=reports/behave", "-D", "x=1"], 2, None)
    assert args == ["--junit", "--junit-directory=reports/behave/worker-2", "-D", "x=1"]
    assert session._per_worker(["--junit-directory", "out"], 1, 3) == ["--junit-directory", "out/run-3/worker-1"]


# -- merge checks --------------------------------------------------------------------------------
def _shard(tmp_path: Path, index: int, count: int, keys: list[str], fingerprint: str = "f1",
           total: int = 4) -> Path:
    folder = tmp_path / f"shard-{len(list(tmp_path.iterdir()))}"
    (folder / "allure-results").mkdir(parents=True)
    data = {"version": record.VERSION, "settings": {}, "runs": [], "scenarios": {}, "flaky": [],
            "plan": {"fingerprint": fingerprint, "planned": len(keys), "keys": keys,
                     "shard": {"index": index, "count": count, "planned_total": total}}}
    (folder / "run.json").write_text(json.dumps(data))
    return folder


@pytest.mark.parametrize(("shards", "message"), [
    ([(1, ["a", "b"], "f1"), (2, ["c", "d"], "f2")], "different plans"),
    ([(1, ["a", "b"], "f1"), (1, ["c", "d"], "f1")], r"expected shards 1\.\.2 once each, got \[1, 1\]"),
    ([(1, ["a", "b"], "f1"), (2, ["b", "c"], "f1")], "repeats 1 scenario"),
    ([(1, ["a"], "f1"), (2, ["c", "d"], "f1")], "the shards hold 3 scenarios; the plan has 4"),
])
def test_shards_that_do_not_belong_together_are_refused(tmp_path: Path, shards: list[Any], message: str) -> None:
    folders = [_shard(tmp_path, index, 2, keys, fingerprint) for index, keys, fingerprint in shards]
    with pytest.raises(merge.MergeError, match=message):
        merge.merge(folders, tmp_path / "out", tmp_path / "run.json")


# -- end to end ----------------------------------------------------------------------------------
@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder of its own: behave.ini, the hang fixture as features/, fake services' config."""
    (tmp_path / "behave.ini").write_text(BEHAVE_INI)
    (tmp_path / "features").symlink_to(HANG, target_is_directory=True)
    (tmp_path / "environments.yaml").write_text(yaml.safe_dump({"environments": {"local": managed_environment()}}))
    return tmp_path


def run_runner(project: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCEPTANCE_CONFIG": str(project / "environments.yaml"),
           "ACCEPTANCE_LOGS": str(project / "logs"), "HANG_FIXTURE_STATE": str(project / "attempts")}
    return subprocess.run([sys.executable, str(ROOT / "tools" / "parallel_behave.py"), *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _latest(results: Path) -> dict[str, Scenario]:
    return {s.name: s for s in load_results(results).scenarios}


def _leftovers(project: Path) -> list[str]:
    found = []
    for process in psutil.process_iter(["pid", "cmdline", "environ"]):
        text = " ".join(process.info.get("cmdline") or []) + str(process.info.get("environ") or {})
        if str(project) in text and process.pid != os.getpid():
            found.append(f"{process.pid}: {' '.join(process.info.get('cmdline') or [])}")
    return found


def test_a_hung_worker_is_killed_with_its_platform_and_the_rest_runs_on(project: Path) -> None:
    hang = next(p for p in plan.collect([HANG]) if p.name == "the worker hangs for good")
    timings.write(project / "reports" / "timings.json", {hang.key: 1000.0})  # a worker of its own
    run = run_runner(project, "--workers", "2", "--worker-time-limit", "20", "--tags=@quick or @hangs_the_worker")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    latest = _latest(project / "allure-results")
    unfinished = latest["the worker hangs for good"]
    assert unfinished.status == "broken"
    assert "was killed at its time limit of 20 s, with its platform, before this scenario reported" in (
        unfinished.message)
    assert unfinished.epic == "Operations" and unfinished.feature == "A hang that no scenario time limit reaches"
    assert [latest[n].status for n in ("the scenario after it still runs", "an outline row 1 -- @1.1 ",
                                       "an outline row 2 -- @1.2 ", "a scenario that always fails")] == [
        "passed", "passed", "passed", "failed"]
    assert "!! worker 1 killed with its platform: past its time limit of 20 s" in out
    assert "features/worker_hang.feature:5  A hang that no scenario time limit reaches / the worker hangs" in out
    assert "PASSED  Operations / Hangs are cut short and the run goes on / the scenario after it still runs" in out
    assert "FAILED  Operations / Hangs are cut short and the run goes on / a scenario that always fails" in out
    assert "      AssertionError: the platform broke a rule, on purpose" in out  # as it happens
    assert "| left ~" in out
    assert not _leftovers(project), _leftovers(project)
    assert not list((project / "reports" / "run").glob("worker-*.tmp"))
    saved = json.loads((project / "reports" / "run" / "run.json").read_text())
    assert saved["summary"]["unfinished"] == 1 and [w["killed"] for w in saved["runs"][0]["workers"]].count(True) == 1


def _gate_lines(results: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    signoff_main(["gate", "--results", str(results), "--gate", str(ROOT / "config" / "gate-smoke.yaml")])
    return capsys.readouterr().out.splitlines()[1:]  # the first line names the folder


def test_two_shards_merged_give_the_same_totals_and_verdicts_as_one_run(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    single = run_runner(project, "--workers", "1", "--tags=@quick")
    assert single.returncode == 1, single.stdout + single.stderr  # one @quick scenario fails on purpose
    whole = tmp_path / "whole"
    (project / "allure-results").rename(whole)
    folders = []
    for index in (1, 2):
        shard = run_runner(project, "--workers", "1", "--shard", f"{index}/2", "--tags=@quick")
        assert "(shard" in shard.stdout, shard.stdout + shard.stderr
        folder = tmp_path / f"shard-{index}"
        (folder / "reports" / "run").mkdir(parents=True)
        (project / "allure-results").rename(folder / "allure-results")
        (project / "reports" / "run" / "run.json").rename(folder / "reports" / "run" / "run.json")
        folders.append(folder)
    merged = tmp_path / "merged"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "merge_shards.py"), *map(str, folders),
                           "--out", str(merged), "--record", str(tmp_path / "run.json"), "--timings", "none"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    one, two = load_results(whole), load_results(merged)
    assert one.totals() == two.totals() == {"passed": 3, "failed": 1, "broken": 0, "skipped": 0, "unknown": 0,
                                            "total": 4}
    assert {s.key: s.status for s in one.scenarios} == {s.key: s.status for s in two.scenarios}
    assert _gate_lines(whole, capsys) == _gate_lines(merged, capsys)
    assert "Shards=2 merged" in (merged / "environment.properties").read_text()


def test_repeated_shuffled_runs_find_the_flaky_scenario(project: Path) -> None:
    run = run_runner(project, "--workers", "1", "--repeat", "2", "--shuffle", "11", "--tags=@fails_once or @quick",
                     "--tags=not @always_fails")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out  # a stability check that finds a flaky scenario fails
    assert "shuffled with seed 11" in out and "shuffled with seed 12" in out
    saved = json.loads((project / "reports" / "run" / "run.json").read_text())
    assert saved["summary"]["flaky"] == 1
    assert [entry["title"].rsplit(" / ", 1)[1] for entry in saved["flaky"]] == [
        "a scenario that passes on its second attempt"]
    flaky = _latest(project / "allure-results")["a scenario that passes on its second attempt"]
    assert flaky.flaky and flaky.attempts == 2
    assert "Order=shuffled, seed 11, 12" in (project / "allure-results" / "environment.properties").read_text()
