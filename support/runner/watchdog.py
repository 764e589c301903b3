"""A time limit per scenario: a hung scenario fails with what it was waiting for, and the run goes on.

`arm(scenario, default)` (before_scenario) starts a real-time timer (SIGALRM) for the scenario's limit:
the environment's `scenario_time_limit` (config/environments.yaml, `-D scenario_time_limit=S`) or a
`@time_limit:S` tag on the scenario, its Rule or its Feature. When it rings inside a step or a hook,
`ScenarioTimeLimitExceeded` is raised there: behave marks the step as an error (Allure: broken), skips
the rest of the scenario and goes on with the next one. The message names the limit, what
`support.http.polling.eventually` was awaiting, and the stacks of all threads. After ringing once
the timer rings again every `min(limit, REPEAT_S)` seconds, so a step that swallows the exception cannot hang the
run. `disarm()` (after_scenario) stops it.

Why SIGALRM and not a thread: only an exception raised *in* the main thread can stop the step that hangs
there (blocking calls such as socket reads, lock and event waits and `time.sleep` are interrupted by a
signal, PEP 475). The timer is not armed off the main thread or where SIGALRM does not exist.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from behave.matchers import Match
from behave.runner import ModelRunner

from support.http.polling import eventually
from support.runner.tag_values import tag_value

TAG_PREFIX = "time_limit:"
REPEAT_S = 10.0  # after the first ring it rings again every min(limit, REPEAT_S), until the scenario ends
RETRY_OUTSIDE_S = 0.1  # a ring inside behave's own code (between steps) waits for the next step or hook
_STEP_CODE = Match.run.__code__
_HOOK_CODE = ModelRunner.run_hook.__code__
_EVENTUALLY_CODE = eventually.__code__


class ScenarioTimeLimitExceeded(Exception):
    """The scenario ran past its time limit. Not an AssertionError: `eventually` must not take it for "not yet"."""


@dataclass
class _Armed:
    scenario: str
    limit: float
    started: float
    rings: int = 0


_armed: _Armed | None = None
_previous_handler: Any = signal.SIG_DFL


def limit_for(scenario: Any, default: float) -> float:
    """The scenario's limit: its innermost `@time_limit:S` tag (scenario, outline, rule, feature), else `default`."""
    text = tag_value(scenario, TAG_PREFIX)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"@{TAG_PREFIX}{text}: the time limit must be a number of seconds") from None
    if not 0 < value < float("inf"):
        raise ValueError(f"@{TAG_PREFIX}{text}: the time limit must be a positive number of seconds")
    return value


def arm(scenario: Any, default: float) -> None:
    """Start the scenario's timer (no-op off the main thread or without SIGALRM)."""
    global _armed, _previous_handler
    if not _can_arm():
        return
    limit = limit_for(scenario, default)
    _armed = _Armed(scenario=str(getattr(scenario, "name", "?")), limit=limit, started=time.monotonic())
    previous = signal.signal(signal.SIGALRM, _ring)
    if previous is not _ring:
        _previous_handler = previous
    signal.setitimer(signal.ITIMER_REAL, limit)


def disarm() -> None:
    """Stop the timer; a ring already on its way finds nothing armed and does nothing."""
    global _armed
    if _armed is None or not _can_arm():
        return
    _armed = None
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, _previous_handler)


def awaiting_now() -> list[str]:
    """What the running `eventually` calls wait for ("<awaiting> (up to S s, thread T)"), read from their
    frames, so that `eventually` needs no bookkeeping of its own."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    found = []
    for ident, frame in sys._current_frames().items():
        for current in _frames(frame):
            if current.f_code is _EVENTUALLY_CODE:
                waited = current.f_locals.get("within")
                found.append(f"{current.f_locals.get('awaiting', '?')} (up to {waited} s, "
                             f"thread {names.get(ident, ident)})")
    return found


def thread_stacks() -> str:
    """The stack of every thread, innermost call last (this module's own frames left out), as text."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        entries = [entry for entry in traceback.extract_stack(frame) if entry.filename != __file__]
        stack = "".join(traceback.format_list(entries))
        parts.append(f"Thread {names.get(ident, ident)} ({ident}):\n{stack}")
    return "\n".join(parts)


def describe(armed: _Armed) -> str:
    waits = awaiting_now()
    waiting = "; ".join(waits) if waits else "nothing through eventually() (see the stacks below)"
    ran = time.monotonic() - armed.started
    again = f" (still running {ran:.0f} s after it; ring {armed.rings})" if armed.rings > 1 else ""
    return (f"Scenario time limit of {armed.limit:g} s exceeded{again}: it was waiting for {waiting}. "
            f"Raise the limit with @{TAG_PREFIX}SECONDS or -D scenario_time_limit=SECONDS if the scenario "
            f"is slow by design.\n\nStacks of all threads when the limit rang:\n{thread_stacks()}")


def _ring(signum: int, frame: FrameType | None) -> None:
    armed = _armed
    if armed is None:
        return
    if not _inside_step_or_hook(frame):
        signal.setitimer(signal.ITIMER_REAL, RETRY_OUTSIDE_S)
        return
    armed.rings += 1
    signal.setitimer(signal.ITIMER_REAL, min(armed.limit, REPEAT_S))
    raise ScenarioTimeLimitExceeded(describe(armed))


def _inside_step_or_hook(frame: FrameType | None) -> bool:
    """Raise only where behave catches it: in a step's function or a hook, never in behave's bookkeeping."""
    return any(f.f_code in (_STEP_CODE, _HOOK_CODE) for f in _frames(frame))


def _frames(frame: FrameType | None) -> Iterable[FrameType]:
    while frame is not None:
        yield frame
        frame = frame.f_back


def _can_arm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
