"""Matchers and money: what they accept, what they refuse and how the refusal reads."""

from __future__ import annotations

from decimal import Decimal

import httpx
import parse
import pytest
from hamcrest import assert_that

from support.data.money import MONEY_PATTERN, Money, format_money, parse_money
from support.matchers.answers import (
    breaks_rules,
    is_problem,
    is_problem_with_status,
    is_unauthenticated,
    names_field,
    never_existed_like,
    refused_for,
    reports_broken_rules,
    reports_health,
    told_to_wait,
)
from support.matchers.detection import flags_exactly
from support.matchers.money import is_money
from support.phrases import all_types

PROBLEM = "application/problem+json"


def answer(status: int, body: object, *, path: str = "/api/v1/deals/abc", method: str = "GET",
           headers: dict[str, str] | None = None, content_type: str = PROBLEM) -> httpx.Response:
    request = httpx.Request(method, f"http://platform.test{path}", headers={"X-Request-ID": "req-42"})
    return httpx.Response(status, json=body, request=request,
                          headers={"Content-Type": content_type, **(headers or {})})


def not_found(deal_id: str) -> httpx.Response:
    return answer(404, {"type": "https://problems.platform.example/not-found", "title": "Not found",
                        "status": 404, "detail": f"No deal {deal_id}."}, path=f"/api/v1/deals/{deal_id}")


def failure_of(item: object, matcher: object) -> str:
    with pytest.raises(AssertionError) as caught:
        assert_that(item, matcher)
    return str(caught.value)


# -- is_problem --------------------------------------------------------------------------------
def test_is_problem_accepts_the_slug_status_and_media_type() -> None:
    assert_that(not_found("abc"), is_problem("not-found"))


def test_is_problem_explains_every_fault_and_names_the_request_id() -> None:
    wrong = answer(403, {"type": "https://problems.platform.example/forbidden", "status": 403},
                   content_type="application/json")
    message = failure_of(wrong, is_problem("not-found"))
    assert "a 404 'not-found' problem" in message
    assert "the status is 403, not 404" in message
    assert "the content type is application/json" in message
    assert "request id req-42" in message


def problem_body(slug: str, status: int, **extra: object) -> dict[str, object]:
    return {"type": f"https://problems.platform.example/{slug}", "title": slug.replace("-", " ").capitalize(),
            "status": status, "detail": f"A {slug} problem.", **extra}


def test_is_unauthenticated_needs_the_bearer_challenge() -> None:
    body = problem_body("unauthenticated", 401)
    assert_that(answer(401, body, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}),
                is_unauthenticated())
    assert "WWW-Authenticate" in failure_of(answer(401, body), is_unauthenticated())


def test_without_a_token_the_challenge_is_the_plain_bearer_one() -> None:
    body = problem_body("unauthenticated", 401)
    assert_that(answer(401, body, headers={"WWW-Authenticate": "Bearer"}), is_unauthenticated(token_sent=False))
    invalid = answer(401, body, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    assert "plain Bearer" in failure_of(invalid, is_unauthenticated(token_sent=False))


def test_a_problem_needs_the_full_type_a_title_and_a_detail() -> None:
    lazy = answer(404, {"type": "about:blank/not-found", "status": 404})
    message = failure_of(lazy, is_problem("not-found"))
    assert "not 'https://problems.platform.example/not-found'" in message
    assert "no 'title' text" in message and "no 'detail' text" in message


def test_a_problem_of_any_slug_still_needs_the_contracts_form() -> None:
    assert_that(answer(409, problem_body("conflict", 409)), is_problem_with_status(409))
    assert "not one of the contract's" in failure_of(answer(409, {**problem_body("conflict", 409), "type": "x"}),
                                                       is_problem_with_status(409))


@pytest.mark.parametrize(("value", "fault"), [
    ("30", None), ("0", "no wait at all"), ("", "no Retry-After"), ("soon", "neither seconds nor an HTTP date"),
    ("Wed, 21 Oct 2015 07:28:00 GMT", "not a time in the future")])
def test_told_to_wait_needs_a_retry_after_in_the_future(value: str, fault: str | None) -> None:
    refused = answer(429, problem_body("too-many-attempts", 429), headers={"Retry-After": value} if value else {})
    if fault is None:
        assert_that(refused, told_to_wait())
    else:
        assert fault in failure_of(refused, told_to_wait())


def test_broken_rules_are_matched_one_entry_each() -> None:
    errors = [{"field": "body.password", "code": "too_short", "message": "short"},
              {"field": "password", "code": "common_password", "message": "common"}]
    refused = answer(422, problem_body("validation-failed", 422, errors=errors))
    assert_that(refused, breaks_rules({"too_short", "common_password"}, field="password"))
    assert "no entry reports password (contains_email)" in failure_of(
        refused, breaks_rules({"too_short", "contains_email"}, field="password"))
    assert "reports 2 broken rules instead of 1" in failure_of(refused, reports_broken_rules({"password": None}))
    assert_that(refused, names_field("password", "common_password"))
    assert_that(refused, refused_for("too_short"))
    assert "no error reports" in failure_of(refused, refused_for("unknown_field"))


# -- is_money ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("amount", "currency", "text"), [
    (Decimal("840"), "EUR", "840.00"), ("12000", "USD", "12000.00"), ("1500", "JPY", "1500"),
    (Decimal("0.005"), "EUR", "0.01"),
])
def test_is_money_wants_the_exact_minor_units(amount: object, currency: str, text: str) -> None:
    assert_that(text, is_money(amount, currency))


def test_is_money_refuses_numbers_and_other_scales() -> None:
    assert "a JSON float" in failure_of(840.0, is_money("840", "EUR"))
    assert "'840.0'" in failure_of("840.0", is_money("840", "EUR"))


# -- never_existed_like ------------------------------------------------------------------------
def test_never_existed_like_ignores_only_the_id() -> None:
    assert_that(not_found("acme-deal-1"), never_existed_like(not_found("ghost-2")))


def test_never_existed_like_spots_a_telling_difference() -> None:
    telling = answer(404, {"type": "https://problems.platform.example/not-found", "title": "Not found",
                           "status": 404, "detail": "Deal acme-deal-1 belongs to another tenant."},
                     path="/api/v1/deals/acme-deal-1")
    message = failure_of(telling, never_existed_like(not_found("ghost-2")))
    assert "detail" in message and "request id req-42" in message


def test_never_existed_like_spots_another_status() -> None:
    forbidden = answer(403, {"type": "https://problems.platform.example/forbidden", "title": "Forbidden",
                             "status": 403, "detail": "No."}, path="/api/v1/deals/acme-deal-1")
    assert "status 403 instead of 404" in failure_of(forbidden, never_existed_like(not_found("ghost-2")))


# -- detection results and health ---------------------------------------------------------------
def test_flags_exactly_reads_rows_in_index_order_whatever_the_base() -> None:
    one_based = {"results": [{"index": i + 1, "score": 0.1, "is_anomaly": i in {2, 4}} for i in range(6)]}
    assert_that(one_based, flags_exactly({2, 4}, rows=6))
    message = failure_of(one_based, flags_exactly({1, 2}, rows=6))
    assert "rows [1] were not flagged and rows [4] were" in message


def test_flags_exactly_refuses_a_result_with_missing_rows() -> None:
    assert "holds 2 rows instead of 6" in failure_of(
        {"results": [{"index": 0, "is_anomaly": False}] * 2}, flags_exactly(set(), rows=6))


def test_reports_health() -> None:
    assert_that(answer(200, {"status": "ok"}, content_type="application/json"), reports_health("ok"))
    assert "-> 503" in failure_of(answer(503, {"status": 503}), reports_health("ready"))


# -- money parsing ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "money"), [
    ("12,000.00", Money(Decimal("12000.00"))),
    ("EUR 12,000.00", Money(Decimal("12000.00"), "EUR")),
    ("840.00 EUR", Money(Decimal("840.00"), "EUR")),
    ("1500", Money(Decimal("1500"))),
    ("1,000,000", Money(Decimal("1000000"))),
])
def test_parse_money(text: str, money: Money) -> None:
    assert parse_money(text) == money


@pytest.mark.parametrize("text", ["12,00.00", "EUR 1 EUR", "XYZ 10", "ten", "12.000,00"])
def test_parse_money_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_money_goes_to_the_api_as_a_plain_decimal_string() -> None:
    assert parse_money("EUR 12,000.00").as_api() == "12000.00"
    assert format_money("12000", "EUR") == "12000.00" and format_money("1500.5", "JPY") == "1501"


def test_the_money_step_type_parses_inside_a_sentence() -> None:
    step = parse.compile("a payment of {amount:Money} arrives", extra_types=all_types())
    assert step.parse("a payment of EUR 12,000.00 arrives")["amount"] == Money(Decimal("12000.00"), "EUR")
    assert step.parse("a payment of 12,000.00 arrives")["amount"].amount == Decimal("12000.00")
    assert MONEY_PATTERN


# -- successes, versions, moments and rates (added with the sales area's stricter checks) -------------------
def test_a_success_has_its_status_and_a_body_that_matches() -> None:
    from hamcrest import has_entries

    from support.matchers.answers import is_created, is_success
    created = answer(201, {"id": "p1", "amount": "300.00"}, content_type="application/json")
    assert_that(created, is_created(has_entries(amount="300.00")))
    assert_that(created, is_success(201, body=has_entries(id="p1")))
    with pytest.raises(AssertionError, match="the status is 201, not 200"):
        assert_that(created, is_success())
    with pytest.raises(AssertionError, match="the body should be"):
        assert_that(created, is_created(has_entries(amount="301.00")))


def test_an_answer_tells_its_version_in_its_etag() -> None:
    from support.matchers.conventions import tells_its_version
    assert_that(answer(200, {"id": "d1", "version": 3}, headers={"ETag": '"3"'}), tells_its_version())
    with pytest.raises(AssertionError, match="its ETag is None, not \"3\""):
        assert_that(answer(200, {"id": "d1", "version": 3}), tells_its_version())
    with pytest.raises(AssertionError, match="its ETag is 'W/\"3\"'"):
        assert_that(answer(200, {"id": "d1", "version": 3}, headers={"ETag": 'W/"3"'}), tells_its_version())


def test_moments_and_rates() -> None:
    from support.matchers.conventions import is_moment, is_recent_moment
    from support.matchers.money import is_rate
    assert_that("2024-05-02T09:30:00.000000Z", is_moment("2024-05-02T09:30:00Z"))
    for wrong in ("2024-05-02T09:30:01Z", "2024-05-02T11:30:00+02:00", None):
        with pytest.raises(AssertionError):
            assert_that(wrong, is_moment("2024-05-02T09:30:00Z"))
    with pytest.raises(AssertionError):
        assert_that("2024-05-02T09:30:00Z", is_recent_moment())
    assert_that("0.070", is_rate(Decimal("0.07")))
    for wrong in (0.07, "0.7", "seven"):
        with pytest.raises(AssertionError):
            assert_that(wrong, is_rate(Decimal("0.07")))
