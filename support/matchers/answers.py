"""The one family of matchers of HTTP answers: problems, refusals, "the same as never existed", broken rules.

Every matcher here derives from `AnswerMatcher`: it lists what is wrong with an answer in plain words
(`faults`), and a mismatch always ends with `describe(answer)` (call, status, request id), so the
exchange can be found in the report. Bodies are read with `json_body`/`json_object` and media types
with `media_type` (both from `support.http.bodies`), nowhere else.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription

from support.http.bodies import json_body, media_type
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
# The members of a problem document that "the same answer" compares (ids in them are masked).
COMPARED_MEMBERS = ("type", "title", "status", "detail")
_ELEMENT = re.compile(r"(?:\[\d+\]|[./]\d+)+$")
_NOT_JSON = object()


# -- reading answers: the one JSON reader and media-type parser live in support.http.bodies -------------
def json_object(answer: httpx.Response) -> dict[str, Any]:
    """The answer's JSON body if it is an object, else an empty one (never raises)."""
    body = json_body(answer)
    return body if isinstance(body, dict) else {}


def json_lines(answer: httpx.Response) -> list[Any]:
    """The answer's non-blank lines as JSON values (NDJSON); a line that is not JSON gives None."""
    values = []
    for line in answer.text.split("\n"):
        if line.strip():
            try:
                values.append(json.loads(line))
            except ValueError:
                values.append(None)
    return values


def validation_errors(answer: httpx.Response) -> list[dict[str, Any]]:
    """The `errors` entries of a problem document that are objects."""
    errors = json_object(answer).get("errors")
    return [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else []


def field_matches(reported: Any, field: str) -> bool:
    """An error names `field`: as is, or as the last step of a path ("body.id", "/id", "rows[3].x" for "x")."""
    if not isinstance(reported, str):
        return False
    reported = _ELEMENT.sub("", reported)  # an element of the field names the field: "roles[0]", "roles.0"
    return reported == field or re.fullmatch(rf".*[./\[]{re.escape(field)}\]?", reported) is not None


def retry_after_fault(answer: httpx.Response) -> str | None:
    """What is wrong with the answer's Retry-After (seconds >= 1, or an HTTP date in the future); None if sound."""
    value = answer.headers.get("retry-after", "").strip()
    if not value:
        return "there is no Retry-After header"
    if value.isdigit():
        return None if int(value) >= 1 else f"Retry-After is {value} seconds, which is no wait at all"
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return f"Retry-After {value!r} is neither seconds nor an HTTP date"
    if when.tzinfo is None or when <= datetime.now(UTC):
        return f"Retry-After {value!r} is not a time in the future"
    return None


def retry_after_seconds(answer: httpx.Response) -> float | None:
    """The wait Retry-After asks for, in seconds from now (None when it is missing or unreadable)."""
    value = answer.headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return None if when.tzinfo is None else (when - datetime.now(UTC)).total_seconds()


# -- the base --------------------------------------------------------------------------------------
class AnswerMatcher(BaseMatcher[httpx.Response]):
    """Base of the matchers of HTTP answers: subclasses list the faults; a mismatch shows the exchange."""

    def faults(self, answer: httpx.Response) -> list[str]:
        raise NotImplementedError

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self.faults(item)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, httpx.Response):
            mismatch_description.append_text(f"got {item!r}, which is not an HTTP answer")
            return
        faults = self.faults(item)
        lead = "; ".join(faults) + ". " if faults else ""
        mismatch_description.append_text(f"{lead}The platform answered {describe(item)}")


# -- problems --------------------------------------------------------------------------------------
class IsProblem(AnswerMatcher):
    """An RFC 9457 problem of the contract's form: its slug's status and type, a title and a detail.

    `slug=None` accepts any slug of the contract's form (for refusals whose slug the contract leaves open).
    """

    def __init__(self, slug: str | None, *, status: int | None = None) -> None:
        self.slug = slug
        self.status = status if status is not None else PROBLEM_STATUS.get(slug or "")

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = []
        if self.status is not None and answer.status_code != self.status:
            faults.append(f"the status is {answer.status_code}, not {self.status}")
        if media_type(answer) != PROBLEM_MEDIA_TYPE:
            faults.append(f"the content type is {media_type(answer) or 'missing'}, not {PROBLEM_MEDIA_TYPE}")
        body = json_body(answer)
        if not isinstance(body, dict):
            return [*faults, "the body is not a JSON object"]
        kind = body.get("type")
        if self.slug is not None and kind != PROBLEM_TYPE_BASE + self.slug:
            faults.append(f"the problem type is {kind!r}, not {PROBLEM_TYPE_BASE + self.slug!r}")
        elif self.slug is None and not (isinstance(kind, str) and kind.startswith(PROBLEM_TYPE_BASE)):
            faults.append(f"the problem type {kind!r} is not one of the contract's")
        if body.get("status") != answer.status_code:
            faults.append(f"the body's status {body.get('status')!r} differs from the answer's")
        for member in ("title", "detail"):
            if not isinstance(body.get(member), str) or not body.get(member):
                faults.append(f"the problem has no '{member}' text")
        return faults

    def describe_to(self, description: Description) -> None:
        status = f"{self.status} " if self.status else ""
        what = f"'{self.slug}' problem" if self.slug else "problem"
        description.append_text(f"a {status}{what} ({PROBLEM_MEDIA_TYPE}) with a title and a detail")


class IsUnauthenticated(IsProblem):
    """401 `unauthenticated` that tells a client its token is no good (or, with no token sent, to bring one)."""

    def __init__(self, *, token_sent: bool = True) -> None:
        super().__init__("unauthenticated")
        self.token_sent = token_sent

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = super().faults(answer)
        challenge = answer.headers.get("www-authenticate", "").strip()
        if self.token_sent:
            if not challenge.lower().startswith("bearer") or 'error="invalid_token"' not in challenge:
                faults.append(f'the WWW-Authenticate header is "{challenge}", not Bearer error="invalid_token"')
        elif challenge.lower() != "bearer" and not challenge.lower().startswith("bearer realm="):
            faults.append(f'the WWW-Authenticate header is "{challenge}", not the plain Bearer challenge')
        return faults

    def describe_to(self, description: Description) -> None:
        super().describe_to(description)
        challenge = 'Bearer error="invalid_token"' if self.token_sent else "a plain Bearer"
        description.append_text(f" and a {challenge} challenge")


class ToldToWait(IsProblem):
    """A 429 problem (`too-many-attempts`, `rate-limited`) whose Retry-After lies in the future (and, with
    `at_most`, no more than that many seconds ahead)."""

    def __init__(self, slug: str, *, at_most: float | None = None) -> None:
        super().__init__(slug)
        self.at_most = at_most

    def faults(self, answer: httpx.Response) -> list[str]:
        fault = retry_after_fault(answer)
        if fault is None and self.at_most is not None:
            wait = retry_after_seconds(answer)
            if wait is not None and wait > self.at_most:
                fault = f"Retry-After asks for {wait:.0f} s, more than the {self.at_most:.0f} s it may at most"
        return [*super().faults(answer), *([fault] if fault else [])]

    def describe_to(self, description: Description) -> None:
        super().describe_to(description)
        limit = f", at most {self.at_most:.0f} s ahead" if self.at_most is not None else ""
        description.append_text(f" and a Retry-After in the future{limit}")


class RefusedRenewal(IsProblem):
    """A 401 problem that hands out no tokens: a refresh token that is dead, unknown or revoked."""

    def __init__(self) -> None:
        super().__init__(None, status=401)

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = super().faults(answer)
        if {"refresh_token", "access_token"} & set(json_object(answer)):
            faults.append("the answer hands out tokens")
        return faults


# -- the same answer as another one ------------------------------------------------------------------
class AnswersLike(AnswerMatcher):
    """The same status, media type, body members and type/title/status/detail as `reference`.

    Ids in which the two requests' paths differ are masked, so "another tenant's deal" and "a deal that
    never existed" may each name their own id in the detail and still answer alike.
    """

    def __init__(self, reference: httpx.Response, what: str) -> None:
        self.reference = reference
        self.what = what

    def faults(self, answer: httpx.Response) -> list[str]:
        ids = _differing_segments(self.reference, answer) | _differing_values(self.reference, answer)
        faults = []
        if answer.status_code != self.reference.status_code:
            faults.append(f"status {answer.status_code} instead of {self.reference.status_code}")
        if media_type(answer) != media_type(self.reference):
            faults.append(f"content type {media_type(answer)} instead of {media_type(self.reference)}")
        mine, theirs = json_object(answer), json_object(self.reference)
        if set(mine) != set(theirs):
            faults.append(f"body members {sorted(mine)} instead of {sorted(theirs)}")
        faults += [f"{key} {mine.get(key)!r} instead of {theirs.get(key)!r}" for key in COMPARED_MEMBERS
                   if _mask(mine.get(key), ids) != _mask(theirs.get(key), ids)]
        if _rules(answer) != _rules(self.reference):
            faults.append(f"broken rules {_rules(answer)} instead of {_rules(self.reference)}")
        both_succeeded = answer.is_success and self.reference.is_success
        if both_succeeded and _mask_all(json_body(answer), ids) != _mask_all(json_body(self.reference), ids):
            faults.append(f"the body {answer.text[:300]!r} instead of {self.reference.text[:300]!r}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"the same answer as for {self.what}: {describe(self.reference)}")


def _differing_segments(first: httpx.Response, second: httpx.Response) -> set[str]:
    """The path segments in which two calls differ: the ids the two answers may each mention."""
    left = first.request.url.path.split("/")
    right = second.request.url.path.split("/")
    differing = {a for a, b in zip(left, right, strict=False) if a != b}
    differing |= {b for a, b in zip(left, right, strict=False) if a != b}
    return {segment for segment in differing if segment}


def _differing_values(first: httpx.Response, second: httpx.Response) -> set[str]:
    """The query and JSON body values in which two calls differ (ids named in a filter or a body)."""
    differing: set[str] = set()
    for left, right in ((_query(first), _query(second)), (_body_strings(first), _body_strings(second))):
        for key in set(left) & set(right):
            if left[key] != right[key]:
                differing |= {left[key], right[key]}
    return {value for value in differing if value}


def _query(answer: httpx.Response) -> dict[str, str]:
    return dict(answer.request.url.params)


def _body_strings(answer: httpx.Response) -> dict[str, str]:
    try:
        sent = json.loads(answer.request.content or b"null")
    except (ValueError, UnicodeDecodeError, httpx.RequestNotRead):
        return {}
    return {key: value for key, value in sent.items() if isinstance(value, str)} if isinstance(sent, dict) else {}


def _rules(answer: httpx.Response) -> list[tuple[str, str]]:
    """The (field, code) pairs of a 422's errors, in order (ids in them are never compared)."""
    return sorted((str(entry.get("field")), str(entry.get("code"))) for entry in validation_errors(answer))


def _mask_all(value: Any, ids: set[str]) -> Any:
    """A JSON value with every mention of `ids` masked, all the way down."""
    if isinstance(value, dict):
        return {key: _mask_all(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_all(item, ids) for item in value]
    return _mask(value, ids)


def _mask(value: Any, ids: set[str]) -> Any:
    if not isinstance(value, str) or not ids:
        return value
    pattern = "|".join(re.escape(item) for item in sorted(ids, key=len, reverse=True))
    return re.sub(pattern, "<id>", value)


# -- broken rules (422) ------------------------------------------------------------------------------
Rule = tuple[str | None, str | None]  # (field, code); None: any


class ReportsBrokenRules(IsProblem):
    """A 422 `validation-failed` problem with exactly one well-formed error entry per expected rule."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        super().__init__("validation-failed")
        self.rules = list(rules)

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = super().faults(answer)
        errors = json_object(answer).get("errors")
        if not isinstance(errors, list) or not all(isinstance(entry, dict) for entry in errors):
            return [*faults, "it has no list of errors"]
        for entry in errors:
            missing = [key for key in ("field", "code", "message") if not isinstance(entry.get(key), str)]
            if missing:
                faults.append(f"the entry {entry} lacks {', '.join(missing)}")
        unmatched = list(errors)
        for field, code in self.rules:
            found = next((entry for entry in unmatched if _names(entry, field, code)), None)
            if found is None:
                faults.append(f"no entry reports {_rule_text(field, code)}")
            else:
                unmatched.remove(found)
        if unmatched:
            faults.append(f"it reports {len(errors)} broken rules instead of {len(self.rules)}")
        return faults

    def describe_to(self, description: Description) -> None:
        rules = ", ".join(_rule_text(field, code) for field, code in self.rules)
        description.append_text(f"a 'validation-failed' problem reporting exactly: {rules}")


class ReportsSomeBrokenRule(ReportsBrokenRules):
    """A 422 `validation-failed` problem with at least one well-formed error entry."""

    def __init__(self) -> None:
        super().__init__([])

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [fault for fault in super().faults(answer) if not fault.startswith("it reports")]
        if not validation_errors(answer) and "it has no list of errors" not in faults:
            faults.append("its list of errors is empty")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text("a 'validation-failed' problem with at least one error entry")


class NamesField(IsProblem):
    """A 422 `validation-failed` problem one of whose errors names `field` (with `code`, when given)."""

    def __init__(self, field: str | None, code: str | None = None) -> None:
        super().__init__("validation-failed")
        self.field, self.code = field, code

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = super().faults(answer)
        if not any(_names(entry, self.field, self.code) for entry in validation_errors(answer)):
            faults.append(f"no error reports {_rule_text(self.field, self.code)}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a 'validation-failed' problem reporting {_rule_text(self.field, self.code)}")


def _names(entry: Mapping[str, Any], field: str | None, code: str | None) -> bool:
    return (field is None or field_matches(entry.get("field"), field)) and (code is None or entry.get("code") == code)


def _rule_text(field: str | None, code: str | None) -> str:
    return f"{field or 'any field'} ({code or 'any code'})"


# -- health ------------------------------------------------------------------------------------------
class ReportsHealth(AnswerMatcher):
    """A 200 health answer whose JSON `status` is `word` ("ok" for live, "ready" for ready)."""

    def __init__(self, word: str) -> None:
        self.word = word

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == 200 else [f"the status is {answer.status_code}, not 200"]
        status = json_object(answer).get("status", _NOT_JSON)
        if status != self.word:
            faults.append(f'the body does not say status "{self.word}"')
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f'a 200 answer saying status "{self.word}"')


class Answered2xx(AnswerMatcher):
    """The call went through: a 2xx answer (whatever the body)."""

    def faults(self, answer: httpx.Response) -> list[str]:
        return [] if answer.is_success else [f"the status is {answer.status_code}, not a success"]

    def describe_to(self, description: Description) -> None:
        description.append_text("a successful (2xx) answer")


class IsSuccess(AnswerMatcher):
    """The call went through with `status`; when a `body` matcher is given, its JSON body matches it too."""

    def __init__(self, status: int, body: Any = None) -> None:
        self.status, self.body = status, body

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == self.status else [f"the status is {answer.status_code}, not {self.status}"]
        body = json_body(answer)
        if self.body is not None and not self.body.matches(body):
            wanted, mismatch = StringDescription(), StringDescription()
            wanted.append_description_of(self.body)
            self.body.describe_mismatch(body, mismatch)
            faults.append(f"the body should be {wanted}, but {mismatch}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a {self.status} answer")
        if self.body is not None:
            description.append_text(" whose body is ").append_description_of(self.body)


class EveryAnswer(BaseMatcher[list[httpx.Response]]):
    """Each of several answers (e.g. one per service) matches `matcher`; a mismatch names every answer that does not."""

    def __init__(self, matcher: AnswerMatcher) -> None:
        self.matcher = matcher

    def _matches(self, item: Any) -> bool:
        return isinstance(item, list) and bool(item) and all(self.matcher.matches(answer) for answer in item)

    def describe_to(self, description: Description) -> None:
        description.append_text("every answer being ").append_description_of(self.matcher)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, list) or not item:
            mismatch_description.append_text(f"got {item!r}, not a list of answers")
            return
        for answer in item:
            if not self.matcher.matches(answer):
                mismatch_description.append_text("\n  - ")
                self.matcher.describe_mismatch(answer, mismatch_description)


# -- factories ---------------------------------------------------------------------------------------
def is_problem(slug: str) -> IsProblem:
    """The answer is an RFC 9457 problem with the contract's slug, status, title and detail."""
    return IsProblem(slug)


def is_problem_with_status(status: int) -> IsProblem:
    """A problem document with `status` whatever its slug (where the contract names no slug)."""
    return IsProblem(None, status=status)


def is_unauthenticated(*, token_sent: bool = True) -> IsUnauthenticated:
    """401 `unauthenticated` with the Bearer challenge the contract names."""
    return IsUnauthenticated(token_sent=token_sent)


def told_to_wait(slug: str = "too-many-attempts", *, at_most: float | None = None) -> ToldToWait:
    """A 429 problem of `slug` with a Retry-After in the future (no more than `at_most` seconds ahead, if given)."""
    return ToldToWait(slug, at_most=at_most)


def refused_renewal() -> RefusedRenewal:
    return RefusedRenewal()


def answers_like(reference: httpx.Response, what: str) -> AnswersLike:
    return AnswersLike(reference, what)


def never_existed_like(reference: httpx.Response) -> AnswersLike:
    """The answer cannot be told apart from `reference`, the answer for an id that never existed."""
    return AnswersLike(reference, "an id that never existed")


def reports_broken_rules(rules: Mapping[str, str | None] | Iterable[Rule]) -> ReportsBrokenRules:
    """Exactly these broken rules: `{field: code}` or `[(field, code), ...]` (None: any)."""
    return ReportsBrokenRules(rules.items() if isinstance(rules, Mapping) else rules)


def breaks_rules(codes: Iterable[str], *, field: str | None = None) -> ReportsBrokenRules:
    """Exactly the rules `codes` broken (on `field`, when given), one entry each."""
    return ReportsBrokenRules((field, code) for code in sorted(codes))


def reports_some_broken_rule() -> ReportsSomeBrokenRule:
    return ReportsSomeBrokenRule()


def names_field(field: str | None, code: str | None = None) -> NamesField:
    return NamesField(field, code)


def refused_for(code: str) -> NamesField:
    """A 422 `validation-failed` problem with an error entry of code `code` (any field)."""
    return NamesField(None, code)


def reports_health(word: str) -> ReportsHealth:
    """The health answer is 200 with `{"status": word}`."""
    return ReportsHealth(word)


def is_success(status: int = 200, *, body: Any = None) -> IsSuccess:
    """The call went through with `status` (and, given a matcher, its JSON body matches `body`)."""
    return IsSuccess(status, body)


def is_created(body: Any = None) -> IsSuccess:
    """A 201 answer: something was created (its JSON body matching `body`, when given)."""
    return IsSuccess(201, body)


def every_answer(matcher: AnswerMatcher) -> EveryAnswer:
    """Each answer of a list matches `matcher` (e.g. identity's, sales' and anomaly's)."""
    return EveryAnswer(matcher)


def succeeded(answer: httpx.Response, status: int = 200) -> None:
    """Assert a call went through, with the exchange in the message."""
    assert answer.status_code == status, f"expected {status}, the platform answered {describe(answer)}"


def answered_2xx() -> Answered2xx:
    """The call went through (any 2xx)."""
    return Answered2xx()


def mismatch(matcher: Matcher[Any], item: Any) -> str | None:
    """Why `item` does not match, as one sentence ("expected ..., but ..."); None when it matches."""
    why = StringDescription()
    if matcher.matches(item, why):
        return None
    expected = StringDescription()
    matcher.describe_to(expected)
    return f"expected {expected}, but {why}"
