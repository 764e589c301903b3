"""Breaks that live in what goes over the wire: an outermost ASGI layer around a built app.

Since every /api/v1 route has a `response_model`, a wrong value put into a use case's answer no longer
reaches the client (FastAPI's response validation turns it into a 500). A mutant that must serve a wrong
answer therefore rewrites the JSON body on its way out, after the app (and its answer models) made it.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI

from tests.bites.mutants import AppFactory

ASGI = Callable[..., Any]


def with_middleware(factory: AppFactory, middleware: Callable[[ASGI], ASGI]) -> AppFactory:
    """The app with an extra outermost ASGI layer (for breaks that live in what goes over the wire)."""

    def build() -> FastAPI:
        app = factory()
        app.add_middleware(_Layer, wrap=middleware)
        return app

    return build


class _Layer:
    def __init__(self, app: ASGI, wrap: Callable[[ASGI], ASGI]) -> None:
        self.handle = wrap(app)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.handle(scope, receive, send)


async def rewrite_json(app: ASGI, scope: Any, receive: Any, send: Callable[[Any], Awaitable[None]],
                       change: Callable[[Any], Any]) -> None:
    """Serve the request, then send its JSON answer changed by `change` (with a matching Content-Length).

    Only successful (2xx) answers are changed: refusals keep their problem documents."""
    start: dict[str, Any] = {}
    body = b""

    async def keep(message: dict[str, Any]) -> None:
        nonlocal body
        if message["type"] == "http.response.start":
            start.update(message)
            return
        body += message.get("body", b"")
        if message.get("more_body"):
            return
        if 200 <= start.get("status", 0) < 300:
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):  # not the JSON expected
                body = json.dumps(change(json.loads(body))).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    await app(scope, receive, keep)


def answers_rewritten(factory: AppFactory, method: str, path: str, change: Callable[[Any], Any]) -> AppFactory:
    """The app whose successful JSON answers to `method` requests on paths matching `path` (a full-match regex)
    leave changed by `change(document) -> document`."""
    pattern = re.compile(path)

    def rewrite(app: ASGI) -> ASGI:
        async def handle(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["method"] != method or not pattern.fullmatch(scope["path"]):
                await app(scope, receive, send)
                return
            await rewrite_json(app, scope, receive, send, change)
        return handle

    return with_middleware(factory, rewrite)


def request_bodies_rewritten(methods: tuple[str, ...], path: str, change: Callable[[Any], Any]
                             ) -> Callable[[ASGI], ASGI]:
    """A layer that hands the app the JSON body of `methods` requests on paths matching `path` (a full-match
    regex) changed by `change(document) -> document`, with a matching Content-Length; a body that is not a
    JSON document the change can take passes unchanged."""
    pattern = re.compile(path)

    def layer(app: ASGI) -> ASGI:
        async def handle(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["method"] not in methods or not pattern.fullmatch(scope["path"]):
                await app(scope, receive, send)
                return
            body, more = b"", True
            while more:
                message = await receive()
                body, more = body + message.get("body", b""), message.get("more_body", False)
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                body = json.dumps(change(json.loads(body))).encode()
            headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            sent = False

            async def replay() -> dict[str, Any]:
                nonlocal sent
                if sent:
                    return await receive()
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            await app({**scope, "headers": headers}, replay, send)

        return handle

    return layer

