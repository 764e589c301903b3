"""Callers that need the same answer from identity at once share one question (single_flight.SingleFlight)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from services.common.identity_client import IdentityUnavailable, TokenRejected
from services.common.single_flight import SingleFlight
from services.common.tenant_facts import TenantFactsCache


class _SlowIdentity:
    """Answers `/tenants/current` after a moment, counting questions; refuses the tokens named `revoked`."""

    def __init__(self, *, down: bool = False) -> None:
        self.questions: list[str] = []
        self.down = down

    async def tenant(self, token: str) -> dict[str, Any]:
        self.questions.append(token)
        await asyncio.sleep(0.05)
        if self.down:
            raise IdentityUnavailable("down")
        if token.startswith("revoked"):
            raise TokenRejected()
        return {"currency": "EUR", "plan": "growth"}


def _together(*calls: Any) -> list[Any]:
    async def run() -> list[Any]:
        return await asyncio.gather(*calls, return_exceptions=True)

    return asyncio.run(run())


def test_twenty_callers_of_one_tenant_at_once_cost_one_question() -> None:
    identity = _SlowIdentity()
    cache = TenantFactsCache(identity)
    answers = _together(*(cache.facts("acme", f"token-{n}") for n in range(20)))
    assert {answer.currency for answer in answers} == {"EUR"}
    assert len(identity.questions) == 1


def test_callers_of_two_tenants_each_ask() -> None:
    identity = _SlowIdentity()
    cache = TenantFactsCache(identity)
    _together(cache.facts("acme", "token-a"), cache.facts("globex", "token-g"))
    assert sorted(identity.questions) == ["token-a", "token-g"]


def test_a_leader_whose_token_is_refused_does_not_refuse_its_followers() -> None:
    identity = _SlowIdentity()
    cache = TenantFactsCache(identity)
    leader, follower = _together(cache.facts("acme", "revoked-rita"), cache.facts("acme", "token-ravi"))
    assert isinstance(leader, TokenRejected)
    assert follower.currency == "EUR"
    assert identity.questions == ["revoked-rita", "token-ravi"]


def test_identity_down_is_shared_news_not_a_second_wait() -> None:
    identity = _SlowIdentity(down=True)
    cache = TenantFactsCache(identity)
    answers = _together(*(cache.facts("acme", f"token-{n}") for n in range(5)))
    assert all(isinstance(answer, IdentityUnavailable) for answer in answers)
    assert len(identity.questions) == 1


def test_a_cancelled_leader_leaves_its_followers_their_answer() -> None:
    async def run() -> tuple[str, int]:
        flight: SingleFlight[str] = SingleFlight()
        asked = 0

        async def question() -> str:
            nonlocal asked
            asked += 1
            await asyncio.sleep(0.05)
            return "answer"

        leader = asyncio.ensure_future(flight.ask("k", question))
        await asyncio.sleep(0)
        follower = asyncio.ensure_future(flight.ask("k", question))
        await asyncio.sleep(0)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        return await follower, asked

    assert asyncio.run(run()) == ("answer", 1)


def test_once_answered_the_next_caller_asks_afresh() -> None:
    async def run() -> int:
        flight: SingleFlight[int] = SingleFlight()
        asked = 0

        async def question() -> int:
            nonlocal asked
            asked += 1
            return asked

        await flight.ask("k", question)
        await flight.ask("k", question)
        return asked

    assert asyncio.run(run()) == 2
