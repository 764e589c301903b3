"""At most MAX_IN_FLIGHT API calls at work per process; slow senders, uploads and health never hold a place."""

from __future__ import annotations

import asyncio
import json

from starlette.types import Message, Receive, Scope, Send

from services.common.metrics import Metrics
from services.common.middleware import JSON_LIMIT, MAX_IN_FLIGHT, BodyRules, PlatformMiddleware


class Gate:
    """An app that counts the calls inside it and keeps them until the gate opens."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.open = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        try:
            await self.open.wait()
        finally:
            self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": json.dumps({"got": len(body)}).encode()})


def _scope(path: str, method: str = "POST", length: int | None = None) -> Scope:
    headers = [(b"content-type", b"application/json")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    else:
        headers.append((b"transfer-encoding", b"chunked"))
    return {"type": "http", "method": method, "path": path, "headers": headers, "query_string": b""}


async def _call(app: PlatformMiddleware, scope: Scope, parts: list[bytes], hold: asyncio.Event | None = None) -> int:
    """Send `parts` as the body (after `hold`, when given, before the last one); return the answer's status."""
    pending = list(parts)
    answers: list[Message] = []

    async def receive() -> Message:
        if len(pending) == 1 and hold is not None:
            await hold.wait()
        body = pending.pop(0) if pending else b""
        return {"type": "http.request", "body": body, "more_body": bool(pending)}

    async def send(message: Message) -> None:
        answers.append(message)

    await app(scope, receive, send)
    return answers[0]["status"]


def _app(gate: Gate) -> PlatformMiddleware:
    return PlatformMiddleware(gate, metrics=Metrics(), rules=BodyRules(large_body_paths=[r"/api/v1/uploads"]))


def test_no_more_than_the_limit_of_calls_work_at_once_and_the_others_wait_their_turn() -> None:
    async def scenario() -> tuple[int, list[int]]:
        gate = Gate()
        app = _app(gate)
        calls = [asyncio.create_task(_call(app, _scope("/api/v1/deals", length=2), [b"{}"]))
                 for _ in range(MAX_IN_FLIGHT + 8)]
        await asyncio.wait_for(_until(lambda: gate.inside == MAX_IN_FLIGHT), timeout=5)
        gate.open.set()
        statuses = await asyncio.wait_for(asyncio.gather(*calls), timeout=5)
        return gate.most_inside, statuses

    most_inside, statuses = asyncio.run(scenario())
    assert most_inside == MAX_IN_FLIGHT
    assert statuses == [200] * (MAX_IN_FLIGHT + 8)


def test_slow_senders_uploads_and_health_hold_no_place() -> None:
    async def scenario() -> list[int]:
        gate = Gate()
        app = _app(gate)
        never = asyncio.Event()  # the slow senders' last body part never comes
        slow = [asyncio.create_task(_call(app, _scope("/api/v1/deals"), [b"{", b"}"], hold=never))
                for _ in range(MAX_IN_FLIGHT + 4)]
        uploads = [asyncio.create_task(_call(app, _scope("/api/v1/uploads", length=2), [b"{}"]))
                   for _ in range(MAX_IN_FLIGHT + 4)]
        await asyncio.wait_for(_until(lambda: gate.inside == MAX_IN_FLIGHT + 4), timeout=5)  # uploads are in
        gate.open.set()
        served = await asyncio.wait_for(asyncio.gather(
            *uploads, _call(app, _scope("/api/v1/deals", length=2), [b"{}"]),
            _call(app, _scope("/health/ready", method="GET", length=0), [b""])), timeout=5)
        for task in slow:
            task.cancel()
        return served

    assert asyncio.run(scenario()) == [200] * (MAX_IN_FLIGHT + 6)


def test_an_ordinary_body_over_the_limit_is_refused_before_taking_a_place() -> None:
    async def scenario() -> int:
        gate = Gate()
        gate.open.set()
        return await _call(_app(gate), _scope("/api/v1/deals"), [b"x" * JSON_LIMIT, b"x"])

    assert asyncio.run(scenario()) == 413


async def _until(condition, interval: float = 0.01) -> None:  # bounded by the caller's asyncio.wait_for
    while not condition():
        await asyncio.sleep(interval)
