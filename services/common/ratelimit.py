"""Per-tenant token buckets: one tenant's burst never slows another (contract §3).

`TenantRateLimiter` keeps the buckets of one process; `services.common.shared_state.SharedRateLimiter` keeps
them for all the worker processes of one service. Both refill and take with `take_token`.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol


@dataclass
class Bucket:
    tokens: float
    updated: float  # time.monotonic(): one clock for every process of the machine (CLOCK_MONOTONIC)


def take_token(bucket: Bucket, now: float, rate: float, burst: float) -> float | None:
    """Refill `bucket` up to `now` and take one token; None when allowed, else the seconds until one is there."""
    bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.updated) * rate)
    bucket.updated = now
    if bucket.tokens >= 1.0:
        bucket.tokens -= 1.0
        return None
    return (1.0 - bucket.tokens) / rate


class RateLimiter(Protocol):
    def acquire(self, tenant_id: str) -> float | None: ...


class TenantRateLimiter:
    def __init__(self, rate_per_second: float, burst: int) -> None:
        self.rate = rate_per_second
        self.burst = float(burst)
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, tenant_id: str) -> float | None:
        """Take one token; return None when allowed, else the seconds to wait before retrying."""
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.setdefault(tenant_id, Bucket(self.burst, now))
            return take_token(bucket, now, self.rate, self.burst)


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds)))
