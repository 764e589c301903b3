"""Unit tests of the sales service's pure rules: pricing, stage machine, commission tiers, periods."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from services.common.problems import ProblemError
from services.sales import validation
from services.sales.commission import commission_amount, commission_rate, parse_period, quarter_of
from services.sales.countries import COUNTRY_CODES, is_country_code
from services.sales.pricing import Approval, approval_after_edit, initial_approval, net_amount
from services.sales.stages import Stage, check_transition

D = Decimal


@pytest.mark.parametrize(
    ("amount", "discount", "currency", "expected"),
    [
        ("1000.00", "0", "EUR", "1000.00"),
        ("1000.00", "15", "EUR", "850.00"),
        ("0.05", "10", "EUR", "0.05"),  # 0.045 rounds half-up
        ("0.15", "10", "USD", "0.14"),  # 0.135 -> 0.14
        ("999", "12.5", "JPY", "874"),  # 874.125 -> 874
        ("1001", "50", "JPY", "501"),  # 500.5 -> 501 (half-up, not banker's)
        ("100.00", "100", "GBP", "0.00"),
    ],
)
def test_net_amount_is_rounded_half_up(amount: str, discount: str, currency: str, expected: str) -> None:
    assert str(net_amount(D(amount), D(discount), currency)) == expected


def test_initial_approval_pending_only_above_threshold() -> None:
    assert initial_approval(D("20"), D("20")) is Approval.NOT_REQUIRED
    assert initial_approval(D("20.01"), D("20")) is Approval.PENDING
    assert initial_approval(D("0"), D("0")) is Approval.NOT_REQUIRED


@pytest.mark.parametrize(
    ("current", "old", "new", "expected"),
    [
        (Approval.NOT_REQUIRED, "10", "30", Approval.PENDING),
        (Approval.APPROVED, "30", "35", Approval.PENDING),
        (Approval.APPROVED, "30", "30", Approval.APPROVED),
        (Approval.APPROVED, "30", "25", Approval.APPROVED),
        (Approval.PENDING, "30", "10", Approval.NOT_REQUIRED),
        (Approval.REJECTED, "30", "25", Approval.PENDING),
        (Approval.REJECTED, "30", "30", Approval.REJECTED),
        (Approval.REJECTED, "30", "5", Approval.NOT_REQUIRED),
    ],
)
def test_approval_after_edit(current: Approval, old: str, new: str, expected: Approval) -> None:
    assert approval_after_edit(current, D(old), D(new), D("20")) is expected


@pytest.mark.parametrize(
    ("current", "target"),
    [("lead", "qualified"), ("qualified", "proposal"), ("proposal", "won"),
     ("lead", "lost"), ("qualified", "lost"), ("proposal", "lost")],
)
def test_allowed_transitions(current: str, target: str) -> None:
    check_transition(current, target, Approval.NOT_REQUIRED)


@pytest.mark.parametrize(
    ("current", "target"),
    [("lead", "proposal"), ("lead", "won"), ("qualified", "won"), ("won", "lost"), ("lost", "lead"),
     ("won", "proposal"), ("proposal", "qualified"), ("lead", "lead"), ("lost", "won")],
)
def test_forbidden_transitions(current: str, target: str) -> None:
    with pytest.raises(ProblemError) as caught:
        check_transition(current, target, Approval.NOT_REQUIRED)
    assert (caught.value.status, caught.value.slug) == (409, "invalid-transition")


@pytest.mark.parametrize("approval", [Approval.PENDING, Approval.REJECTED])
def test_won_needs_approval(approval: Approval) -> None:
    with pytest.raises(ProblemError) as caught:
        check_transition(Stage.PROPOSAL, Stage.WON, approval)
    assert caught.value.slug == "approval-required"
    check_transition(Stage.PROPOSAL, Stage.LOST, approval)
    check_transition(Stage.PROPOSAL, Stage.WON, Approval.APPROVED)


@pytest.mark.parametrize(
    ("net", "currency", "rate"),
    [
        ("9999.99", "EUR", "0.05"), ("10000.00", "EUR", "0.07"), ("49999.99", "USD", "0.07"),
        ("50000.00", "GBP", "0.10"), ("999999", "JPY", "0.05"), ("1000000", "JPY", "0.07"),
        ("4999999", "JPY", "0.07"), ("5000000", "JPY", "0.10"),
    ],
)
def test_commission_tiers(net: str, currency: str, rate: str) -> None:
    assert commission_rate(D(net), currency) == D(rate)


def test_commission_amount_half_up() -> None:
    assert str(commission_amount(D("9999.99"), D("0.05"), "EUR")) == "500.00"  # 499.9995
    assert str(commission_amount(D("10.10"), D("0.05"), "EUR")) == "0.51"  # 0.505
    assert str(commission_amount(D("1010"), D("0.05"), "JPY")) == "51"  # 50.5


def test_periods() -> None:
    quarter = parse_period("2025-Q3")
    assert quarter.start == datetime(2025, 7, 1, tzinfo=UTC)
    assert quarter.end == datetime(2025, 10, 1, tzinfo=UTC)
    assert parse_period("2024-Q4").end == datetime(2025, 1, 1, tzinfo=UTC)
    assert quarter_of(datetime(2025, 3, 31, 23, 59, tzinfo=UTC)).label == "2025-Q1"
    assert quarter_of(datetime(2025, 4, 1, tzinfo=UTC)).label == "2025-Q2"


@pytest.mark.parametrize("bad", ["2025-Q5", "2025-Q0", "2025Q1", "25-Q1", "2025-q1", "", "2025-Q1x"])
def test_malformed_periods(bad: str) -> None:
    with pytest.raises(ProblemError) as caught:
        parse_period(bad)
    assert caught.value.status == 422
    assert caught.value.errors is not None and caught.value.errors[0].field == "period"


def test_country_codes() -> None:
    assert len(COUNTRY_CODES) == 249
    assert is_country_code("DE") and is_country_code("JP") and not is_country_code("XX")
    assert validation.country("de") == "DE"
    with pytest.raises(ProblemError):
        validation.country("UK")


@pytest.mark.parametrize("bad", ["plain", "a@b", "a b@example.com", "@example.com", "a@@example.com", "a@-x.com"])
def test_bad_emails(bad: str) -> None:
    with pytest.raises(ProblemError):
        validation.email(bad)


def test_good_email() -> None:
    assert validation.email("rita.sales+1@acme.example") == "rita.sales+1@acme.example"


@pytest.mark.parametrize(
    ("value", "code"),
    [("0", "out_of_range"), ("-1", "out_of_range"), ("1000000000.01", "out_of_range"),
     ("10.001", "too_many_decimals"), ("abc", "invalid_amount"), ("1e3", "invalid_amount")],
)
def test_amount_rules(value: str, code: str) -> None:
    with pytest.raises(ProblemError) as caught:
        validation.amount(value, "EUR")
    assert caught.value.errors is not None and caught.value.errors[0].code == code


def test_amount_bounds_and_jpy() -> None:
    assert validation.amount("1000000000", "EUR") == D("1000000000")
    assert validation.amount("0.01", "EUR") == D("0.01")
    with pytest.raises(ProblemError):
        validation.amount("1.5", "JPY")


@pytest.mark.parametrize("value", ["-0.01", "100.01", "x"])
def test_discount_rules(value: str) -> None:
    with pytest.raises(ProblemError):
        validation.discount(value)


def test_errors_collects_every_rule() -> None:
    errors = validation.Errors()
    errors.check(lambda: validation.email("nope"))
    errors.check(lambda: validation.country("ZZ"))
    with pytest.raises(ProblemError) as caught:
        errors.raise_if_any()
    assert [e.field for e in caught.value.errors or []] == ["email", "country"]
