"""A bounded burst of concurrent requests from one tenant while another tenant keeps working (§3 rate limit).

The burst goes out in waves of concurrent requests until the platform slows the noisy tenant down,
at most `max_requests` in all; during every wave the bystander makes its own ordinary calls. The
many burst exchanges are not attached one by one to the report: the outcome is summarised instead.
"""

from __future__ import annotations

import collections
import http.client
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from support.http.client import BearerAuth, tls_context
from support.runner.config import Timeouts

WAVE = 100
THREADS = 32
MAX_REQUESTS = 2000
MAX_SECONDS = 12.0
DEFAULT_RATE = 100          # contract §3: RATE_LIMIT_PER_TENANT default 100, burst 200
CONCLUSIVE_MARGIN = 1.2
BYSTANDER_CALLS_PER_WAVE = 2


@dataclass(frozen=True)
class Limit:
    """A tenant's allowance: `rate` requests per second, with bursts of up to `burst`."""

    rate: float
    burst: float

    @classmethod
    def configured(cls, env: Mapping[str, str]) -> Limit:
        """The deployment's RATE_LIMIT_PER_TENANT when the suite knows it, else the contract's default."""
        rate = float(env.get("RATE_LIMIT_PER_TENANT") or DEFAULT_RATE)
        return cls(rate=rate, burst=2 * rate)

    def most_allowed(self, seconds: float) -> float:
        """The most requests a limiter keeping this allowance may let through in `seconds`
        (a token bucket lets `burst + rate * seconds`; one second of slack covers per-second windows)."""
        return self.burst + self.rate * (seconds + 1.0)


@dataclass
class BurstOutcome:
    limit: Limit
    answers: list[httpx.Response] = field(default_factory=list)
    bystander: list[httpx.Response] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def conclusive(self) -> bool:
        """More answers than the allowance permits in the time taken: a keeper of it must have refused some."""
        return len(self.answers) > self.limit.most_allowed(self.seconds) * CONCLUSIVE_MARGIN

    @property
    def slowed(self) -> list[httpx.Response]:
        return [answer for answer in self.answers if answer.status_code == 429]

    def summary(self) -> str:
        counts = collections.Counter(answer.status_code for answer in self.answers)
        shown = ", ".join(f"{count} x {status}" for status, count in sorted(counts.items()))
        rate = len(self.answers) / self.seconds if self.seconds else 0.0
        return (f"{len(self.answers)} requests of the burst were answered in {self.seconds:.1f} s "
                f"({rate:.0f} per second; a limit of {self.limit.rate:g}/s with bursts of {self.limit.burst:g} "
                f"allows at most {self.limit.most_allowed(self.seconds):.0f}): {shown}")


def plain_client(base_url: str, token: Callable[[], str], timeouts: Timeouts) -> httpx.Client:
    """A client that records nothing (hundreds of burst exchanges would swamp the report)."""
    return httpx.Client(base_url=base_url, auth=BearerAuth(token),
                        timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
                        headers={"User-Agent": "platform-acceptance-suite (burst)"}, verify=tls_context())


class LightCaller:
    """GETs one path with a bearer pass over one keep-alive connection per thread (http.client).

    The burst must outpace the platform's rate limit; httpx spends far more CPU per request than the
    standard library, CPU the services on the same machine need to answer quickly.
    """

    def __init__(self, base_url: str, path: str, token: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "127.0.0.1", parts.port
        self.prefix = parts.path.rstrip("/")
        self.path, self.token, self.timeout = path, token, timeout
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            connection = kind(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def __call__(self) -> httpx.Response:
        url = f"{self.prefix}{self.path}"
        headers = {"Authorization": f"Bearer {self.token}", "X-Request-ID": str(uuid.uuid4()),
                   "User-Agent": "platform-acceptance-suite (burst)"}
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request("GET", url, headers=headers)
                raw = connection.getresponse()
                body = raw.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        request = httpx.Request("GET", f"{self.scheme}://{self.host}:{self.port}{url}", headers=headers)
        return httpx.Response(raw.status, headers=raw.getheaders(), content=body, request=request)

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


def burst(noisy: Callable[[], httpx.Response], bystander: Callable[[], httpx.Response], *,
          limit: Limit, at_least: int = 4 * WAVE, max_requests: int = MAX_REQUESTS,
          max_seconds: float = MAX_SECONDS) -> BurstOutcome:
    """Waves of `WAVE` concurrent `noisy` calls until the limit must have shown, or the bounds are reached.

    Stops once some calls were slowed down (and `at_least` were sent), or once so many were answered
    that a limiter keeping `limit` had to refuse some, or after `max_requests` / `max_seconds`.
    """
    outcome = BurstOutcome(limit=limit)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="burst") as pool:
        while len(outcome.answers) < max_requests and time.monotonic() - started < max_seconds:
            wave = [pool.submit(noisy) for _ in range(WAVE)]
            outcome.bystander += [bystander() for _ in range(BYSTANDER_CALLS_PER_WAVE)]
            outcome.answers += [future.result() for future in wave]
            outcome.seconds = time.monotonic() - started
            if len(outcome.answers) >= at_least and (outcome.slowed or outcome.conclusive):
                break
    return outcome
