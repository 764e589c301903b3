"""How sales and anomaly talk to identity: JWKS, the caller's current state, the tenant and its settings.

Only endpoints of the contract are used, always with the caller's own token, so any identity
implementation works. Answers are cached briefly; while identity is unreachable the last known
answer stands (contract §2: tokens keep working while identity is down).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

log = logging.getLogger(__name__)


class IdentityUnavailable(Exception):
    """Identity could not be asked (down, timing out or failing)."""


class TokenRejected(Exception):
    """Identity answered 401 for this token: revoked, user inactive, or otherwise invalid."""


class IdentityClient(Protocol):
    async def jwks(self) -> dict[str, Any]: ...
    async def me(self, token: str) -> dict[str, Any]: ...
    async def tenant(self, token: str) -> dict[str, Any]: ...
    async def settings(self, token: str) -> dict[str, Any]: ...
    async def aclose(self) -> None: ...


class HttpIdentityClient:
    """Identity over HTTP, never waited on for long: each question gets `timeout` seconds. Once identity has
    failed to answer it is `recently_unreachable` for `cooldown` seconds: callers that know an earlier answer
    use it without asking (see `recently_unreachable`), so a slow or black-holed identity costs one request
    `timeout`, not every request; callers with nothing to fall back on still ask."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 2.0, cooldown: float = 1.0) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, transport=transport,
                                         timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)))
        self._cooldown = cooldown
        self._unreachable_until = 0.0

    async def _get(self, path: str, token: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            response = await self._send(path, headers)
        except httpx.HTTPError as exc:
            self._unreachable_until = time.monotonic() + self._cooldown
            log.warning("identity unreachable on %s: %s", path, exc.__class__.__name__)
            raise IdentityUnavailable(f"identity unreachable: {exc.__class__.__name__}") from exc
        if response.status_code == 401:
            raise TokenRejected()
        if response.status_code != 200:
            raise IdentityUnavailable(f"identity answered {response.status_code} on {path}")
        return response.json()

    @property
    def recently_unreachable(self) -> bool:
        return time.monotonic() < self._unreachable_until

    async def _send(self, path: str, headers: dict[str, str]) -> httpx.Response:
        """One GET; a connection that broke without timing out (a kept-alive one identity or the network has
        since dropped) is tried once more on a fresh one. A timeout is not: it would double the wait."""
        try:
            return await self._client.get(path, headers=headers)
        except httpx.TimeoutException:
            raise
        except httpx.TransportError:
            return await self._client.get(path, headers=headers)

    async def jwks(self) -> dict[str, Any]:
        return await self._get("/.well-known/jwks.json")

    async def me(self, token: str) -> dict[str, Any]:
        return await self._get("/api/v1/auth/me", token)

    async def tenant(self, token: str) -> dict[str, Any]:
        return await self._get("/api/v1/tenants/current", token)

    async def settings(self, token: str) -> dict[str, Any]:
        return await self._get("/api/v1/tenants/current/settings", token)

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass
class _Entry:
    value: Any
    fresh_until: float


class TtlCache:
    """Fresh answers for `ttl` seconds; stale answers are kept for use while the source is down."""

    def __init__(self, ttl: float, max_entries: int = 50_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}

    def fresh(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        return entry.value if entry and entry.fresh_until > time.monotonic() else None

    def stale(self, key: str) -> Any | None:
        entry = self._entries.get(key)
        return entry.value if entry else None

    def put(self, key: str, value: Any) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = _Entry(value, time.monotonic() + self.ttl)


def recently_unreachable(identity: object) -> bool:
    """Whether identity failed to answer moments ago (False for clients that do not say)."""
    return bool(getattr(identity, "recently_unreachable", False))


async def poll_until(condition, *, interval: float, stop: asyncio.Event) -> None:
    """Run `condition()` until it returns True or `stop` is set (used for the JWKS warm-up)."""
    while not stop.is_set():
        if await condition():
            return
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            continue
