"""Prometheus text as the services expose it at /metrics (contract §6): samples and the required families."""

from __future__ import annotations

import re

_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>.*)\})?\s+(?P<value>\S+)(\s+\d+)?$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"')


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    """The samples of metric `name` in Prometheus text: (labels, value)."""
    found = []
    for line in text.splitlines():
        match = _SAMPLE.match(line.strip())
        if match is None or match.group("name") != name:
            continue
        labels = dict(_LABEL.findall(match.group("labels") or ""))
        try:
            found.append((labels, float(match.group("value"))))
        except ValueError:
            continue
    return found


def counted(text: str, *, method: str, status: str) -> float:
    """The sum of `http_requests_total` over routes for one method and status."""
    return sum(value for labels, value in samples(text, "http_requests_total")
               if labels.get("method", "").upper() == method and labels.get("status") == status)


def metrics_faults(text: str) -> list[str]:
    faults = []
    requests = samples(text, "http_requests_total")
    if not requests:
        faults.append("there is no http_requests_total")
    elif not any({"method", "route", "status"} <= set(labels) for labels, _ in requests):
        faults.append("http_requests_total is not labelled by method, route and status")
    buckets = samples(text, "http_request_duration_seconds_bucket")
    if not any("le" in labels for labels, _ in buckets):
        faults.append("there are no http_request_duration_seconds buckets")
    for part in ("http_request_duration_seconds_sum", "http_request_duration_seconds_count"):
        if not samples(text, part):
            faults.append(f"there is no {part}")
    return faults
