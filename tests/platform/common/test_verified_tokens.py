"""Passes already verified are remembered only while they last, and only so many (auth.VerifiedTokens)."""

from __future__ import annotations

import time

from services.common.auth import LEEWAY_SECONDS, VerifiedTokens


def test_a_remembered_pass_is_given_back_while_it_lasts() -> None:
    remembered = VerifiedTokens()
    claims = {"sub": "rita", "exp": time.time() + 60}
    remembered.put("pass-a", claims)
    assert remembered.get("pass-a") == claims
    assert remembered.get("pass-b") is None


def test_a_pass_past_its_expiry_and_leeway_is_forgotten_so_it_is_checked_again() -> None:
    remembered = VerifiedTokens()
    remembered.put("within-leeway", {"exp": time.time() - LEEWAY_SECONDS + 30})
    remembered.put("expired", {"exp": time.time() - LEEWAY_SECONDS - 1})
    assert remembered.get("within-leeway") is not None
    assert remembered.get("expired") is None
    assert "expired" not in remembered._claims


def test_the_oldest_passes_go_first_beyond_the_capacity() -> None:
    remembered = VerifiedTokens(capacity=2)
    for name in ("first", "second", "third"):
        remembered.put(name, {"exp": time.time() + 60})
    assert remembered.get("first") is None
    assert remembered.get("second") is not None and remembered.get("third") is not None
