"""Prometheus text exposition for request counts and durations (contract §6), no global registry.

`Metrics` counts in this process; `services.common.shared_state.SharedMetrics` counts for all the worker
processes of one service. Both render the same text from a `MetricsSnapshot`.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

RouteKey = tuple[str, str]  # (method, route template)


def bucket_index(seconds: float) -> int:
    """The first bucket whose bound holds `seconds`; len(BUCKETS) stands for +Inf."""
    return bisect.bisect_left(BUCKETS, seconds)


@dataclass
class MetricsSnapshot:
    """Counts by (method, route, status); per route, answers by their own bucket (not cumulative) and the sum."""

    requests: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    buckets: dict[RouteKey, list[int]] = field(default_factory=dict)
    sums: dict[RouteKey, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, method: str, route: str, status: str, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        key = (method, route)
        self.buckets.setdefault(key, [0] * (len(BUCKETS) + 1))[bucket_index(seconds)] += 1
        self.sums[key] += seconds


class MetricsSink(Protocol):
    def observe(self, method: str, route: str, status: int, seconds: float) -> None: ...

    def render(self) -> str: ...


class Metrics:
    """The counts of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot = MetricsSnapshot()

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._snapshot.add(method, route, str(status), seconds)

    def render(self) -> str:
        with self._lock:
            return render_text(self._snapshot)


def _labels(method: str, route: str, status: str | None = None) -> str:
    parts = [f'method="{method}"', f'route="{_escape(route)}"']
    if status is not None:
        parts.append(f'status="{status}"')
    return "{" + ",".join(parts) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_text(snapshot: MetricsSnapshot) -> str:
    lines = [
        "# HELP http_requests_total HTTP requests answered, by method, route template and status.",
        "# TYPE http_requests_total counter",
    ]
    for (method, route, status), count in sorted(snapshot.requests.items()):
        lines.append(f"http_requests_total{_labels(method, route, status)} {count}")
    lines += [
        "# HELP http_request_duration_seconds Time to answer HTTP requests.",
        "# TYPE http_request_duration_seconds histogram",
    ]
    for (method, route), own in sorted(snapshot.buckets.items()):
        base = _labels(method, route)[:-1]
        cumulative = 0
        for bound, count in zip(BUCKETS, own, strict=False):
            cumulative += count
            lines.append(f'http_request_duration_seconds_bucket{base},le="{bound}"}} {cumulative}')
        total = sum(own)
        lines.append(f'http_request_duration_seconds_bucket{base},le="+Inf"}} {total}')
        lines.append(f"http_request_duration_seconds_sum{_labels(method, route)} {snapshot.sums[(method, route)]}")
        lines.append(f"http_request_duration_seconds_count{_labels(method, route)} {total}")
    return "\n".join(lines) + "\n"
