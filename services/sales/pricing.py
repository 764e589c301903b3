"""Deal pricing rules: net amount and whether a discount needs a manager's approval (contract §4)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from services.common.money import MINOR_UNITS, half_up

MAX_AMOUNT = Decimal(1_000_000_000)
HUNDRED = Decimal(100)


class Approval(StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def net_amount(amount: Decimal, discount_percent: Decimal, currency: str) -> Decimal:
    """amount * (1 - discount/100), rounded half-up to the currency's minor unit."""
    return half_up(amount * (1 - discount_percent / HUNDRED), currency)


def initial_approval(discount_percent: Decimal, threshold: Decimal) -> Approval:
    return Approval.PENDING if discount_percent > threshold else Approval.NOT_REQUIRED


def approval_after_edit(
    current: Approval, old_discount: Decimal, new_discount: Decimal, threshold: Decimal
) -> Approval:
    """Approval after a PATCH.

    At or below the threshold no approval is needed. Above it, raising the discount (or crossing the
    threshold, or changing a rejected one) asks for a new decision; an unchanged or lowered discount
    keeps an earlier approval or pending request.
    """
    if new_discount <= threshold:
        return Approval.NOT_REQUIRED
    if new_discount > old_discount or current is Approval.NOT_REQUIRED:
        return Approval.PENDING
    if current is Approval.REJECTED and new_discount != old_discount:
        return Approval.PENDING
    return current


def to_minor(amount: Decimal, currency: str) -> int:
    """Whole minor units (cents, yen) of an amount already rounded to the currency."""
    return int(half_up(amount, currency).scaleb(MINOR_UNITS[currency]))


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-MINOR_UNITS[currency])
