"""Prometheus text exposition for request counts and durations (contract §6), no global registry."""

from __future__ import annotations

import threading
from collections import defaultdict

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def _labels(method: str, route: str, status: str | None = None) -> str:
    parts = [f'method="{method}"', f'route="{_escape(route)}"']
    if status is not None:
        parts.append(f'status="{status}"')
    return "{" + ",".join(parts) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sums: dict[tuple[str, str], float] = defaultdict(float)
        self._counts: dict[tuple[str, str], int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, str(status))] += 1
            key = (method, route)
            buckets = self._buckets.setdefault(key, [0] * len(BUCKETS))
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self._sums[key] += seconds
            self._counts[key] += 1

    def render(self) -> str:
        lines = [
            "# HELP http_requests_total HTTP requests answered, by method, route template and status.",
            "# TYPE http_requests_total counter",
        ]
        with self._lock:
            for (method, route, status), count in sorted(self._requests.items()):
                lines.append(f"http_requests_total{_labels(method, route, status)} {count}")
            lines += [
                "# HELP http_request_duration_seconds Time to answer HTTP requests.",
                "# TYPE http_request_duration_seconds histogram",
            ]
            for (method, route), buckets in sorted(self._buckets.items()):
                base = _labels(method, route)[:-1]
                for bound, count in zip(BUCKETS, buckets, strict=True):
                    lines.append(f'http_request_duration_seconds_bucket{base},le="{bound}"}} {count}')
                total = self._counts[(method, route)]
                lines.append(f'http_request_duration_seconds_bucket{base},le="+Inf"}} {total}')
                lines.append(f"http_request_duration_seconds_sum{_labels(method, route)} {self._sums[(method, route)]}")
                lines.append(f"http_request_duration_seconds_count{_labels(method, route)} {total}")
        return "\n".join(lines) + "\n"
