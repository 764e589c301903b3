"""Matchers for authentication and identity outcomes (contract §2, §3), with readable failures.

Only what the contract promises is compared: statuses, slugs, the `errors[].code` values it names,
and, where it promises "the same answer", the whole problem document apart from request ids.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from typing import Any

import httpx
from hamcrest.core.description import Description

from support.http.client import describe
from support.matchers.answers import PROBLEM_MEDIA_TYPE, AnswerMatcher, IsProblem, json_object

# The password rules of contract §3 by the words a product owner uses for them.
RULE_CODES: dict[str, str] = {
    "too short": "too_short",
    "too long": "too_long",
    "common": "common_password",
    "too common": "common_password",
    "containing his email's name": "contains_email",
    "containing her email's name": "contains_email",
}
COMPARED_FIELDS = ("type", "title", "status", "detail")


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def rule_codes(words: str) -> set[str]:
    """ "too short and common" -> {"too_short", "common_password"} """
    parts = [part.strip() for part in words.replace(" and ", ",").split(",") if part.strip()]
    unknown = [part for part in parts if part not in RULE_CODES]
    if unknown:
        raise AssertionError(f"unknown password rule(s) {unknown}; known: {', '.join(RULE_CODES)}")
    return {RULE_CODES[part] for part in parts}


class _ResponseMatcher(AnswerMatcher):
    """A matcher over an HTTP answer whose faults are listed in plain words."""

    def _faults(self, response: httpx.Response) -> list[str]:
        raise NotImplementedError

    def _matches(self, item: Any) -> bool:
        return isinstance(item, httpx.Response) and not self._faults(item)

    def mismatch_text(self, answer: httpx.Response) -> str:
        return f"{'; '.join(self._faults(answer))}. The platform answered {describe(answer)}"


class AnswersLike(_ResponseMatcher):
    """The same status, media type, body fields and type/title/status/detail as `reference`."""

    def __init__(self, reference: httpx.Response, what: str) -> None:
        self.reference = reference
        self.what = what

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = []
        if response.status_code != self.reference.status_code:
            faults.append(f"status {response.status_code} instead of {self.reference.status_code}")
        if _media_type(response) != _media_type(self.reference):
            faults.append(f"content type {_media_type(response)} instead of {_media_type(self.reference)}")
        mine, theirs = json_object(response), json_object(self.reference)
        if set(mine) != set(theirs):
            faults.append(f"body fields {sorted(mine)} instead of {sorted(theirs)}")
        faults += [f"{key} {mine.get(key)!r} instead of {theirs.get(key)!r}"
                   for key in COMPARED_FIELDS if mine.get(key) != theirs.get(key)]
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"the same answer as {self.what}: {describe(self.reference)}")


class RefusedRenewal(_ResponseMatcher):
    """401 problem document: a refresh token that is dead, unknown or revoked (contract §3)."""

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = []
        if response.status_code != 401:
            faults.append(f"the status is {response.status_code}, not 401")
        if _media_type(response) != PROBLEM_MEDIA_TYPE:
            faults.append(f"the content type is {_media_type(response) or 'missing'}, not {PROBLEM_MEDIA_TYPE}")
        if "refresh_token" in json_object(response) or "access_token" in json_object(response):
            faults.append("the answer hands out tokens")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a 401 refusal ({PROBLEM_MEDIA_TYPE}) without new tokens")


class ToldToWait(IsProblem):
    """429 `too-many-attempts` with a Retry-After that lies in the future."""

    def __init__(self) -> None:
        super().__init__("too-many-attempts")

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = super()._faults(response)
        value = response.headers.get("retry-after", "").strip()
        if not value:
            faults.append("there is no Retry-After header")
        elif value.isdigit():
            if int(value) < 1:
                faults.append(f"Retry-After is {value} seconds, which is no wait at all")
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                faults.append(f"Retry-After {value!r} is neither seconds nor an HTTP date")
            else:
                if when.tzinfo is None or when <= datetime.now(UTC):
                    faults.append(f"Retry-After {value!r} is not a time in the future")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text("a 429 'too-many-attempts' problem with a Retry-After in the future")


class BreaksRules(IsProblem):
    """422 `validation-failed` whose `errors` carry exactly the rule codes `codes` (and no other)."""

    def __init__(self, codes: set[str], *, field: str | None = None) -> None:
        super().__init__("validation-failed")
        self.codes = codes
        self.field = field

    def _reported(self, response: httpx.Response) -> list[dict[str, Any]]:
        errors = json_object(response).get("errors")
        return [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else []

    def _faults(self, response: httpx.Response) -> list[str]:
        faults = super()._faults(response)
        errors = self._reported(response)
        codes = {str(error.get("code")) for error in errors}
        if codes != self.codes:
            faults.append(f"the rules reported are {sorted(codes)}, not {sorted(self.codes)}")
        if self.field is not None:
            fields = {str(error.get("field", "")) for error in errors if error.get("code") in self.codes}
            if not fields or not all(name.split(".")[-1] == self.field for name in fields):
                faults.append(f"the errors name the fields {sorted(fields)}, not {self.field}")
        return faults

    def describe_to(self, description: Description) -> None:
        field = f" on {self.field}" if self.field else ""
        description.append_text(f"a 422 'validation-failed' problem reporting exactly {sorted(self.codes)}{field}")


def answers_like(reference: httpx.Response, what: str) -> AnswersLike:
    return AnswersLike(reference, what)


def refused_renewal() -> RefusedRenewal:
    return RefusedRenewal()


def told_to_wait() -> ToldToWait:
    return ToldToWait()


def breaks_rules(codes: set[str], *, field: str | None = None) -> BreaksRules:
    return BreaksRules(codes, field=field)


def succeeded(response: httpx.Response, status: int = 200) -> None:
    """Assert a call went through, with the exchange in the message."""
    assert response.status_code == status, f"expected {status}, the platform answered {describe(response)}"
