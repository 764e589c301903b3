"""stop_groups: the whole process group goes, also a child the process started and a process deaf to SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys

from support.http.polling import NotYet, eventually
from support.runner.process_group import signal_group, stop_groups

# A parent that starts a child of its own and prints the child's pid. "deaf" ignores SIGTERM, and so does its
# child, which inherits the ignored signal.
PARENT = """
import signal, subprocess, sys, time
if sys.argv[1] == "deaf":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print(child.pid, flush=True)
time.sleep(60)
"""


def started(mode: str) -> tuple[subprocess.Popen[bytes], int]:
    process = subprocess.Popen([sys.executable, "-c", PARENT, mode], stdout=subprocess.PIPE, start_new_session=True)
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan is re-parented to init, which reaps it soon after)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def stops_soon(pid: int) -> None:
    def stopped() -> None:
        if running(pid):
            raise NotYet(f"process {pid} still runs")

    eventually(stopped, within=5.0, awaiting=f"process {pid} to stop")


def test_the_parent_and_the_child_it_started_are_both_stopped() -> None:
    process, child = started("polite")
    stop_groups([process], deadline_s=5)
    assert process.returncode == -signal.SIGTERM
    stops_soon(child)


def test_a_group_deaf_to_sigterm_is_killed_after_the_deadline() -> None:
    process, child = started("deaf")
    stop_groups([process], deadline_s=0.5)
    assert process.returncode == -signal.SIGKILL
    stops_soon(child)


def test_signalling_a_group_that_is_already_gone_is_harmless() -> None:
    process, child = started("polite")
    stop_groups([process], deadline_s=5)
    stops_soon(child)
    signal_group(process, signal.SIGTERM)
