"""Commission tiers and quarterly periods (contract §4)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from services.common.money import half_up
from services.common.problems import field_error

# (lower bound of the 7 % tier, lower bound of the 10 % tier), by currency.
_TIERS: dict[str, tuple[Decimal, Decimal]] = {
    "EUR": (Decimal(10_000), Decimal(50_000)),
    "USD": (Decimal(10_000), Decimal(50_000)),
    "GBP": (Decimal(10_000), Decimal(50_000)),
    "JPY": (Decimal(1_000_000), Decimal(5_000_000)),
}
RATE_LOW, RATE_MID, RATE_HIGH = Decimal("0.05"), Decimal("0.07"), Decimal("0.10")
_PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def commission_rate(net_amount: Decimal, currency: str) -> Decimal:
    mid, high = _TIERS[currency]
    if net_amount >= high:
        return RATE_HIGH
    if net_amount >= mid:
        return RATE_MID
    return RATE_LOW


def commission_amount(payment_amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    return half_up(payment_amount * rate, currency)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-Q{self.number}"

    @property
    def start(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """Exclusive end: the first instant of the next quarter."""
        if self.number == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, 3 * self.number + 1, 1, tzinfo=UTC)


def quarter_of(moment: datetime) -> Quarter:
    moment = moment.astimezone(UTC)
    return Quarter(moment.year, (moment.month - 1) // 3 + 1)


def parse_period(text: str) -> Quarter:
    match = _PERIOD.match(text)
    if match is None or int(match.group(1)) < 1:
        raise field_error("period", "invalid_period", "must be a quarter written YYYY-Qn, e.g. 2025-Q3")
    return Quarter(int(match.group(1)), int(match.group(2)))
