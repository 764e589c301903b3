"""The one HTTP client factory of the suite: explicit timeouts, request ids, recorded exchanges."""

from __future__ import annotations

import functools
import json
import ssl
import time
import uuid
from collections.abc import Callable, Generator

import httpx

from support.http import conformance
from support.http.exchanges import STARTED, attach, redact_json, redact_text
from support.runner.config import Timeouts

API = "/api/v1"  # contract §1: business endpoints live under /api/v1
REQUEST_ID = "X-Request-ID"
EXCERPT_CHARS = 300


class BearerAuth(httpx.Auth):
    """Adds `Authorization: Bearer <token>`; the token is asked for at each request."""

    def __init__(self, token_supplier: Callable[[], str]) -> None:
        self._token_supplier = token_supplier

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token_supplier()}"
        yield request


# An idle connection is dropped well before a server's keep-alive timeout (uvicorn: 5 s, many proxies:
# 5-60 s). Reusing one the server is closing at that moment fails with "server disconnected": a flake.
KEEPALIVE_EXPIRY_S = 2.0


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: building one loads the CA bundle (~40 ms), and a run makes
    hundreds of clients (one per persona and service)."""
    return httpx.create_ssl_context()


def make_client(
    base_url: str,
    *,
    service: str,
    timeouts: Timeouts,
    auth: httpx.Auth | None = None,
    transport: httpx.BaseTransport | None = None,
    checked: bool = True,
) -> httpx.Client:
    """A client for one service; every exchange is redacted and attached to the Allure step, then every
    answer is checked against the contract's schemas (`support.http.conformance`; `checked=False` only for
    the suite's own tests against fake services)."""

    def add_request_id(request: httpx.Request) -> None:
        if REQUEST_ID not in request.headers:
            request.headers[REQUEST_ID] = str(uuid.uuid4())
        request.extensions[STARTED] = time.monotonic()

    def record(response: httpx.Response) -> None:
        if not response.is_stream_consumed:
            response.read()
        attach(response, service=service)

    def check(response: httpx.Response) -> None:
        conformance.active().check(response, service)

    return httpx.Client(
        base_url=base_url,
        auth=auth,
        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
        event_hooks={"request": [add_request_id], "response": [record, check] if checked else [record]},
        headers={"User-Agent": "platform-acceptance-suite"},
        transport=transport,
        verify=tls_context(),
        follow_redirects=False,
        limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
    )


def request_id(response: httpx.Response) -> str:
    """The request id of an exchange: the server's echo, else the one the suite sent."""
    return response.headers.get(REQUEST_ID) or response.request.headers.get(REQUEST_ID, "none")


def describe(response: httpx.Response) -> str:
    """One line for failure messages: 'POST /api/v1/deals -> 422 (request id abc): <body excerpt>'."""
    request = response.request
    return (f"{request.method} {redact_text(request.url.raw_path.decode('ascii', 'replace'))} -> "
            f"{response.status_code} (request id {request_id(response)}): {_excerpt(response)}")


def _excerpt(response: httpx.Response) -> str:
    try:
        text = response.text
    except httpx.ResponseNotRead:
        return "(body not read)"
    if not text:
        return "(empty body)"
    try:
        text = json.dumps(redact_json(json.loads(text)), ensure_ascii=False)
    except ValueError:
        text = redact_text(" ".join(text.split()))
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
