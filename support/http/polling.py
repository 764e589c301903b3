"""`eventually`: the suite's only way to wait. No other module sleeps.

A check *passes* when it returns without raising AssertionError; its return value is handed
back. A falsy return value is NOT a failure (checks assert what they need), so `eventually`
works with checks that return data as well as with plain assertion functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from support.http.conformance import ContractViolation

T = TypeVar("T")

# The contract's "within 2 s" (revocations, role changes, notifications) and the one allowance on top of it: the
# last probe leaves before the deadline and needs its own round trip to the service to come back.
PROMISED_WITHIN_S = 2.0
LAST_PROBE_ALLOWANCE_S = 0.5


class NotYet(AssertionError):
    """Raised by a check that has nothing to observe yet (no answer, empty list, ...)."""


def eventually(
    check: Callable[[], T],
    *,
    within: float,
    awaiting: str,
    interval: float = 0.05,
) -> T:
    """Call `check` until it stops raising AssertionError, at most for `within` seconds.

    Other exceptions propagate at once: they are bugs or broken transport, not "not yet"; so does a
    ContractViolation (an answer that breaks the contract's schemas will not mend by asking again).
    On the deadline raises AssertionError("Waited 2.0 s for <awaiting>; last observation: ...").
    """
    deadline = time.monotonic() + within
    attempts = 0
    while True:
        attempts += 1
        try:
            return check()
        except ContractViolation:
            raise
        except AssertionError as exc:
            last = str(exc).strip() or type(exc).__name__
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(
                f"Waited {within:.1f} s for {awaiting}; last observation: {last} "
                f"({attempts} attempts)") from None
        time.sleep(min(interval, remaining))


def let_time_pass(since: float, seconds: float, *, awaiting: str) -> None:
    """Wait until `seconds` have passed since `since` (monotonic clock): the one way to try a rule that is
    counted in time (a replay window, a token's lifetime). Bounded like every wait, and named."""

    def passed() -> None:
        elapsed = time.monotonic() - since
        if elapsed < seconds:
            raise NotYet(f"{elapsed:.1f} s have passed")

    eventually(passed, within=seconds + 1.0, awaiting=f"{seconds:g} s to pass since {awaiting}", interval=0.5)
