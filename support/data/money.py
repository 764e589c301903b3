"""Money as the business writes it: "12,000.00", "EUR 12,000.00" or "12,000.00 EUR".

`parse_money` turns that text into a `Money` (a `Decimal`, never a float), `format_money` gives the
contract's exact string form (the currency's minor units, half-up). The `{amount:Money}` step
parameter is registered in `support.phrases`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINOR_UNITS: dict[str, int] = {"EUR": 2, "USD": 2, "GBP": 2, "JPY": 0}
MONEY_PATTERN = (
    r"(?:[A-Z]{3}\s+)?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s+[A-Z]{3})?"
)
_MONEY = re.compile(
    r"^(?:(?P<before>[A-Z]{3})\s+)?(?P<number>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:\s+(?P<after>[A-Z]{3}))?$"
)


@dataclass(frozen=True)
class Money:
    """An amount with an optional currency (None when the text named none)."""

    amount: Decimal
    currency: str | None = None

    def as_api(self) -> str:
        """The amount as the decimal string the platform takes ("12000.00")."""
        return format(self.amount, "f")

    def __str__(self) -> str:
        text = f"{self.amount:,}"
        return f"{self.currency} {text}" if self.currency else text


def parse_money(text: str) -> Money:
    """Parse "12,000.00", "EUR 12,000.00" or "12,000.00 EUR"; a bad text raises ValueError."""
    match = _MONEY.match(text.strip())
    if match is None:
        raise ValueError(f'"{text}" is not an amount of money like "12,000.00" or "EUR 12,000.00"')
    before, after = match.group("before"), match.group("after")
    if before and after:
        raise ValueError(f'"{text}" names a currency twice')
    currency = before or after
    if currency is not None and currency not in MINOR_UNITS:
        raise ValueError(f'"{text}" names the currency {currency}, which the platform does not use')
    try:
        amount = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        raise ValueError(f'"{text}" is not a number') from None
    return Money(amount, currency)


def format_money(amount: Decimal | str | int, currency: str) -> str:
    """The contract's string form: exactly the currency's minor units, rounded half-up."""
    if currency not in MINOR_UNITS:
        raise ValueError(f"unknown currency {currency!r}")
    quantum = Decimal(1).scaleb(-MINOR_UNITS[currency])
    return format(Decimal(str(amount)).quantize(quantum, rounding=ROUND_HALF_UP), "f")
