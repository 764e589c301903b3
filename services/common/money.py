"""Money as decimal strings with exactly the currency's minor units, rounded half-up (contract §1)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from services.common.problems import FieldError, field_error, validation_failed

MINOR_UNITS: dict[str, int] = {"EUR": 2, "USD": 2, "GBP": 2, "JPY": 0}
CURRENCIES = frozenset(MINOR_UNITS)


_EXPONENTS: dict[str, Decimal] = {currency: Decimal(1).scaleb(-units) for currency, units in MINOR_UNITS.items()}


def _exponent(currency: str) -> Decimal:
    return _EXPONENTS[currency]


def half_up(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(_exponent(currency), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal, currency: str) -> str:
    return str(half_up(amount, currency))


def format_minor(minor: int, currency: str) -> str:
    """Integer minor units as `format_money` shows them (1200000 EUR -> "12000.00"), without Decimal
    arithmetic: a page of deals shows three amounts each."""
    units = MINOR_UNITS[currency]
    if units == 0:
        return str(minor)
    whole, part = divmod(abs(minor), 10**units)
    return f"{'-' if minor < 0 else ''}{whole}.{part:0{units}d}"


def parse_decimal(value: object, field: str, *, max_places: int | None = None) -> Decimal:
    """A plain decimal string ("12000", "0.07"); JSON numbers, exponents, NaN and infinities are refused."""
    if not isinstance(value, str):
        raise field_error(field, "invalid_type", "must be a decimal string, not a JSON number")
    text = value.strip()
    if text != value or not text or any(ch not in "0123456789.-" for ch in text):
        raise field_error(field, "invalid_amount", "must be a decimal string such as \"12000.00\"")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise field_error(field, "invalid_amount", "must be a decimal string such as \"12000.00\"") from exc
    if not number.is_finite():
        raise field_error(field, "invalid_amount", "must be a finite number")
    if max_places is not None and -number.as_tuple().exponent > max_places:  # type: ignore[operator]
        raise field_error(field, "too_many_decimals", f"must have at most {max_places} decimal places")
    return number


def parse_money(value: object, currency: str, field: str) -> Decimal:
    """Parse a money string for `currency`; more decimals than the minor units is a 422."""
    return parse_decimal(value, field, max_places=MINOR_UNITS[currency])


def require_range(number: Decimal, field: str, *, low: Decimal, high: Decimal, low_inclusive: bool) -> Decimal:
    too_low = number < low if low_inclusive else number <= low
    if too_low or number > high:
        bound = ">=" if low_inclusive else ">"
        raise validation_failed([FieldError(field, "out_of_range", f"must be {bound} {low} and <= {high}")])
    return number
