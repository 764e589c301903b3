"""Matchers and small parsers for the cross-cutting conventions (contract §1 and §6).

Each matcher fails with a sentence that quotes `describe(response)` (call, status, request id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.http.client import describe
from support.matchers.answers import AnswerMatcher, is_problem

# Signs of the platform's insides that no answer may show (the suite never sends any of them).
LEAK_MARKERS = (
    "Traceback", 'File "/', "site-packages", "dist-packages", ".py\", line", "SELECT ", "INSERT INTO",
    "UPDATE \"", "sqlalchemy", "sqlite3", "psycopg", "ORA-", "$argon2", "$2b$", "$2a$", "pbkdf2_", "/usr/lib/",
    "/home/", "node_modules", "Exception:", "java.lang.",
)
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
CLOCK_TOLERANCE = timedelta(minutes=20)
SEQUENCE_GAP = 1000  # ids closer than this, as numbers, are a counter (other runs may interleave)


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


# -- problems -------------------------------------------------------------------------------------
class IsFullProblem(BaseMatcher[httpx.Response]):
    """`is_problem(slug)` plus the other members of RFC 9457 the contract names: title and detail."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.base = is_problem(slug)

    def _faults(self, response: httpx.Response) -> list[str]:
        faults: list[str] = []
        if not self.base.matches(response):
            faults.append(f"it is not a '{self.slug}' problem of the contract's form")
        body = _body(response)
        if isinstance(body, dict):
            for member in ("title", "detail"):
                if not isinstance(body.get(member), str) or not body.get(member):
                    faults.append(f"the problem has no '{member}' text")
        return faults

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self._faults(item)

    def describe_to(self, description: Description) -> None:
        self.base.describe_to(description)
        description.append_text(" with a title and a detail")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, httpx.Response):
            mismatch_description.append_text(f"got {item!r}, which is not an HTTP answer")
            return
        self.base.describe_mismatch(item, mismatch_description)
        mismatch_description.append_text(" (" + "; ".join(self._faults(item)) + ")")


def is_full_problem(slug: str) -> IsFullProblem:
    return IsFullProblem(slug)


def field_matches(reported: Any, field: str) -> bool:
    """The error names `field`: as is, or as the last step of a path ("body.id", "/id")."""
    if not isinstance(reported, str):
        return False
    return reported == field or re.fullmatch(rf".*[./\[]{re.escape(field)}\]?", reported) is not None


class ReportsBrokenRules(AnswerMatcher):
    """A 422 `validation-failed` problem with exactly one entry per expected (field, code)."""

    def __init__(self, expected: dict[str, str | None]) -> None:
        self.expected = expected

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = list(IsFullProblem("validation-failed")._faults(response))
        body = _body(response)
        errors = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(errors, list) or not all(isinstance(entry, dict) for entry in errors):
            return [*faults, "it has no list of errors"]
        for entry in errors:
            missing = [key for key in ("field", "code", "message") if not isinstance(entry.get(key), str)]
            if missing:
                faults.append(f"the entry {entry} lacks {', '.join(missing)}")
        for field, code in self.expected.items():
            naming = [entry for entry in errors if field_matches(entry.get("field"), field)]
            if len(naming) != 1:
                faults.append(f"{len(naming)} entries name '{field}' instead of one")
            elif code is not None and naming[0].get("code") != code:
                faults.append(f"the entry for '{field}' has code {naming[0].get('code')!r}, not {code!r}")
        if len(errors) != len(self.expected):
            faults.append(f"it reports {len(errors)} broken rules instead of {len(self.expected)}")
        return faults

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self._faults(item)

    def describe_to(self, description: Description) -> None:
        rules = ", ".join(f"{field} ({code or 'any code'})" for field, code in self.expected.items())
        description.append_text(f"a 'validation-failed' problem reporting exactly: {rules}")

    def mismatch_text(self, answer: httpx.Response) -> str:
        return "; ".join(self._faults(answer)) + f". The platform answered {describe(answer)}"


def reports_broken_rules(expected: dict[str, str | None]) -> ReportsBrokenRules:
    return ReportsBrokenRules(expected)


class ReportsSomeBrokenRule(ReportsBrokenRules):
    """A 422 `validation-failed` problem with at least one well-formed error entry."""

    def __init__(self) -> None:
        super().__init__({})

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = [fault for fault in super()._faults(response) if not fault.startswith("it reports")]
        body = _body(response)
        if isinstance(body, dict) and isinstance(body.get("errors"), list) and not body["errors"]:
            faults.append("its list of errors is empty")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text("a 'validation-failed' problem with at least one error entry")


def reports_some_broken_rule() -> ReportsSomeBrokenRule:
    return ReportsSomeBrokenRule()


def leaks(response: httpx.Response) -> list[str]:
    """The markers of the platform's insides that the answer shows (none is expected)."""
    text = response.text
    return [marker for marker in LEAK_MARKERS if marker in text]


def error_faults(label: str, response: httpx.Response) -> list[str]:
    """What is wrong with an error answer: not a problem document, or it shows the platform's insides."""
    if response.status_code < 400:
        return []
    faults = []
    body = _body(response)
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/problem+json" or not isinstance(body, dict):
        faults.append("it is not a problem document")
    elif body.get("status") != response.status_code or not str(body.get("type", "")).startswith(
            "https://problems.platform.example/"):
        faults.append("its type or status is not the contract's")
    shown = leaks(response)
    if shown:
        faults.append(f"it shows {', '.join(repr(marker) for marker in shown)}")
    return [f"{label}: {'; '.join(faults)} — {describe(response)}"] if faults else []


# -- headers ----------------------------------------------------------------------------------------
def header_faults(response: httpx.Response, *, business: bool) -> list[str]:
    faults = []
    if response.headers.get("x-content-type-options", "").strip().lower() != "nosniff":
        faults.append("X-Content-Type-Options is not nosniff")
    if business:
        directives = {part.strip().lower() for part in response.headers.get("cache-control", "").split(",")}
        if "no-store" not in directives:
            faults.append(f"Cache-Control is {response.headers.get('cache-control')!r}, without no-store")
    return [f"{'; '.join(faults)} — {describe(response)}"] if faults else []


# -- ids and timestamps -------------------------------------------------------------------------------
def looks_sequential(first: str, second: str) -> bool:
    """Two ids that differ only by a counter: decimal or hexadecimal numbers close together after a shared prefix."""
    prefix = 0
    while prefix < min(len(first), len(second)) and first[prefix] == second[prefix]:
        prefix += 1
    # back up to the start of the number the two ids share
    while prefix > 0 and first[prefix - 1].isalnum():
        prefix -= 1
    tails = (first[prefix:], second[prefix:])
    for base in (10, 16):
        try:
            a, b = (int(tail, base) for tail in tails)
        except ValueError:
            continue
        if abs(b - a) < SEQUENCE_GAP:
            return True
    return False


def timestamp_fault(name: str, value: Any, *, now: datetime | None = None) -> str | None:
    if not isinstance(value, str) or not RFC3339_UTC.match(value):
        return f"{name} is {value!r}, not an RFC 3339 UTC time ending in Z"
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    now = now or datetime.now(UTC)
    if abs(moment - now) > CLOCK_TOLERANCE:
        return f"{name} is {value}, which is not the present moment in UTC (now {now:%Y-%m-%dT%H:%M:%SZ})"
    return None


# -- Prometheus text ----------------------------------------------------------------------------------
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


def all_of_them(faults: Iterable[str]) -> str:
    return "\n  ".join(faults)
