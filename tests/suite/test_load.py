"""The load layer without services: bounds, targets, Locust's command lines and CSVs, the judgement, the soak
rule, and that no Locust process outlives a run (support/load/)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest

from signoff.latency import LatencyBudgets
from support.http.polling import eventually
from support.load import capacity, runner, stats
from support.load.profiles import LoadProfile, LoadRefused, check_bounds
from support.load.resources import ResourceWatch, Sample, memory_growth, table
from support.runner.config import ConfigError, LoadSettings, load_config

BUDGETS = LatencyBudgets(read_p95_ms=300, write_p95_ms=500, min_samples=20)
HEADER = ("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
          "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
          "99.99%,100%\n")
STATS = HEADER + textwrap.dedent("""\
    GET,Acme sales /api/v1/deals/{id},200,0,12,15,3,90,400,20.5,0.0,12,14,15,16,20,40,60,80,90,90,90
    POST,Acme sales /api/v1/deals,120,3,30,35,8,900,400,12.0,0.3,30,32,35,40,60,620,800,880,900,900,900
    GET,Acme sales /api/v1/deals,5,0,20,20,10,30,400,0.5,0.0,20,20,20,20,30,30,30,30,30,30,30
    GET,Globex sales /api/v1/deals,900,400,5,9,1,80,100,90.0,40.0,5,6,7,8,9,50,60,70,80,80,80
    ,Aggregated,1225,403,10,12,1,900,300,123.0,40.3,10,12,14,15,20,60,300,700,900,900,900
    """)
FAILURES = textwrap.dedent("""\
    Method,Name,Error,Occurrences
    GET,Globex sales /api/v1/deals,CatchResponseError('told to slow down'),400
    POST,Acme sales /api/v1/deals,"CatchResponseError('answered 500, expected 201')",3
    """)


@pytest.fixture
def measured(tmp_path: Path) -> tuple[list[stats.RequestStats], list[stats.Failure]]:
    (tmp_path / "locust_stats.csv").write_text(STATS)
    (tmp_path / "locust_failures.csv").write_text(FAILURES)
    return stats.read_stats(tmp_path / "locust_stats.csv"), stats.read_failures(tmp_path / "locust_failures.csv")


def test_locusts_csv_is_read_per_tenant_service_method_and_route(measured) -> None:
    rows, failures = measured
    assert [row.label for row in rows] == ["Acme sales GET /api/v1/deals/{id}", "Acme sales POST /api/v1/deals",
                                           "Acme sales GET /api/v1/deals", "Globex sales GET /api/v1/deals"]
    assert (rows[1].requests, rows[1].failures, rows[1].p95, rows[1].rps) == (120, 3, 620.0, 12.0)
    assert stats.told_to_slow_down(failures, "Globex") == 400 and stats.told_to_slow_down(failures, "Acme") == 0


def test_each_request_type_is_judged_against_its_budget_and_too_few_cannot_be_judged(measured) -> None:
    acme = stats.of_tenant(measured[0], "Acme")
    assert stats.budget_faults(acme, BUDGETS) == [
        "Acme sales POST /api/v1/deals: p95 620 ms over its budget of 500 ms (writes), n 120",
        "Acme sales GET /api/v1/deals: cannot judge, 5 answer(s) of the 20 needed",
    ]
    assert stats.budget_faults([], BUDGETS) == ["cannot judge: no request was measured"]
    assert stats.throughput(acme) == pytest.approx(33.0)


def test_errors_are_judged_against_the_allowed_rate_with_their_reasons(measured) -> None:
    rows, failures = measured
    acme = stats.of_tenant(rows, "Acme")
    (fault,) = stats.error_faults(acme, failures, max_pct=0)
    assert fault.startswith("3 of 325 requests failed (0.92 %, at most 0 % allowed)") and "answered 500" in fault
    assert stats.error_faults(acme, failures, max_pct=1) == []


def test_a_profile_over_the_environments_bounds_is_refused_before_it_starts() -> None:
    bounds = LoadSettings(max_users=40, max_seconds=60, max_requests=10_000)
    with pytest.raises(LoadRefused, match=r"50 users \(at most 40\), 120 s \(at most 60 s\)"):
        check_bounds(LoadProfile("too much", reps=50, seconds=120), bounds)
    check_bounds(LoadProfile("fine", reps=10, seconds=10), bounds)
    spike = LoadProfile("spike", reps=5, seconds=0, stages=((10, 5, 5), (40, 100, 50)))
    assert (spike.users, spike.duration) == (100, 40)


def test_only_the_environments_own_services_are_targeted() -> None:
    config = load_config({}, {}).with_platform({"identity": "http://127.0.0.1:1", "sales": "http://127.0.0.1:2",
                                                "anomaly": "http://127.0.0.1:3"}, None)
    runner.check_targets({"sales": "http://127.0.0.1:2"}, config)
    with pytest.raises(LoadRefused, match=r"http://example\.com is not a base URL of environment 'local'"):
        runner.check_targets({"sales": "http://example.com"}, config)


def test_one_process_or_a_master_with_local_workers(tmp_path: Path) -> None:
    profile = LoadProfile("p", reps=50, seconds=12)
    alone, none = runner.commands(profile, LoadSettings(), tmp_path, ["SalesRep"], 5557)
    assert none == [] and "--master" not in alone and alone[-1] == "SalesRep"
    assert {"--headless", "--csv", "--html", "-t"} <= set(alone) and alone[alone.index("-t") + 1] == "13s"
    master, workers = runner.commands(profile, LoadSettings(workers=2), tmp_path, ["SalesRep"], 5557)
    assert master[master.index("--expect-workers") + 1] == "2" and master[-1] == "SalesRep"
    assert len(workers) == 2 and all("--worker" in w and w[w.index("--master-port") + 1] == "5557" for w in workers)
    external, none = runner.commands(profile, LoadSettings(external_workers=3, master_host="0.0.0.0"), tmp_path,
                                     ["SalesRep"], 5557)
    assert none == [] and external[external.index("--expect-workers") + 1] == "3"


def test_workers_external_is_read_from_the_environment() -> None:
    settings = load_config({"load.workers": "external", "load.expect_workers": "3"}, {}).load
    assert (settings.workers, settings.external_workers, settings.distributed) == (0, 3, True)
    with pytest.raises(ConfigError, match=r"load\.workers"):
        load_config({"load.workers": "-1"}, {})


def test_sales_workers_under_load_are_read_from_the_environment() -> None:
    assert load_config({}, {}).load.sales_workers == 2
    assert load_config({"load.sales_workers": "3"}, {}).load.sales_workers == 3
    with pytest.raises(ConfigError, match=r"load\.sales_workers"):
        load_config({"load.sales_workers": "0"}, {})


def test_stopping_leaves_no_process_behind_even_a_stubborn_one(tmp_path: Path) -> None:
    stubborn = "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); signal.pause()"
    process = runner._start([sys.executable, "-c", stubborn], {}, tmp_path / "out.log")

    def deaf_to_sigterm() -> None:
        assert (tmp_path / "out.log").read_text() == "up\n"

    eventually(deaf_to_sigterm, within=10, awaiting="the stubborn process to ignore SIGTERM")
    runner.STOP_S, saved = 1.0, runner.STOP_S
    try:
        runner.stop([process])
    finally:
        runner.STOP_S = saved
    assert process.poll() is not None and process not in runner._RUNNING


def _series(rss: list[float]) -> list[Sample]:
    return [Sample(float(i), value, 10.0, 20, 5) for i, value in enumerate(rss)]


def test_the_soak_rule_memory_that_keeps_growing_after_warm_up_fails() -> None:
    warm_up_then_flat = [50, 80, 110, 120, 120, 121, 119, 122, 120, 121, 120, 122, 121, 120, 121, 122]
    assert memory_growth(_series(warm_up_then_flat)) is None
    leaking = [50, 60, 70, 80, *(100 + 10 * i for i in range(12))]
    fault = memory_growth(_series(leaking))
    assert fault is not None and fault.startswith("memory kept growing after warm-up: median RSS 115 MB -> 195 MB")
    assert memory_growth(_series([1, 2, 3])).startswith("cannot judge")  # type: ignore[union-attr]


def test_the_resource_table_has_a_row_per_service() -> None:
    text = table({"sales": _series([100, 110]), "identity": []})
    assert text.splitlines()[1].split()[:5] == ["sales", "2", "100.0", "110.0", "110.0"]
    assert text.splitlines()[2].split() == ["identity", "0"]


HISTORY_HEADER = ("Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
                  "99.99%,100%,Total Request Count,Total Failure Count\n")


def _history(tmp_path: Path, steps: list[tuple[int, float, float, int]]) -> Path:
    """Four seconds per step: (users, requests/s, p95 ms, failures so far at the step's end)."""
    lines, clock = [HISTORY_HEADER], 0
    for users, rps, p95, failures in steps:
        for _ in range(4):
            clock += 1
            lines.append(f"{clock},{users},,Aggregated,{rps},0,10,,,,,{p95},,,,,,{clock * 10},{failures}\n")
            lines.append(f"{clock},{users},GET,Acme sales /api/v1/deals,{rps},0,10,,,,,{p95},,,,,,1,0\n")
    path = tmp_path / "locust_stats_history.csv"
    path.write_text("".join(lines))
    return path


def test_the_capacity_knee_is_the_last_step_that_held_before_the_first_that_broke(tmp_path: Path) -> None:
    steps = capacity.read_steps(_history(tmp_path, [(20, 150, 40, 0), (40, 290, 90, 0), (60, 400, 240, 0),
                                                    (80, 420, 600, 0), (100, 300, 200, 5)]))
    assert [(s.users, s.rps, s.p95, s.errors) for s in steps][:4] == [
        (20, 150, 40, 0), (40, 290, 90, 0), (60, 400, 240, 0), (80, 420, 600, 0)]
    assert steps[4].errors == 5
    found = capacity.knee(steps, 250)
    assert found is not None and (found.users, found.rps) == (60, 400)
    assert capacity.describe(steps, 250).endswith("knee: 60 users, 400 requests/s (p95 240 ms)")
    assert capacity.knee(steps, 30) is None
    assert capacity.chart(steps, 250, tmp_path / "knee.png").stat().st_size > 0


def test_the_locustfile_builds_its_users_and_shape_from_the_plan(tmp_path: Path) -> None:
    """Imported in its own process, as Locust does (gevent patches the interpreter: never in the suite's)."""
    plan = {"urls": {"identity": "http://127.0.0.1:1", "sales": "http://127.0.0.1:2"},
            "people": {"Acme": [{"token": "t", "slug": "acme", "email": "r@x", "password": "p"}], "Globex": []},
            "working_tenant": "Acme", "flooding_tenant": "Globex", "reps": 20, "flooders": 10,
            "flood_rps_per_user": 25, "think_seconds": [0.5, 1.5], "stages": [[10, 5, 5], [40, 100, 50]]}
    runner.write_plan(plan, tmp_path)
    probe = ("import runpy; m = runpy.run_path('support/load/locustfile.py'); "
             "print(m['SalesRep'].fixed_count, m['Flooder'].fixed_count, m['Flooder'].tenant, "
             "m['PlannedShape'].stages, m['SalesRep'].host)")
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "LOAD_PLAN": str(tmp_path / "plan.json")},
                          cwd=runner.LOCUSTFILE.parents[2], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "20 10 Globex ((10.0, 5, 5.0), (40.0, 100, 50.0)) http://127.0.0.1:2"
    assert oct((tmp_path / "plan.json").stat().st_mode & 0o777) == "0o600"


def test_the_watch_counts_the_cpu_of_a_services_worker_processes() -> None:
    """A supervisor that only waits while its worker spins: the service's CPU is the worker's."""
    spin = "import time\nend = time.monotonic() + 20\nwhile time.monotonic() < end: pass"
    supervisor = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, "
                                   f"'-c', {spin!r}])"])
    try:
        with ResourceWatch({"sales": supervisor.pid}, interval=0.5) as watch:
            deadline, pause = time.monotonic() + 15, threading.Event()
            while len(watch.samples["sales"]) < 5 and time.monotonic() < deadline:
                pause.wait(0.1)  # bounded: five samples or 15 s
        busiest = max(sample.cpu_pct for sample in watch.samples["sales"])
        assert busiest > 50, f"the worker's spinning was not counted: {watch.samples['sales']}"
    finally:
        for member in psutil.Process(supervisor.pid).children(recursive=True):
            member.kill()
        supervisor.kill()
        supervisor.wait(timeout=10)
