"""eventually(): retries AssertionError until a deadline, then says what it waited for."""

from __future__ import annotations

import time

import pytest

from support.http.polling import eventually, let_time_pass


def test_returns_the_value_once_the_check_passes() -> None:
    calls = []

    def check() -> int:
        calls.append(1)
        assert len(calls) >= 3, f"only {len(calls)} calls"
        return len(calls)

    assert eventually(check, within=2, awaiting="three calls", interval=0.001) == 3


def test_falsy_results_count_as_success() -> None:
    assert eventually(lambda: [], within=0.1, awaiting="an empty list") == []


def test_deadline_message_names_what_was_awaited_and_the_last_observation() -> None:
    def check() -> None:
        raise AssertionError("deal is still 'proposal'")

    with pytest.raises(AssertionError) as caught:
        eventually(check, within=0.2, awaiting="the deal to be won", interval=0.05)
    message = str(caught.value)
    assert message.startswith("Waited 0.2 s for the deal to be won; last observation: deal is still 'proposal'")


def test_other_errors_propagate_at_once() -> None:
    calls = []

    def check() -> None:
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        eventually(check, within=5, awaiting="never")
    assert len(calls) == 1


def test_let_time_pass_returns_only_once_the_seconds_have_passed_since_the_moment() -> None:
    since = time.monotonic() - 0.2
    let_time_pass(since, 0.4, awaiting="the moment")
    assert time.monotonic() - since >= 0.4


def test_let_time_pass_returns_at_once_when_the_seconds_have_already_passed() -> None:
    let_time_pass(time.monotonic() - 5.0, 1.0, awaiting="the moment")
