"""Sign-in throttling rules (contract §3), as pure functions over one (tenant, email) record.

After MAX_FAILURES failed sign-ins within WINDOW, the pair is locked for LOCKOUT_SECONDS from the
failure that reached the limit; while locked, every attempt (even with the right password) is refused
with Retry-After. Once the lock-out has passed, counting starts afresh. A success resets the count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


@dataclass
class AttemptState:
    failures: int = 0
    window_started_at: datetime | None = None
    locked_until: datetime | None = None


def retry_after(state: AttemptState, now: datetime) -> int | None:
    """Whole seconds until the lock-out ends (at least 1), or None when the pair is not locked."""
    if state.locked_until is None or state.locked_until <= now:
        return None
    return max(1, math.ceil((state.locked_until - now).total_seconds()))


def register_failure(state: AttemptState, now: datetime, lockout_seconds: int) -> AttemptState:
    expired_lock = state.locked_until is not None and state.locked_until <= now
    window_over = state.window_started_at is None or now - state.window_started_at >= WINDOW
    if expired_lock or window_over:
        state = AttemptState(failures=0, window_started_at=now, locked_until=None)
    failures = state.failures + 1
    locked_until = now + timedelta(seconds=lockout_seconds) if failures >= MAX_FAILURES else None
    return AttemptState(
        failures=failures, window_started_at=state.window_started_at, locked_until=locked_until
    )
