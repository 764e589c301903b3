"""Business validation of request bodies: every broken rule becomes one entry of a single 422."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar, overload

from services.common.clock import parse_rfc3339
from services.common.money import parse_decimal, parse_money
from services.common.problems import FieldError, ProblemError, validation_failed
from services.sales.countries import is_country_code
from services.sales.pricing import HUNDRED, MAX_AMOUNT

T = TypeVar("T")
A, B, C, D = TypeVar("A"), TypeVar("B"), TypeVar("C"), TypeVar("D")

# Pragmatic address shape: one @, a non-empty local part, a dotted domain, no spaces.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[^@\s]+@{_LABEL}(?:\.{_LABEL})+$")
MAX_TEXT = 200
DISCOUNT_PLACES = 4


class Errors:
    """Collects field errors; `check` runs one parser and keeps going when it fails."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, field: str, code: str, message: str) -> None:
        self.items.append(FieldError(field, code, message))

    def check(self, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except ProblemError as problem:
            if problem.status != 422 or not problem.errors:
                raise
            self.items.extend(problem.errors)
            return None

    def raise_if_any(self) -> None:
        if self.items:
            raise validation_failed(self.items)

    @overload
    def valid(self, a: A | None, b: B | None, /) -> tuple[A, B]: ...
    @overload
    def valid(self, a: A | None, b: B | None, c: C | None, /) -> tuple[A, B, C]: ...
    @overload
    def valid(self, a: A | None, b: B | None, c: C | None, d: D | None, /) -> tuple[A, B, C, D]: ...

    def valid(self, *values: Any) -> tuple[Any, ...]:
        """The checked values once every rule held (else the 422 naming every broken rule).

        A check that fails records an error and gives None, so with no error recorded none is None.
        """
        self.raise_if_any()
        if any(value is None for value in values):
            raise RuntimeError("a checked value is missing although no rule was reported broken")
        return values


def _fail(field: str, code: str, message: str) -> ProblemError:
    return validation_failed([FieldError(field, code, message)])


def text(value: str | None, field: str) -> str:
    if value is None:
        raise _fail(field, "invalid_type", "must be a string, not null")
    cleaned = value.strip()
    if not cleaned:
        raise _fail(field, "blank", "must not be blank")
    if len(cleaned) > MAX_TEXT:
        raise _fail(field, "too_long", f"must be at most {MAX_TEXT} characters")
    return cleaned


def email(value: str | None, field: str = "email") -> str:
    if value is None:
        raise _fail(field, "invalid_type", "must be a string, not null")
    cleaned = value.strip()
    if len(cleaned) > 254 or not _EMAIL.fullmatch(cleaned):
        raise _fail(field, "invalid_email", "must be an e-mail address such as name@example.com")
    return cleaned


def country(value: str | None, field: str = "country") -> str:
    if value is None:
        raise _fail(field, "invalid_type", "must be a string, not null")
    code = value.strip().upper()
    if not is_country_code(code):
        raise _fail(field, "invalid_country", "must be an ISO 3166-1 alpha-2 country code such as DE")
    return code


def user_id(value: str | None, field: str = "owner_id") -> str:
    if value is None or not value.strip():
        raise _fail(field, "invalid_type", "must be a user id")
    return value.strip()


def amount(value: str | None, currency: str, field: str = "amount") -> Decimal:
    """A money string for the tenant's currency, > 0 and <= 1,000,000,000."""
    if value is None:
        raise _fail(field, "invalid_type", "must be a decimal string, not null")
    number = parse_money(value, currency, field)
    if number <= 0 or number > MAX_AMOUNT:
        raise _fail(field, "out_of_range", f"must be > 0 and <= {MAX_AMOUNT}")
    return number


def discount(value: str | None, field: str = "discount_percent") -> Decimal:
    if value is None:
        raise _fail(field, "invalid_type", "must be a decimal string, not null")
    number = parse_decimal(value, field, max_places=DISCOUNT_PLACES)
    if number < 0 or number > HUNDRED:
        raise _fail(field, "out_of_range", "must be between 0 and 100")
    return number


def timestamp(value: str, field: str = "received_at") -> datetime:
    try:
        return parse_rfc3339(value)
    except (ValueError, TypeError) as exc:
        raise _fail(field, "invalid_datetime", "must be an RFC 3339 timestamp such as 2025-01-31T12:00:00Z") from exc


def not_null(fields_set: set[str], values: dict[str, object], errors: Errors, *names: str) -> None:
    """In a PATCH, a field sent as JSON null is an error rather than 'leave unchanged'."""
    for name in names:
        if name in fields_set and values.get(name) is None:
            errors.add(name, "invalid_type", "must not be null")
