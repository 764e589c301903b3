"""One question to identity at a time per key: callers that need the same answer at once share it.

When a cached answer (a pass's state, a tenant's facts) goes stale under load, every call in flight for it
used to ask identity itself: a burst of identical HTTP calls each time, about a quarter of sales's CPU at
200 requests/s. Here the first caller asks; the others wait for its answer, and share its failure too
(identity down: no second wait for it), except a failure that was the leader's own (`ask_again_on`: its
token was refused, while a follower of the same tenant asks with another person's): then the follower asks
for itself. The question runs as its own task, so a leader whose request is cancelled does not cancel its
followers' answer.

Written by hand: the caches around it keep stale answers for outages (`TtlCache`), which async-lru and
aiocache do not offer, and the coalescing itself is these few lines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Answer = TypeVar("Answer")


class SingleFlight(Generic[Answer]):
    def __init__(self, ask_again_on: tuple[type[Exception], ...] = ()) -> None:
        self._asking: dict[str, asyncio.Task[Answer]] = {}
        self._ask_again_on = ask_again_on

    async def ask(self, key: str, question: Callable[[], Awaitable[Answer]]) -> Answer:
        pending = self._asking.get(key)
        if pending is not None:
            try:
                return await asyncio.shield(pending)
            except self._ask_again_on:
                return await question()
        task: asyncio.Task[Answer] = asyncio.ensure_future(question())
        task.add_done_callback(_retrieve)
        self._asking[key] = task
        try:
            return await asyncio.shield(task)
        finally:
            if self._asking.get(key) is task:
                del self._asking[key]


def _retrieve(task: asyncio.Task[object]) -> None:
    """Mark the task's exception as seen: its callers have their own handling, or were cancelled."""
    if not task.cancelled():
        task.exception()
