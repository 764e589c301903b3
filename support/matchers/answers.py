"""Hamcrest matchers that state the contract's outcomes and fail with a readable sentence.

Every mismatch about an HTTP answer quotes `describe(response)`, which names the call, the status
and the request id, so the exchange can be found in the report.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.data.money import format_money
from support.http.client import describe

PROBLEM_TYPE_BASE = "https://problems.platform.example/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
# The status that goes with each slug of the contract.
PROBLEM_STATUS: dict[str, int] = {
    "validation-failed": 422,
    "payload-too-large": 413,
    "unsupported-media-type": 415,
    "not-found": 404,
    "method-not-allowed": 405,
    "unauthenticated": 401,
    "invalid-credentials": 401,
    "forbidden": 403,
    "quota-exceeded": 403,
    "conflict": 409,
    "invalid-transition": 409,
    "approval-required": 409,
    "invalid-state": 409,
    "idempotency-key-reused": 409,
    "detector-not-trained": 409,
    "precondition-failed": 412,
    "too-many-attempts": 429,
    "rate-limited": 429,
    "service-unavailable": 503,
}


def _problem(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def json_object(answer: httpx.Response) -> dict[str, Any]:
    """The answer's JSON body if it is an object, else an empty one (never raises)."""
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def validation_errors(answer: httpx.Response) -> list[dict[str, Any]]:
    """The `errors` entries of a problem document that are objects."""
    errors = json_object(answer).get("errors")
    return [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else []


class AnswerMatcher(BaseMatcher[httpx.Response]):
    """Base of the matchers of HTTP answers: a mismatch always shows the exchange and its request id."""

    def mismatch_text(self, answer: httpx.Response) -> str:
        return f"the platform answered {describe(answer)}"

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, httpx.Response):
            mismatch_description.append_text(f"got {item!r}, which is not an HTTP answer")
            return
        mismatch_description.append_text(self.mismatch_text(item))


class IsProblem(AnswerMatcher):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.status = PROBLEM_STATUS.get(slug)

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self._faults(item)

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = []
        if self.status is not None and response.status_code != self.status:
            faults.append(f"the status is {response.status_code}, not {self.status}")
        if _media_type(response) != PROBLEM_MEDIA_TYPE:
            faults.append(f"the content type is {_media_type(response) or 'missing'}, not {PROBLEM_MEDIA_TYPE}")
        body = _problem(response)
        if body is None:
            faults.append("the body is not a JSON object")
            return faults
        kind = str(body.get("type", ""))
        if not kind.endswith(f"/{self.slug}"):
            faults.append(f"the problem type is {kind or 'missing'}, not one ending in /{self.slug}")
        if body.get("status") != response.status_code:
            faults.append(f"the body's status {body.get('status')} differs from the answer's")
        return faults

    def describe_to(self, description: Description) -> None:
        status = f"{self.status} " if self.status else ""
        description.append_text(f"a {status}'{self.slug}' problem ({PROBLEM_MEDIA_TYPE})")

    def mismatch_text(self, answer: httpx.Response) -> str:
        return f"{'; '.join(self._faults(answer))}. The platform answered {describe(answer)}"


class IsUnauthenticated(IsProblem):
    """401 `unauthenticated` that tells a client its token is no good."""

    def __init__(self) -> None:
        super().__init__("unauthenticated")

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = super()._faults(response)
        challenge = response.headers.get("www-authenticate", "")
        if not challenge.lower().startswith("bearer") or "invalid_token" not in challenge:
            faults.append(f'the WWW-Authenticate header is "{challenge}", not Bearer error="invalid_token"')
        return faults


class IsMoney(BaseMatcher[Any]):
    def __init__(self, amount: Decimal | str | int, currency: str) -> None:
        self.expected = format_money(amount, currency)
        self.currency = currency

    def _matches(self, item: Any) -> bool:
        return isinstance(item, str) and item == self.expected

    def describe_to(self, description: Description) -> None:
        description.append_text(f'the amount "{self.expected}" ({self.currency}, as a decimal string)')

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        kind = "a decimal string" if isinstance(item, str) else f"a JSON {type(item).__name__}"
        mismatch_description.append_text(f"the platform gave {item!r} ({kind})")


class NeverExistedLike(AnswerMatcher):
    """Answers exactly like `reference` (the answer for an id that never existed), modulo the ids."""

    COMPARED = ("type", "title", "status", "detail")

    def __init__(self, reference: httpx.Response) -> None:
        self.reference = reference

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self._differences(item)

    def _differences(self, response: httpx.Response) -> list[str]:
        ids = _differing_segments(self.reference, response)
        differences = []
        if response.status_code != self.reference.status_code:
            differences.append(f"status {response.status_code} instead of {self.reference.status_code}")
        if _media_type(response) != _media_type(self.reference):
            differences.append(f"content type {_media_type(response)} instead of {_media_type(self.reference)}")
        mine, theirs = _problem(response) or {}, _problem(self.reference) or {}
        if set(mine) != set(theirs):
            differences.append(f"body fields {sorted(mine)} instead of {sorted(theirs)}")
        for key in self.COMPARED:
            if _mask(mine.get(key), ids) != _mask(theirs.get(key), ids):
                differences.append(f"{key} {mine.get(key)!r} instead of {theirs.get(key)!r}")
        return differences

    def describe_to(self, description: Description) -> None:
        description.append_text(
            f"the same answer as for an id that never existed: {describe(self.reference)}")

    def mismatch_text(self, answer: httpx.Response) -> str:
        return f"it differs ({'; '.join(self._differences(answer))}). The platform answered {describe(answer)}"


def _differing_segments(first: httpx.Response, second: httpx.Response) -> set[str]:
    """The path segments in which two calls differ: the ids the two answers may each mention."""
    left = first.request.url.path.split("/")
    right = second.request.url.path.split("/")
    differing = {a for a, b in zip(left, right, strict=False) if a != b}
    differing |= {b for a, b in zip(left, right, strict=False) if a != b}
    return {segment for segment in differing if segment}


def _mask(value: Any, ids: set[str]) -> Any:
    if not isinstance(value, str) or not ids:
        return value
    pattern = "|".join(re.escape(item) for item in sorted(ids, key=len, reverse=True))
    return re.sub(pattern, "<id>", value)


def is_problem(slug: str) -> IsProblem:
    """The answer is an RFC 9457 problem with the contract's slug and status."""
    return IsProblem(slug)


def is_unauthenticated() -> IsUnauthenticated:
    """The answer refuses the pass: 401 `unauthenticated` with a Bearer invalid_token challenge."""
    return IsUnauthenticated()


def is_money(amount: Decimal | str | int, currency: str) -> IsMoney:
    """The value is exactly the contract's string form of `amount` in `currency` ("840.00")."""
    return IsMoney(amount, currency)


def never_existed_like(reference: httpx.Response) -> NeverExistedLike:
    """The answer cannot be told apart from `reference`, the answer for an id that never existed."""
    return NeverExistedLike(reference)


class FlagsExactly(BaseMatcher[dict[str, Any]]):
    """A detection result whose anomalous rows are exactly `expected` (0-based row positions).

    Results are put in row order by their `index`, so the check holds whether an implementation
    numbers rows from 0 or from 1.
    """

    def __init__(self, expected: set[int], *, rows: int) -> None:
        self.expected = expected
        self.rows = rows

    def _flagged(self, result: Any) -> set[int] | None:
        items = result.get("results") if isinstance(result, dict) else None
        if not isinstance(items, list) or len(items) != self.rows:
            return None
        ordered = sorted(items, key=lambda item: item["index"])
        return {position for position, item in enumerate(ordered) if item.get("is_anomaly") is True}

    def _matches(self, item: Any) -> bool:
        return self._flagged(item) == self.expected

    def describe_to(self, description: Description) -> None:
        description.append_text(f"exactly rows {sorted(self.expected)} of {self.rows} flagged as anomalies")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        flagged = self._flagged(item)
        if flagged is None:
            count = len(item.get("results", [])) if isinstance(item, dict) else 0
            mismatch_description.append_text(f"the result holds {count} rows instead of {self.rows}")
            return
        missed, extra = sorted(self.expected - flagged), sorted(flagged - self.expected)
        mismatch_description.append_text(f"rows {missed} were not flagged and rows {extra} were")


class ReportsHealth(AnswerMatcher):
    """A 200 health answer whose JSON `status` is `word` ("ok" for live, "ready" for ready)."""

    def __init__(self, word: str) -> None:
        self.word = word

    def _matches(self, item: Any) -> bool:
        if not isinstance(item, httpx.Response) or item.status_code != 200:
            return False
        body = _problem(item)
        return body is not None and body.get("status") == self.word

    def describe_to(self, description: Description) -> None:
        description.append_text(f'a 200 answer saying status "{self.word}"')

    def mismatch_text(self, answer: httpx.Response) -> str:
        return f"the service answered {describe(answer)}"


def flags_exactly(expected: set[int], *, rows: int) -> FlagsExactly:
    """The detection result flags exactly the rows at `expected` positions, out of `rows` rows."""
    return FlagsExactly(expected, rows=rows)


def reports_health(word: str) -> ReportsHealth:
    """The health answer is 200 with `{"status": word}`."""
    return ReportsHealth(word)
