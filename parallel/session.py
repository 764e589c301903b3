"""One or more runs of a plan, and what each scenario did in each.

A run shares the planned scenarios out over the workers and waits for them, each at most its time limit,
printing progress as results appear. A worker past its limit is killed with its platform; the scenarios it
never reported get a broken result saying so (unfinished.py), and so do those of a worker that crashed or
ended before reporting anything. The run goes on with the other workers either way.

Repeated runs (a stability check) keep every run's results in the same folder: each scenario then has one
attempt per run, and one that both passed and failed is flaky (signoff/results.py judges the same way).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parallel import attachments, plan, unfinished, workers
from parallel.feed import ResultsFeed
from parallel.plan import Planned
from parallel.progress import Progress
from parallel.workers import Worker
from signoff.results import Scenario
from signoff.statuses import NOT_DEMONSTRATED, Status

TICK_S = 0.5  # how often the runner looks for new results and for workers past their limit
CRASH_CODES = {0, 1}  # behave's own exit codes; anything else (or a signal) means the worker crashed


@dataclass(frozen=True)
class Settings:
    workers: int
    behave_args: tuple[str, ...]
    results: Path
    folder: Path  # worker logs, locations and scratch space (reports/run)
    worker_time_limit: float
    retry: int = 0
    seeds: tuple[int | None, ...] = (None,)  # one per run; None = file order


@dataclass
class WorkerReport:
    number: int
    scenarios: int
    exit: int | None
    killed: bool
    seconds: float
    log: str
    notes: list[str]


@dataclass
class RunReport:
    number: int
    seed: int | None
    seconds: float = 0.0
    workers: list[WorkerReport] = field(default_factory=list)
    attempts: list[Scenario] = field(default_factory=list)
    unfinished: list[Planned] = field(default_factory=list)  # given a broken result by the runner
    unreported: list[Planned] = field(default_factory=list)  # ran, but left no result (a scenario that skipped itself)
    passed_files: list[Path] = field(default_factory=list)

    def arrived(self, path: Path, attempt: Scenario, progress: Progress) -> None:
        progress.finished(attempt)
        self.attempts.append(attempt)
        if attempt.status == Status.PASSED:
            self.passed_files.append(path)


def run_all(planned: Sequence[Planned], weight: Mapping[str, float], settings: Settings) -> list[RunReport]:
    runs = []
    for number, seed in enumerate(settings.seeds, 1):
        label = f" run {number}/{len(settings.seeds)}" if len(settings.seeds) > 1 else ""
        order = "file order" if seed is None else f"shuffled with seed {seed}"
        print(f"\n== Run {number} of {len(settings.seeds)}: {len(planned)} scenarios, {order}", flush=True)
        report = run_once(number, seed, planned, weight, settings, label=label)
        last = number == len(settings.seeds)
        if not last:
            _prune_passed(report)
        runs.append(report)
    return runs


def run_once(number: int, seed: int | None, planned: Sequence[Planned], weight: Mapping[str, float],
             settings: Settings, *, label: str = "") -> RunReport:
    report = RunReport(number, seed)
    shares = [share for share in plan.share_out(planned, settings.workers, weight, seed=seed) if share]
    userdata = {"keep_results": "true"}
    if seed is not None:
        userdata["shuffle"] = str(seed)
    if settings.retry:
        userdata["retry"] = str(settings.retry)
    feed = ResultsFeed(settings.results)
    progress = Progress({p.key: weight[p.key] for p in planned}, label=label)
    started = time.monotonic()
    running: list[Worker] = []
    try:
        for index, share in enumerate(shares, 1):
            folder = settings.folder / f"run-{number}" if len(settings.seeds) > 1 else settings.folder
            args = _per_worker(settings.behave_args, index, number if len(settings.seeds) > 1 else None)
            running.append(workers.start(index, share, args, folder=folder,
                                         time_limit=settings.worker_time_limit, userdata=userdata))
        _watch(running, feed, progress, report, settings.worker_time_limit)
    finally:
        for worker in running:
            workers.clean_up(worker)
    for path, attempt in feed.poll():
        report.arrived(path, attempt, progress)
    report.seconds = time.monotonic() - started
    _account(report, running, settings.results, progress)
    return report


def _watch(running: list[Worker], feed: ResultsFeed, progress: Progress, report: RunReport, limit: float) -> None:
    """Until every worker ended: show results as they come, kill a worker past its time limit."""
    while any(worker.running for worker in running):
        for path, attempt in feed.poll():
            report.arrived(path, attempt, progress)
        now = time.monotonic()
        for worker in running:
            if worker.running and now > worker.deadline:
                workers.kill(worker, f"killed at its time limit of {limit:g} s")
                progress.note(f"!! worker {worker.number} killed with its platform: past its time limit of "
                              f"{limit:g} s (--worker-time-limit); log {worker.log}")
            elif not worker.running and worker.ended_at is None:
                worker.ended_at = now
        first = next((worker for worker in running if worker.running), None)
        if first is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):  # the tick passed
                first.process.wait(timeout=TICK_S)


def _account(report: RunReport, running: list[Worker], results: Path, progress: Progress) -> None:
    """Name what each worker did not report; give the scenarios of a killed or crashed worker a result."""
    reported = {attempt.key for attempt in report.attempts}
    for worker in running:
        missing = [item for item in worker.share if item.key not in reported]
        code = worker.returncode
        ended_early = worker.killed or code not in CRASH_CODES or not any(
            item.key in reported for item in worker.share)
        seconds = (worker.ended_at or time.monotonic()) - worker.started
        report.workers.append(WorkerReport(worker.number, len(worker.share), code, worker.killed, seconds,
                                           str(worker.log), worker.notes))
        if not missing:
            continue
        if ended_early:
            why = _why_unfinished(worker)
            unfinished.write(results, missing, why)
            report.unfinished += missing
            progress.note(f"!! worker {worker.number}: {len(missing)} scenario(s) not finished: {why}")
            for item in missing:
                progress.note(f"      {item.location}  {item.title}")
        else:
            report.unreported += missing


def _why_unfinished(worker: Worker) -> str:
    if worker.killed:
        return (f"Not finished: worker {worker.number} was {worker.notes[0]}, with its platform, before this "
                f"scenario reported (it was running it, or had not reached it); its log: {worker.log}")
    return (f"Not finished: worker {worker.number} ended (exit {worker.returncode}) before this scenario "
            f"reported; its log: {worker.log}")


def _prune_passed(report: RunReport) -> None:
    for path in report.passed_files:
        attachments.prune(path)


def outcomes(runs: Sequence[RunReport]) -> dict[str, list[Status]]:
    """Every attempt's status per scenario, over all runs, in order."""
    found: dict[str, list[Status]] = {}
    for run in runs:
        for attempt in sorted(run.attempts, key=lambda a: (a.stop, a.start)):
            found.setdefault(attempt.key, []).append(attempt.status)
        for item in run.unfinished:
            found.setdefault(item.key, []).append(Status.BROKEN)
    return found


def is_flaky(statuses: Sequence[Status]) -> bool:
    return Status.PASSED in statuses and any(s in NOT_DEMONSTRATED for s in statuses)


def _per_worker(behave_args: Sequence[str], worker: int, run: int | None) -> list[str]:
    """behave's JUnit files are named by feature: workers sharing a feature need their own folder."""
    args = list(behave_args)
    suffix = f"worker-{worker}" if run is None else f"run-{run}/worker-{worker}"
    for index, arg in enumerate(args):
        if arg.startswith("--junit-directory="):
            args[index] = f"{arg}/{suffix}"
        elif arg == "--junit-directory" and index + 1 < len(args):
            args[index + 1] = f"{args[index + 1]}/{suffix}"
    return args
