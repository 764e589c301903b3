"""The conventions every answer keeps (contract §1): headers, no leaks of the platform's insides, ids, timestamps.

These return lists of faults (plain sentences that quote the exchange) so that a step can check many
answers and report every broken one at once.
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
from support.matchers.answers import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE, json_body, media_type

# Signs of the platform's insides that no answer may show (the suite never sends any of them).
LEAK_MARKERS = (
    "Traceback", 'File "/', "site-packages", "dist-packages", ".py\", line", "SELECT ", "INSERT INTO",
    "UPDATE \"", "sqlalchemy", "sqlite3", "psycopg", "ORA-", "$argon2", "$2b$", "$2a$", "pbkdf2_", "/usr/lib/",
    "/home/", "node_modules", "Exception:", "java.lang.",
)
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
CLOCK_TOLERANCE = timedelta(minutes=20)
SEQUENCE_GAP = 1000  # ids closer than this, as numbers, are a counter (other runs may interleave)


def leaks(response: httpx.Response) -> list[str]:
    """The markers of the platform's insides that the answer shows (none is expected)."""
    text = response.text
    return [marker for marker in LEAK_MARKERS if marker in text]


def error_faults(label: str, response: httpx.Response) -> list[str]:
    """What is wrong with an error answer: not a problem document, or it shows the platform's insides."""
    if response.status_code < 400:
        return []
    faults = []
    body = json_body(response)
    if media_type(response) != PROBLEM_MEDIA_TYPE or not isinstance(body, dict):
        faults.append("it is not a problem document")
    elif body.get("status") != response.status_code or not str(body.get("type", "")).startswith(
            PROBLEM_TYPE_BASE):
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


# -- versions ---------------------------------------------------------------------------------------------
class TellsItsVersion(BaseMatcher[httpx.Response]):
    """The answer's ETag is its body's `version`, quoted as the contract writes it: `ETag: "<version>"`."""

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and self._fault(item) is None

    @staticmethod
    def _fault(answer: httpx.Response) -> str | None:
        body = json_body(answer)
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int):
            return f"its body tells no version ({version!r})"
        tag = answer.headers.get("etag")
        return None if tag == f'"{version}"' else f'its ETag is {tag!r}, not "{version}"'

    def describe_to(self, description: Description) -> None:
        description.append_text('an answer whose ETag is its version, quoted ("<version>")')

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, httpx.Response):
            mismatch_description.append_text(f"got {item!r}, which is not an HTTP answer")
            return
        mismatch_description.append_text(f"{self._fault(item)}: {describe(item)}")


def tells_its_version() -> TellsItsVersion:
    return TellsItsVersion()


# -- moments ------------------------------------------------------------------------------------------------
class IsMoment(BaseMatcher[Any]):
    """An RFC 3339 UTC time (`...Z`) naming the instant `expected`, or (None) a moment near the suite's clock."""

    def __init__(self, expected: str | None) -> None:
        self.expected = expected

    def _matches(self, item: Any) -> bool:
        if timestamp_fault("the time", item, now=_instant(self.expected) if self.expected else None) is not None:
            return False
        return self.expected is None or _instant(item) == _instant(self.expected)

    def describe_to(self, description: Description) -> None:
        what = f"the instant {self.expected}" if self.expected else "the present moment"
        description.append_text(f"an RFC 3339 UTC time (ending in Z) naming {what}")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def is_moment(expected: str) -> IsMoment:
    """The value names the same instant as `expected` ("2024-05-02T09:30:00Z"), in RFC 3339 UTC form."""
    return IsMoment(expected)


def is_recent_moment() -> IsMoment:
    """The value is an RFC 3339 UTC time within the clock tolerance of now."""
    return IsMoment(None)


def all_of_them(faults: Iterable[str]) -> str:
    return "\n  ".join(faults)
