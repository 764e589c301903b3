"""Pure-ASGI middleware: request ids, security headers, body limits (413), media types (415), metrics."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common.context import current_request_id
from services.common.metrics import MetricsSink
from services.common.problems import PROBLEM_MEDIA_TYPE, problem_body
from services.common.unstorable import path_names_nothing

log = logging.getLogger("services")

MAX_IN_FLIGHT = 16  # API calls at work at once per process (enough to keep two cores and the database busy)
JSON_LIMIT = 1024 * 1024
LARGE_LIMIT = 10 * 1024 * 1024
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


@dataclass
class BodyRules:
    """Which paths take large bodies and which accept media types other than JSON."""

    large_body_paths: Sequence[str] = ()
    media_types: dict[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._large = [re.compile(pattern) for pattern in self.large_body_paths]
        self._media = [(re.compile(pattern), tuple(types)) for pattern, types in self.media_types.items()]

    def limit_for(self, path: str) -> int:
        return LARGE_LIMIT if any(p.fullmatch(path) for p in self._large) else JSON_LIMIT

    def accepts(self, path: str, media_type: str) -> bool:
        for pattern, types in self._media:
            if pattern.fullmatch(path):
                return media_type in types
        return media_type == "application/json" or (
            media_type.startswith("application/") and media_type.endswith("+json")
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def problem_message(status: int, slug: str, detail: str) -> bytes:
    return json.dumps(problem_body(status, slug, detail)).encode()


def refuse_nul(scope: Scope) -> tuple[int, str, str] | None:
    """A path with NUL names no resource: 404 `not-found`, like an unknown route (`services.common.unstorable`)."""
    if path_names_nothing(scope.get("path", "")):
        return (404, "not-found", "The resource does not exist.")
    return None


async def _whole_body(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """The request's messages up to its last body part (or a disconnect); False once the body exceeds `limit`."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, True
        size += len(message.get("body", b""))
        if size > limit:
            return messages, False
        if not message.get("more_body", False):
            return messages, True


def _replayed(messages: list[Message], receive: Receive) -> Receive:
    """`receive` that gives the messages already read first, then goes on with the connection's own."""

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return replay


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: MetricsSink, rules: BodyRules) -> None:
        self.app = app
        self.metrics = metrics
        self.rules = rules
        self._in_flight: asyncio.Semaphore | None = None

    def _admission(self) -> asyncio.Semaphore:
        """At most MAX_IN_FLIGHT API calls at work in this process; the others wait their turn on the event loop.

        Under load, hundreds of calls at work at once means as many threads taking turns at the GIL, and a
        writer holding the database lock waits among them for its next turn: every write slows down. Calls
        that wait here cost nothing but their place in the queue (first come, first served). A call takes its
        place only once its body has arrived, and uploads and streams (large bodies) never queue, so slow
        senders cannot hold the places.
        """
        if self._in_flight is None:
            self._in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
        return self._in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        sent_id = _header(scope, b"x-request-id")
        request_id = sent_id if sent_id and _REQUEST_ID.fullmatch(sent_id) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)
        path: str = scope["path"]
        status_holder = {"status": 500, "started": False}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                status_holder["started"] = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                if path.startswith("/api/"):
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            nul = refuse_nul(scope)
            refusal = self._refuse_body(scope)
            if nul is not None:
                await self._send_problem(send_with_headers, *nul)
            elif refusal is not None:
                await self._send_problem(send_with_headers, *refusal)
            elif path.startswith("/api/") and self.rules.limit_for(path) < LARGE_LIMIT:
                await self._admitted(scope, receive, send_with_headers, self.rules.limit_for(path))
            else:  # health, metrics, uploads and streams never wait behind the API's queue
                await self.app(scope, self._limited(receive, self.rules.limit_for(path)), send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s (request id %s)", scope.get("method"), path, request_id)
            if not status_holder["started"]:
                await self._send_problem(send_with_headers, 500, "internal-error", "The service failed to answer.")
        finally:
            current_request_id.reset(token)
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe(scope.get("method", "GET"), template, status_holder["status"],
                                 time.perf_counter() - started)

    async def _admitted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """An ordinary API call: its whole body first (a slow sender holds no place), then its turn to work."""
        messages, within = await _whole_body(receive, limit)
        if not within:
            await self._send_problem(send, 413, "payload-too-large", f"The body exceeds {limit} bytes.")
            return
        async with self._admission():
            await self.app(scope, _replayed(messages, receive), send)

    def _refuse_body(self, scope: Scope) -> tuple[int, str, str] | None:
        if scope.get("method") not in _BODY_METHODS:
            return None
        path = scope["path"]
        length_text = _header(scope, b"content-length")
        chunked = (_header(scope, b"transfer-encoding") or "").lower() == "chunked"
        try:
            length = int(length_text) if length_text is not None else None
        except ValueError:
            return (400, "bad-request", "Content-Length is not a number.")
        if length is not None and length > self.rules.limit_for(path):
            return (413, "payload-too-large", f"The body exceeds {self.rules.limit_for(path)} bytes.")
        has_body = chunked or (length or 0) > 0
        if has_body and path.startswith("/api/"):
            media_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
            if not self.rules.accepts(path, media_type):
                shown = media_type or "none"
                return (415, "unsupported-media-type", f"This endpoint does not accept the media type {shown}.")
        return None

    @staticmethod
    def _limited(receive: Receive, limit: int) -> Receive:
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise StarletteHTTPException(413, f"The body exceeds {limit} bytes.")
            return message

        return limited_receive

    @staticmethod
    async def _send_problem(send: Send, status: int, slug: str, detail: str) -> None:
        body = problem_message(status, slug, detail)
        await send({
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
