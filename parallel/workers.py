"""One behave worker: a process group of its own, a time limit, and nothing left behind.

A worker is `python -m behave @<locations file>` started in a new session (its own process group), with
`TMPDIR` pointing into the run's scratch folder (the managed platform's data dir lands there) and a token
in its environment that its platform's services inherit. The services run in sessions of their own
(support/runner/launcher.py), so killing the worker's group alone would orphan them: `kill` also ends
every process that carries the token (found with psutil), and `clean_up` removes the scratch folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from parallel.plan import Planned

TOKEN_VARIABLE = "ACCEPTANCE_WORKER_TOKEN"


@dataclass
class Worker:
    number: int
    share: list[Planned]
    process: subprocess.Popen[bytes]
    log: Path
    scratch: Path
    token: str
    started: float
    deadline: float
    killed_at: float | None = None
    ended_at: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    @property
    def killed(self) -> bool:
        return self.killed_at is not None


def start(number: int, share: Sequence[Planned], behave_args: Sequence[str], *, folder: Path,
          time_limit: float, userdata: dict[str, str]) -> Worker:
    """Start the worker on its share (given to behave as a file of file:line locations)."""
    folder.mkdir(parents=True, exist_ok=True)
    locations = folder / f"worker-{number}.locations"
    # behave reads the paths in a locations file relative to the file itself: write them absolute.
    locations.write_text("".join(f"{_absolute(item.location)}\n" for item in share), encoding="utf-8")
    scratch = folder / f"worker-{number}.tmp"
    scratch.mkdir(exist_ok=True)
    token = uuid.uuid4().hex
    log = folder / f"worker-{number}.log"
    defines = [arg for key, value in userdata.items() for arg in ("-D", f"{key}={value}")]
    command = [sys.executable, "-m", "behave", *defines, *behave_args, f"@{locations}"]
    env = {**os.environ, "TMPDIR": str(scratch), TOKEN_VARIABLE: token, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as handle:
        handle.write(f"$ {' '.join(command)}\n".encode())
        handle.flush()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)
    now = time.monotonic()
    return Worker(number, list(share), process, log, scratch, token, started=now, deadline=now + time_limit)


def _absolute(location: str) -> str:
    path, _, line = location.rpartition(":")
    return f"{os.path.abspath(path)}:{line}"


def kill(worker: Worker, why: str) -> None:
    """SIGKILL the worker's process group and every process of its platform, now."""
    worker.killed_at = time.monotonic()
    worker.notes.append(why)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(worker.process.pid, signal.SIGKILL)
    kill_marked(worker.token)
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.process.wait(timeout=10)


def kill_marked(token: str) -> list[int]:
    """Kill every process whose environment carries `token` (a worker's platform, wherever it was reparented)."""
    killed = []
    for process in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error):
            if process.pid != os.getpid() and process.environ().get(TOKEN_VARIABLE) == token:
                process.kill()
                killed.append(process.pid)
    return killed


def clean_up(worker: Worker) -> None:
    """After the worker ended, whatever way: nothing of it runs, its scratch folder is gone."""
    if worker.running:
        kill(worker, "stopped: the run was interrupted")
    leftovers = kill_marked(worker.token)
    if leftovers:
        worker.notes.append(f"killed {len(leftovers)} process(es) it left behind: {leftovers}")
    worker.ended_at = worker.ended_at or time.monotonic()
    shutil.rmtree(worker.scratch, ignore_errors=True)


def log_tail_of(log: Path, lines: int = 30) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])
