"""Money as the contract writes it: a decimal string with exactly the currency's minor units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.data.money import format_money


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


def is_money(amount: Decimal | str | int, currency: str) -> IsMoney:
    """The value is exactly the contract's string form of `amount` in `currency` ("840.00")."""
    return IsMoney(amount, currency)


class IsRate(BaseMatcher[Any]):
    """A rate written as a decimal string ("0.07", "0.070") of exactly this value; a JSON number never matches."""

    def __init__(self, rate: Decimal) -> None:
        self.rate = rate

    def _matches(self, item: Any) -> bool:
        try:
            return isinstance(item, str) and Decimal(item) == self.rate
        except ArithmeticError:
            return False

    def describe_to(self, description: Description) -> None:
        description.append_text(f"the rate {self.rate} as a decimal string")


def is_rate(rate: Decimal) -> IsRate:
    return IsRate(rate)
