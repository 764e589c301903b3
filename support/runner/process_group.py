"""Signalling and stopping a child that runs in a session of its own (`start_new_session=True`): the signal goes
to its whole process group, so nothing it started itself is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Sequence


def signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """`sig` to the process group of `process`; a group already gone is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def stop_groups(processes: Sequence[subprocess.Popen[bytes]], deadline_s: float) -> None:
    """SIGTERM to each process group, then SIGKILL to each whose leader has not exited within `deadline_s`."""
    for process in processes:
        signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            signal_group(process, signal.SIGKILL)
            process.wait(timeout=deadline_s)
