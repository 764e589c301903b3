"""Run a load profile with Locust as its own process(es), always cleaned up, and read its statistics back.

One process (`load.workers: 0`), or a master and N local workers (`workers: N`), or a master that waits
for workers started on other machines (`workers: external`, docs/PERFORMANCE.md). Every process runs in its
own process group and is stopped (SIGTERM, then SIGKILL) when the run ends, fails, times out or is
interrupted (Ctrl-C); the plan file holding the people's passes is private (0600) and deleted with the run's
temporary folder by the caller. Only the environment's configured base URLs are ever targeted.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.load.profiles import LoadProfile, LoadRefused, check_bounds
from support.load.stats import Failure, RequestStats, read_failures, read_stats
from support.runner.config import LoadSettings, SuiteConfig
from support.runner.process_group import stop_groups

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PREFIX = "locust"
GRACE_S = 30.0     # beyond the profile's duration: start-up, the workers joining, the final statistics
STOP_S = 5.0       # after SIGTERM, before SIGKILL
_RUNNING: set[subprocess.Popen[bytes]] = set()


class LoadRunBroken(AssertionError):
    """Locust did not run the profile to its end (crash, timeout): its log says why."""


@dataclass(frozen=True)
class LoadRun:
    folder: Path
    stats: list[RequestStats]
    failures: list[Failure]
    seconds: float
    workers: int

    @property
    def files(self) -> list[Path]:
        """Locust's own report and CSVs, for the scenario's attachments."""
        return sorted(p for p in self.folder.iterdir() if p.suffix in (".html", ".csv"))


def check_targets(urls: Mapping[str, str], config: SuiteConfig) -> None:
    allowed = {config.base_url(name).rstrip("/") for name in config.services}
    strangers = sorted(url for url in urls.values() if url.rstrip("/") not in allowed)
    if strangers:
        raise LoadRefused(f"load refused: {', '.join(strangers)} is not a base URL of environment "
                          f"'{config.env_name}' ({', '.join(sorted(allowed))})")


def write_plan(plan: Mapping[str, Any], folder: Path) -> Path:
    path = folder / "plan.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
    return path


def commands(profile: LoadProfile, settings: LoadSettings, folder: Path, users: Sequence[str],
             master_port: int) -> tuple[list[str], list[list[str]]]:
    """(the master's or only process's command, each local worker's command)."""
    locust = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--loglevel", "WARNING"]
    main = [*locust, "--headless", "--only-summary", "-u", str(profile.users), "-r", f"{profile.spawn_rate:g}",
            "-t", f"{int(profile.duration) + 1}s", "--stop-timeout", "2", "--exit-code-on-error", "0",
            "--csv", str(folder / PREFIX), "--csv-full-history", "--html", str(folder / f"{PREFIX}.html"),
            "--logfile", str(folder / "master.log")]
    if not settings.distributed:
        return [*main, *users], []
    expected = settings.workers or settings.external_workers
    main += ["--master", "--expect-workers", str(expected), "--expect-workers-max-wait", f"{int(GRACE_S)}",
             "--master-bind-host", settings.master_host, "--master-bind-port", str(master_port), *users]
    workers = [[*locust, "--worker", "--master-host", settings.master_host, "--master-port", str(master_port),
                "--logfile", str(folder / f"worker-{index}.log"), *users] for index in range(settings.workers)]
    return main, workers


def run(profile: LoadProfile, plan: Mapping[str, Any], config: SuiteConfig, folder: Path,
        users: Sequence[str]) -> LoadRun:
    """Run the profile to its end and read Locust's statistics; every process is gone when this returns."""
    settings = config.load
    check_bounds(profile, settings)
    check_targets(plan["urls"], config)
    env = {**os.environ, "LOAD_PLAN": str(write_plan(plan, folder))}
    port = settings.master_port or _free_port(settings.master_host)
    main, workers = commands(profile, settings, folder, users, port)
    started = time.monotonic()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        master = _start(main, env, folder / "master.out")
        processes.append(master)
        processes += [_start(cmd, env, folder / f"worker-{i}.out") for i, cmd in enumerate(workers)]
        if settings.external_workers:
            print(f"Locust master waiting for {settings.external_workers} worker(s): on each load machine run "
                  f"LOAD_PLAN=<a private copy of {env['LOAD_PLAN']}> locust -f support/load/locustfile.py --worker "
                  f"--master-host <this machine> --master-port {port} {' '.join(users)}", file=sys.__stderr__)
        deadline = profile.duration + GRACE_S
        try:
            code = master.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            raise LoadRunBroken(f"Locust was still running {deadline:g} s after the start of '{profile.name}' "
                                f"and was stopped; {_tail(folder)}") from None
    finally:
        stop(processes)
    stats_file = folder / f"{PREFIX}_stats.csv"
    if code != 0 or not stats_file.is_file():
        raise LoadRunBroken(f"Locust ended with exit code {code} without its statistics; {_tail(folder)}")
    return LoadRun(folder, read_stats(stats_file), read_failures(folder / f"{PREFIX}_failures.csv"),
                   time.monotonic() - started, settings.workers or settings.external_workers)


def _start(command: list[str], env: Mapping[str, str], out: Path) -> subprocess.Popen[bytes]:
    with out.open("wb") as handle:
        process = subprocess.Popen(command, env=dict(env), stdout=handle, stderr=subprocess.STDOUT,
                                   start_new_session=True, cwd=LOCUSTFILE.parents[2])
    _RUNNING.add(process)
    return process


def stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each process group, then SIGKILL to what is left after STOP_S: never a process left behind."""
    stop_groups(processes, STOP_S)
    for process in processes:
        _RUNNING.discard(process)


def _free_port(host: str) -> int:
    from support.runner.launcher import free_port

    return free_port(host)


def _tail(folder: Path, lines: int = 15) -> str:
    texts = []
    for log in sorted([*folder.glob("*.log"), *folder.glob("*.out")]):
        text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
        if text:
            texts.append(f"{log.name}: " + " | ".join(text))
    return "Locust said: " + (" || ".join(texts) if texts else "nothing")


atexit.register(lambda: stop(list(_RUNNING)))
