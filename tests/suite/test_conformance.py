"""Every answer against the contract's schemas, in make_client: bad answers give one sentence, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from signoff.conformance import load_conformance
from support.drivers.anomaly import AnomalyDriver
from support.drivers.base import UnexpectedAnswer
from support.drivers.raw import RawDriver
from support.drivers.sales import SalesDriver
from support.http import conformance
from support.http.client import make_client
from support.http.conformance import Conformance, ContractViolation, Tally, write_tally
from support.http.polling import eventually
from support.http.schemas import SchemaBook
from support.runner.config import Timeouts

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
FIXTURES = Path(__file__).parent / "fixtures" / "answers"
Handler = Callable[[httpx.Request], httpx.Response]
BOOK = SchemaBook.load()


def sample(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture
def checker() -> Conformance:
    """A fresh process checker for each test (make_client reports to `conformance.active()`)."""
    checker = conformance.configure(enabled=True)
    yield checker
    conformance.configure(enabled=True)


def client(service: str, handler: Handler) -> httpx.Client:
    return make_client(f"http://{service}.test", service=service, timeouts=TIMEOUTS,
                       transport=httpx.MockTransport(handler))


def answering(status: int, *, json_body: object = None, content: bytes | None = None,
              content_type: str = "application/json") -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        body = content if content is not None else json.dumps(json_body).encode()
        return httpx.Response(status, content=body, headers={"Content-Type": content_type,
                                                             "X-Request-ID": "rid-42"})
    return handler


def problem(status: int, slug: str, **extra: object) -> dict:
    return {"type": f"https://problems.platform.example/{slug}", "title": slug, "status": status,
            "detail": "no", **extra}


def test_a_sound_deal_passes_and_is_counted(checker: Conformance) -> None:
    deal = SalesDriver(client("sales", answering(200, json_body=sample("deal.EUR")))).get_deal("d1")
    assert deal.currency == "EUR"
    assert checker.tally.checked == {"deal": 1} and checker.tally.json_answers == 1


def test_money_with_the_wrong_decimals_names_the_field_the_rule_and_the_request_id(checker: Conformance) -> None:
    body = {**sample("deal.EUR"), "net_amount": "9000.5"}
    with pytest.raises(ContractViolation) as caught:
        SalesDriver(client("sales", answering(200, json_body=body))).get_deal("d1")
    message = str(caught.value)
    assert message == ("The sales service's answer GET /api/v1/deals/d1 -> 200 (request id rid-42) breaks the deal "
                       "schema: at $.net_amount, \"9000.5\" is wrong: money in EUR, USD or GBP is a decimal string "
                       "with exactly 2 decimals (§1).")
    assert checker.tally.violations == {"deal": 1}


def test_yen_money_has_no_decimals(checker: Conformance) -> None:
    body = {**sample("deal.JPY"), "amount": "1500.00"}
    with pytest.raises(ContractViolation, match=r"at \$\.amount, \"1500\.00\" is wrong: money in JPY"):
        SalesDriver(client("sales", answering(200, json_body=body))).get_deal("d1")


def test_a_missing_field_is_named(checker: Conformance) -> None:
    body = {key: value for key, value in sample("deal.EUR").items() if key != "updated_at"}
    with pytest.raises(ContractViolation, match=r"\$\.updated_at is missing, which the contract requires"):
        SalesDriver(client("sales", answering(200, json_body=body))).get_deal("d1")


def test_a_timestamp_without_z_is_refused(checker: Conformance) -> None:
    body = {**sample("deal.EUR"), "created_at": "2026-11-21T10:00:00+00:00"}
    with pytest.raises(ContractViolation, match=r"at \$\.created_at, .* RFC 3339 UTC ending in Z"):
        SalesDriver(client("sales", answering(200, json_body=body))).get_deal("d1")


def test_a_violation_is_not_swallowed_by_an_attempt_that_may_be_refused(checker: Conformance) -> None:
    body = {**sample("deal.EUR"), "version": "3"}
    driver = SalesDriver(client("sales", answering(200, json_body=body)))
    with pytest.raises(ContractViolation, match=r"at \$\.version, \"3\" is wrong: a version is a whole number"):
        driver.attempt(driver.get_deal, "d1")
    assert not issubclass(ContractViolation, UnexpectedAnswer)


def test_a_refusal_that_is_not_a_problem_document_is_a_violation_even_when_refusals_are_expected(
        checker: Conformance) -> None:
    driver = SalesDriver(client("sales", answering(404, json_body={"error": "nope"})))
    with pytest.raises(ContractViolation, match=r"-> 404 .* the content type is application/json, not "
                                                r"application/problem\+json"):
        driver.attempt(driver.get_deal, "d1")


def test_a_422_without_errors_is_a_violation(checker: Conformance) -> None:
    handler = answering(422, json_body=problem(422, "validation-failed"), content_type="application/problem+json")
    with pytest.raises(ContractViolation, match=r"\$\.errors is missing"):
        RawDriver(client("sales", handler), service="sales").send("POST", "/api/v1/clients", intent="x", json={})


def test_a_problem_whose_status_differs_from_the_answer_is_a_violation(checker: Conformance) -> None:
    handler = answering(409, json_body=problem(404, "not-found"), content_type="application/problem+json")
    with pytest.raises(ContractViolation, match=r"at \$\.status, 404 is wrong"):
        RawDriver(client("sales", handler), service="sales").send("GET", "/api/v1/clients/x", intent="x")


def test_eventually_does_not_retry_a_violation(checker: Conformance) -> None:
    calls = []
    driver = SalesDriver(client("sales", answering(200, json_body={"id": 7})))

    def look() -> None:
        calls.append(1)
        driver.get_deal("d1")

    with pytest.raises(ContractViolation):
        eventually(look, within=1.0, awaiting="the deal")
    assert len(calls) == 1


@pytest.mark.parametrize(("content", "content_type", "fault"), [
    (b"<html>oops</html>", "text/html", "the body is not JSON where the contract promises a deal"),
    (b"", "application/json", "the body is empty where the contract promises a deal"),
    (b'{"id": "d1", "stage": ', "application/json", "the body is not JSON"),
    (json.dumps({"x": 1}).encode(), "text/plain", "the content type is text/plain, not application/json"),
])
def test_bad_bodies_give_one_sentence_with_the_request_id(checker: Conformance, content: bytes,
                                                          content_type: str, fault: str) -> None:
    with pytest.raises(ContractViolation) as caught:
        SalesDriver(client("sales", answering(200, content=content, content_type=content_type))).get_deal("d1")
    message = str(caught.value)
    assert "request id rid-42" in message and fault in message and "\n" not in message


def test_a_huge_body_is_judged_and_the_message_stays_short(checker: Conformance) -> None:
    body = {**sample("deal.EUR"), "title": "x" * 5_000_000, "amount": 12}
    with pytest.raises(ContractViolation) as caught:
        SalesDriver(client("sales", answering(200, json_body=body))).get_deal("d1")
    assert len(str(caught.value)) < 400 and "at $.amount, 12 is wrong" in str(caught.value)


def test_a_json_answer_the_table_does_not_know_is_a_violation(checker: Conformance) -> None:
    raw = RawDriver(client("sales", answering(200, json_body={"ok": True})), service="sales")
    with pytest.raises(ContractViolation, match="the contract describes no such JSON answer"):
        raw.send("GET", "/api/v1/treasure-maps", intent="look")
    assert checker.tally.checked == {"unknown (no schema)": 1} and checker.tally.json_answers == 1


def test_a_204_with_a_body_and_a_text_answer(checker: Conformance) -> None:
    raw = RawDriver(client("sales", answering(204, content=b"{}")), service="sales")
    with pytest.raises(ContractViolation, match="it has a body of 2 bytes where the contract promises none"):
        raw.send("DELETE", "/api/v1/clients/c1", intent="delete")
    metrics = RawDriver(client("sales", answering(200, content=b"# HELP x\nx 1\n", content_type="text/plain")),
                        service="sales")
    metrics.send("GET", "/metrics", intent="read metrics")
    assert checker.tally.checked == {"no body": 1} and checker.tally.json_answers == 1
    assert checker.tally.other_answers == 1


def test_stream_lines_are_checked_one_by_one(checker: Conformance) -> None:
    lines = b'{"index": 0, "score": 0.1, "is_anomaly": false}\n{"index": 1, "error": "x"}\n{"index": 2}\n'
    driver = AnomalyDriver(client("anomaly", answering(200, content=lines, content_type="application/x-ndjson")))
    with pytest.raises(ContractViolation, match=r"on line 3, .*stream line is \{index, score, is_anomaly\}"):
        driver.stream("det1", [{"x": 1}])


def test_a_page_checks_every_item(checker: Conformance) -> None:
    page = {"items": [sample("client"), {**sample("client"), "country": "Germany"}], "page": 1, "page_size": 20,
            "total": 2}
    with pytest.raises(ContractViolation, match=r"at \$\.items\[1\]\.country, \"Germany\" is wrong: a country"):
        SalesDriver(client("sales", answering(200, json_body=page))).list_clients()


def test_switched_off_nothing_is_checked_or_counted() -> None:
    try:
        checker = conformance.configure(enabled=False)
        SalesDriver(client("sales", answering(200, json_body={"id": "d1"}))).get_deal("d1")
        assert checker.tally == Tally()
    finally:
        conformance.configure(enabled=True)


def test_an_unknown_service_cannot_be_judged_and_says_so() -> None:
    checker = Conformance(BOOK)
    answer = httpx.Response(200, json={}, request=httpx.Request("GET", "http://x.test/"))
    with pytest.raises(ContractViolation, match="knows no service 'billing'"):
        checker.check(answer, "billing")


def test_tallies_of_workers_add_up(tmp_path: Path) -> None:
    write_tally(Tally(checked={"deal": 2}, json_answers=2), tmp_path / "conformance" / "w1.json")
    write_tally(Tally(checked={"deal": 1, "problem": 1}, other_answers=3, json_answers=2),
                tmp_path / "conformance" / "w2.json")
    total = load_conformance(tmp_path)
    assert total is not None and total.checked == {"deal": 3, "problem": 1} and total.json_answers == 4
    assert total.summary().startswith("4 of 4 JSON answers checked against the contract's schemas (2 resources), "
                                      "0 violations")
    assert Tally(checked={"deal": 1}, json_answers=1).summary().startswith("Contract schemas: 1 of 1 JSON answers")


# -- with the checks off (only to measure their cost), the drivers still fail with a sentence ---------------
@pytest.mark.parametrize(("content", "content_type"), [
    (b"<html>oops</html>", "text/html"), (b"", "application/json"), (b"[1, 2]", "application/json"),
    (b"\xff\xfe not utf-8", "application/json"),
])
def test_drivers_refuse_bodies_that_are_no_json_object_with_the_request_id(content: bytes, content_type: str) -> None:
    conformance.configure(enabled=False)
    try:
        with pytest.raises(UnexpectedAnswer, match=r"request id rid-42"):
            SalesDriver(client("sales", answering(200, content=content, content_type=content_type))).get_deal("d1")
        feedback = AnomalyDriver(client("anomaly", answering(201, content=content, content_type=content_type)))
        if content:
            with pytest.raises(UnexpectedAnswer, match=r"not a JSON object.*request id rid-42"):
                feedback.feedback("det1", {"x": 1}, "normal")
        stream = AnomalyDriver(client("anomaly", answering(200, content=b'{"index": 0}\n' + content + b"\n",
                                                           content_type="application/x-ndjson")))
        if content and not content.startswith(b"["):
            with pytest.raises(UnexpectedAnswer, match=r"a line is not JSON.*request id rid-42"):
                stream.stream("det1", [{"x": 1}])
    finally:
        conformance.configure(enabled=True)
