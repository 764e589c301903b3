"""Prometheus text as the services expose it at /metrics (contract §6): samples, the required families, growth."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import httpx
from hamcrest.core.description import Description

from support.matchers.answers import AnswerMatcher, media_type

_SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>.*)\})?\s+(?P<value>\S+)(\s+\d+)?$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"')
_TYPE = re.compile(r"^#\s*TYPE\s+(?P<name>\S+)\s+(?P<kind>\S+)")
REQUESTS = "http_requests_total"
DURATIONS = "http_request_duration_seconds"
TEXT_FORMATS = ("text/plain", "application/openmetrics-text")
Labels = frozenset[tuple[str, str]]


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


def declared_kind(text: str, family: str) -> str | None:
    """The kind a `# TYPE` line declares for `family` (None when the text declares none)."""
    for line in text.splitlines():
        match = _TYPE.match(line.strip())
        if match and match.group("name") == family:
            return match.group("kind")
    return None


def series(text: str, name: str) -> dict[Labels, float]:
    return {frozenset(labels.items()): value for labels, value in samples(text, name)}


def counted(text: str, *, method: str, status: str) -> float:
    """The sum of `http_requests_total` over routes for one method and status."""
    return sum(value for labels, value in samples(text, REQUESTS)
               if labels.get("method", "").upper() == method and labels.get("status") == status)


def histogram_faults(text: str) -> list[str]:
    """Buckets that do not add up: each series' buckets grow with `le` and its +Inf bucket equals its count."""
    buckets: dict[Labels, list[tuple[float, float]]] = defaultdict(list)
    for labels, value in samples(text, f"{DURATIONS}_bucket"):
        bound = labels.pop("le", None)
        if bound is not None:
            buckets[frozenset(labels.items())].append((math.inf if bound == "+Inf" else float(bound), value))
    counts = series(text, f"{DURATIONS}_count")
    faults = []
    for labels, bounds in buckets.items():
        ordered = [value for _, value in sorted(bounds)]
        if ordered != sorted(ordered):
            faults.append(f"the buckets of {dict(labels)} do not grow with le")
        infinite = dict(bounds).get(math.inf)
        if infinite is None or counts.get(labels) != infinite:
            faults.append(f"the +Inf bucket of {dict(labels)} is {infinite}, its count {counts.get(labels)}")
    return faults


def metrics_faults(text: str) -> list[str]:
    faults = []
    requests = samples(text, REQUESTS)
    if not requests:
        faults.append(f"there is no {REQUESTS}")
    elif not any({"method", "route", "status"} <= set(labels) for labels, _ in requests):
        faults.append(f"{REQUESTS} is not labelled by method, route and status")
    for family, kind in ((REQUESTS, "counter"), (DURATIONS, "histogram")):
        declared = declared_kind(text, family)
        if declared not in (None, kind):
            faults.append(f"{family} is declared a {declared}, not a {kind}")
    if not any("le" in labels for labels, _ in samples(text, f"{DURATIONS}_bucket")):
        faults.append(f"there are no {DURATIONS} buckets")
    for part in (f"{DURATIONS}_sum", f"{DURATIONS}_count"):
        if not samples(text, part):
            faults.append(f"there is no {part}")
    return faults + histogram_faults(text)


class ExposesMetrics(AnswerMatcher):
    """A 200 Prometheus text answer holding the request counter and the duration histogram."""

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == 200 else [f"the status is {answer.status_code}, not 200"]
        if media_type(answer) not in TEXT_FORMATS:
            faults.append(f"the content type is {media_type(answer) or 'missing'}, not Prometheus text")
        return faults + metrics_faults(answer.text)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"Prometheus text with {REQUESTS}{{method,route,status}} and the {DURATIONS} "
                                "histogram")


def growth_faults(before: str, after: str, *, reads: int, refusals: int, refused_status: str = "422") -> list[str]:
    """The counter grew by exactly `reads` (GET, 200) and `refusals` (GET, refused) on one and the same route."""
    was, now = series(before, REQUESTS), series(after, REQUESTS)
    grown = {labels: value - was.get(labels, 0.0) for labels, value in now.items()}

    def routes(status: str, by: int) -> set[str]:
        return {dict(labels).get("route", "") for labels, value in grown.items()
                if dict(labels).get("method", "").upper() == "GET" and dict(labels).get("status") == status
                and value == by}

    faults = []
    if not routes("200", reads) & routes(refused_status, refusals):
        shown = {str(sorted(labels)): value for labels, value in grown.items() if value}
        faults.append(f"no route counted exactly {reads} more GETs answered 200 and {refusals} more answered "
                      f"{refused_status}; the counts grew by {shown}")
    return faults


def timing_faults(before: str, after: str, *, at_least: int) -> list[str]:
    """The duration histogram counted at least `at_least` more requests."""
    timed = sum(series(after, f"{DURATIONS}_count").values()) - sum(series(before, f"{DURATIONS}_count").values())
    return [] if timed >= at_least else [f"the histogram counted {timed:g} more requests, not at least {at_least}"]
