"""Drivers: one small class per service, the only code that knows URLs, verbs, headers and statuses.

A driver never judges a business outcome. A call that must succeed and does not raises
`UnexpectedAnswer` (an AssertionError) whose message describes the exchange with its request id.
Answers come back as typed records (`support.drivers.records`); every answer is also kept in
`last_response`, so an actor can make an attempt that may be refused and judge the answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from support.drivers.records import JSON, Page, R
from support.http.bodies import NOT_JSON, json_body
from support.http.client import describe
from support.http.polling import NotYet, eventually


class UnexpectedAnswer(AssertionError):
    """A call that had to succeed did not; the message names the exchange and its request id."""

    def __init__(self, intent: str, response: httpx.Response) -> None:
        super().__init__(f"Could not {intent}: {describe(response)}")
        self.response = response


class ServiceUnreachable(AssertionError):
    """The service gave no HTTP answer at all (refused connection, timeout, broken transport)."""


class NoAnswerYet(AssertionError):
    """An observation was asked of a driver before it made any call."""


class Driver:
    """Shared plumbing: one `_request()` that every public method of a driver goes through."""

    service = "service"

    def __init__(self, client: httpx.Client) -> None:
        self._client = client
        self._last: httpx.Response | None = None

    @property
    def last_response(self) -> httpx.Response:
        if self._last is None:
            raise NoAnswerYet(f"The {self.service} service has not been asked anything yet")
        return self._last

    def evidence(self) -> str:
        """The last exchange as a sentence for a failure message (with its request id)."""
        return f"The {self.service} service answered {describe(self.last_response)}"

    def attempt(self, call: Callable[..., object], /, *args: Any, **kwargs: Any) -> httpx.Response:
        """Make a call that may be refused and hand back the answer, whatever it was."""
        with contextlib.suppress(UnexpectedAnswer):
            call(*args, **kwargs)
        return self.last_response

    def close(self) -> None:
        self._client.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        intent: str,
        expect: int | tuple[int, ...] = 200,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> httpx.Response:
        query = {key: value for key, value in (params or {}).items() if value is not None}
        try:
            response = self._client.request(
                method, path, json=json, params=query or None, headers=dict(headers or {}), **extra)
        except httpx.TransportError as exc:
            raise ServiceUnreachable(
                f"Could not {intent}: the {self.service} service gave no answer to {method} {path} "
                f"({type(exc).__name__}: {exc})") from exc
        self._last = response
        allowed = (expect,) if isinstance(expect, int) else expect
        if response.status_code not in allowed:
            raise UnexpectedAnswer(intent, response)
        return response

    def _json(self, method: str, path: str, *, intent: str, **kwargs: Any) -> JSON:
        response = self._request(method, path, intent=intent, **kwargs)
        body = json_body(response, NOT_JSON)
        if body is NOT_JSON:
            raise UnexpectedAnswer(f"{intent} (the answer is not JSON)", response)
        if not isinstance(body, dict):
            raise UnexpectedAnswer(f"{intent} (the answer is not a JSON object)", response)
        return body

    def _record(self, kind: type[R], method: str, path: str, *, intent: str, **kwargs: Any) -> R:
        """The answer as a record of `kind`; one without a string id is an unexpected answer."""
        body = self._json(method, path, intent=intent, **kwargs)
        if "id" in {item for item in getattr(kind, "__dataclass_fields__", {})} and not isinstance(
                body.get("id"), str):
            raise UnexpectedAnswer(f"{intent} (the answer has no string id)", self.last_response)
        return kind.of(body)

    def _page(self, kind: type[R], path: str, *, intent: str, **kwargs: Any) -> Page[R]:
        return Page.of_kind(kind, self._json("GET", path, intent=intent, **kwargs))


def if_match(version: int | str | None) -> dict[str, str]:
    """The If-Match header for a deal version (the ETag is the quoted version)."""
    return {} if version is None else {"If-Match": f'"{version}"'}


def page_params(page: int | None, page_size: int | None) -> dict[str, int | None]:
    return {"page": page, "page_size": page_size}


T = TypeVar("T")
TOLD_TO_SLOW_DOWN = 429


class _Refusal(Exception):
    def __init__(self, refusal: UnexpectedAnswer) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def paced(call: Callable[[], T], *, awaiting: str, within: float = 60.0) -> T:
    """`call()`, made again while the platform answers 429 (slow down): a set-up that makes hundreds of
    records may outpace the tenant's rate limit, which is the platform keeping its promise, not a failure.
    Any other refusal fails at once; the wait is bounded by `within`."""

    def attempt() -> T:
        try:
            return call()
        except UnexpectedAnswer as refusal:
            if refusal.response.status_code == TOLD_TO_SLOW_DOWN:
                raise NotYet(str(refusal)) from None
            raise _Refusal(refusal) from None

    try:
        return eventually(attempt, within=within, awaiting=awaiting, interval=0.25)
    except _Refusal as stopped:
        raise stopped.refusal from None
