"""Sign-in throttling arithmetic (contract §3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.identity.throttle import AttemptState, register_failure, retry_after

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def fail(state: AttemptState, times: int, at: datetime, lockout: int = 900) -> AttemptState:
    for _ in range(times):
        state = register_failure(state, at, lockout)
    return state


def test_five_failures_lock_for_the_lockout() -> None:
    state = fail(AttemptState(), 4, T0)
    assert retry_after(state, T0) is None
    state = fail(state, 1, T0)
    assert retry_after(state, T0) == 900
    assert retry_after(state, T0 + timedelta(seconds=899.5)) == 1
    assert retry_after(state, T0 + timedelta(seconds=900)) is None


def test_failures_outside_the_window_do_not_count() -> None:
    state = fail(AttemptState(), 4, T0)
    state = fail(state, 1, T0 + timedelta(minutes=15))
    assert state.failures == 1
    assert retry_after(state, T0 + timedelta(minutes=15)) is None


def test_after_the_lockout_counting_starts_afresh() -> None:
    state = fail(AttemptState(), 5, T0, lockout=2)
    state = fail(state, 1, T0 + timedelta(seconds=3), lockout=2)
    assert state.failures == 1 and state.locked_until is None
