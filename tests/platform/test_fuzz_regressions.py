"""Hostile inputs and the platform bugs the Schemathesis run found (contract §1).

Every malformed, oversized, wrong-typed or hostile input gets a 4xx problem document, never a 5xx, and a
refused create writes nothing (the list total is unchanged). Text that is merely unusual (SQL or script
fragments, RTL overrides, emoji, combining marks) is data: it is stored and answered back verbatim.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.platform.fuzz_support import PROBLEM_BASE, TARGETS, Target, stop_apps

SQL_AND_SCRIPT = [
    "'; DROP TABLE clients; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM deals WHERE ('1'='1",
    '" UNION SELECT password_hash FROM users --',
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7} %s %n",
    "../../etc/passwd",
]
ODD_UNICODE = [
    "abc\u202edcba",  # RTL override
    "\u200f\u200e\u2066mixed\u2069",  # direction marks and isolates
    "👩🏽‍💻 🇩🇪",  # emoji with skin tone, ZWJ sequence and flag
    "e\u0301\u0302\u0303 Z\u0351\u0352\u0353",  # combining marks
    "\ufeffbom and \u00a0nbsp",
    "日本語のクライアント",
]
UNSTORABLE = ["nul\x00byte", "\x00", "lone \ud800 surrogate", "\udfff"]
BAD_MONEY: list[Any] = [
    12000, 12000.5, 0, -1, 1e308,  # JSON numbers
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1e5", "1E-2", "0x10", "12,00", " 12", "12 ", "",
    "-5", "0", "0.00", "1000000000.01", "99999999999999999999999999999", "12.345", "1" * 500,
    "١٢٣", "１２", "12\x00", "12; DROP TABLE deals", "<b>12</b>", None, True, [], {}, ["12"], {"amount": "12"},
]


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Target]]:
    with ExitStack() as stack:
        try:
            yield {name: stack.enter_context(make(tmp_path_factory.mktemp(f"hostile-{name}")))
                   for name, make in TARGETS.items()}
        finally:
            stop_apps()


def send(target: Target, method: str, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
    """Send `body` as raw JSON (json.dumps keeps NaN, lone surrogates and big numbers as they are)."""
    if body is not None:
        kwargs["data"] = json.dumps(body).encode()
        kwargs["headers"] = {"Content-Type": "application/json", **kwargs.get("headers", {})}
    return target.call(method, path, **kwargs)


def assert_problem(response: requests.Response, status: int | None = None) -> dict[str, Any]:
    where = f"{response.request.method} {response.request.url} -> {response.status_code}: {response.text[:300]}"
    assert 400 <= response.status_code < 500, where
    if status is not None:
        assert response.status_code == status, where
    assert response.headers["content-type"].startswith("application/problem+json"), where
    body = response.json()
    assert body["type"].startswith(PROBLEM_BASE) and body["status"] == response.status_code, where
    assert body["title"] and isinstance(body["detail"], str), where
    if response.status_code == 422:
        assert body["errors"] and all({"field", "code", "message"} <= set(e) for e in body["errors"]), where
    return body


def codes(response: requests.Response) -> set[tuple[str, str]]:
    return {(error["field"], error["code"]) for error in response.json().get("errors", [])}


def total(target: Target, path: str) -> int:
    response = target.call("GET", path)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def client_body(**fields: Any) -> dict[str, Any]:
    return {"name": "Initech", "email": "buyer@initech.example", "country": "DE", **fields}


# ------------------------------------------------------------------------------ text is data, or refused


@pytest.mark.parametrize("text", SQL_AND_SCRIPT + ODD_UNICODE)
def test_unusual_text_is_stored_and_answered_verbatim(targets: dict[str, Target], text: str) -> None:
    sales, anomaly = targets["sales"], targets["anomaly"]
    created = send(sales, "POST", "/api/v1/clients", client_body(name=text))
    assert created.status_code == 201, created.text
    again = sales.call("GET", f"/api/v1/clients/{created.json()['id']}")
    assert again.status_code == 200 and again.json()["name"] == text.strip()
    found = sales.call("GET", "/api/v1/clients", params={"q": text.strip(), "page_size": 100})
    assert found.status_code == 200 and created.json()["id"] in {c["id"] for c in found.json()["items"]}
    detector = send(anomaly, "POST", "/api/v1/detectors", {"name": text, "algorithm": "iqr", "features": ["x"]})
    assert detector.status_code == 201 and detector.json()["name"].strip() == text.strip(), detector.text


@pytest.mark.parametrize("text", SQL_AND_SCRIPT + ODD_UNICODE + UNSTORABLE)
def test_hostile_text_in_ids_and_filters_is_a_4xx_or_an_empty_answer(targets: dict[str, Target], text: str) -> None:
    sales, anomaly, identity = targets["sales"], targets["anomaly"], targets["identity"]
    wire = text.encode("utf-8", "surrogatepass")  # a URL carries any bytes, even a lone surrogate's
    for target, path in ((sales, "/api/v1/clients/{}"), (sales, "/api/v1/deals/{}"),
                         (anomaly, "/api/v1/datasets/{}"), (identity, "/api/v1/users/{}")):
        assert_problem(target.call("GET", path.format(quote(wire, safe=""))), 404)
    listed = sales.call("GET", "/api/v1/deals?owner_id=" + quote(wire, safe=""))
    assert listed.status_code == 200 and listed.json()["items"] == [], listed.text


@pytest.mark.parametrize("text", UNSTORABLE)
def test_nul_and_lone_surrogates_are_refused_and_nothing_is_written(targets: dict[str, Target], text: str) -> None:
    sales, anomaly, identity = targets["sales"], targets["anomaly"], targets["identity"]
    before = total(sales, "/api/v1/clients"), total(anomaly, "/api/v1/detectors"), total(identity, "/api/v1/users")
    refused = [
        send(sales, "POST", "/api/v1/clients", client_body(name=text)),
        send(sales, "POST", "/api/v1/clients", client_body(email=f"a{text}@example.com")),
        send(anomaly, "POST", "/api/v1/detectors", {"name": text, "algorithm": "iqr", "features": ["x"]}),
        send(anomaly, "POST", "/api/v1/datasets", {"name": "d", "columns": ["x", "c"], "rows": [[1, text]]}),
        send(identity, "POST", "/api/v1/users", {"email": "nul@example.com", "name": text,
                                                 "password": "a long enough passphrase", "roles": ["analyst"]}),
    ]
    for response in refused:
        assert_problem(response, 422)
    assert ("name", "invalid_characters") in codes(refused[0])
    after = total(sales, "/api/v1/clients"), total(anomaly, "/api/v1/detectors"), total(identity, "/api/v1/users")
    assert after == before


# ------------------------------------------------------------------------------ money and numbers


@pytest.mark.parametrize("amount", BAD_MONEY, ids=repr)
def test_bad_money_is_a_422_and_writes_nothing(targets: dict[str, Target], amount: Any) -> None:
    sales = targets["sales"]
    won_deal = sales.known["deal_id"][1]
    before = total(sales, "/api/v1/deals"), total(sales, f"/api/v1/deals/{won_deal}/payments")
    deal = {"client_id": sales.known["client_id"][0], "title": "t", "amount": amount}
    assert_problem(send(sales, "POST", "/api/v1/deals", deal), 422)
    assert_problem(send(sales, "POST", f"/api/v1/deals/{won_deal}/payments", {"amount": amount}), 422)
    assert_problem(send(sales, "PATCH", f"/api/v1/deals/{sales.known['deal_id'][0]}", {"amount": amount}), 422)
    after = total(sales, "/api/v1/deals"), total(sales, f"/api/v1/deals/{won_deal}/payments")
    assert after == before


@pytest.mark.parametrize("discount", [20, 20.5, "NaN", "Infinity", "-1", "100.00001", "101", "1e1", "12.34567",
                                      "", None, "20%"], ids=repr)
def test_bad_discount_is_a_422_and_writes_nothing(targets: dict[str, Target], discount: Any) -> None:
    sales = targets["sales"]
    before = total(sales, "/api/v1/deals")
    response = send(sales, "POST", "/api/v1/deals", {"client_id": sales.known["client_id"][0], "title": "t",
                                                     "amount": "100", "discount_percent": discount})
    assert_problem(response, 422)
    assert total(sales, "/api/v1/deals") == before


@pytest.mark.parametrize("amount", [12000, 12000.0, 0.1, 10**30])
def test_a_json_number_for_money_is_named_invalid_type(targets: dict[str, Target], amount: Any) -> None:
    sales = targets["sales"]
    response = send(sales, "POST", "/api/v1/deals", {"client_id": sales.known["client_id"][0], "title": "t",
                                                     "amount": amount})
    assert_problem(response, 422)
    assert ("amount", "invalid_type") in codes(response)


@pytest.mark.parametrize("raw", [
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "threshold": NaN}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "threshold": Infinity}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "threshold": 1e400}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "threshold": -1}',
    b'{"name": "d", "algorithm": "isolation_forest", "features": ["x"], "contamination": 0.5000001}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "random_seed": 18446744073709551616}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "random_seed": -1}',
    b'{"name": "d", "algorithm": "iqr", "features": ["x"], "threshold": "2.5"}',
])
def test_bad_numbers_for_a_detector_are_a_422_and_write_nothing(targets: dict[str, Target], raw: bytes) -> None:
    anomaly = targets["anomaly"]
    before = total(anomaly, "/api/v1/detectors")
    response = anomaly.call("POST", "/api/v1/detectors", data=raw, headers={"Content-Type": "application/json"})
    assert_problem(response, 422)
    assert total(anomaly, "/api/v1/detectors") == before


@pytest.mark.parametrize("query", [
    {"page": "0"}, {"page": "-1"}, {"page_size": "0"}, {"page_size": "101"}, {"page_size": "-5"},
    {"page": "NaN"}, {"page": "1.5"}, {"page": "1e3"}, {"page_size": "9" * 40}, {"page": ""},
])
def test_bad_paging_is_a_422(targets: dict[str, Target], query: dict[str, str]) -> None:
    for target, path in ((targets["sales"], "/api/v1/clients"), (targets["anomaly"], "/api/v1/datasets"),
                         (targets["identity"], "/api/v1/users")):
        assert_problem(target.call("GET", path, params=query), 422)


# ------------------------------------------------------------------------------ unknown and read-only fields


@pytest.mark.parametrize(("extra", "code"), [
    ({"id": "x"}, "read_only_field"), ({"tenant_id": "x"}, "read_only_field"), ({"version": 9}, "read_only_field"),
    ({"stage": "won"}, "read_only_field"), ({"is_admin": True}, "unknown_field"), ({"__proto__": {}}, "unknown_field"),
    ({"amount ": "1"}, "unknown_field"), ({"AMOUNT": "1"}, "unknown_field"),
])
def test_unknown_and_read_only_fields_are_refused_and_write_nothing(targets: dict[str, Target],
                                                                    extra: dict[str, Any], code: str) -> None:
    sales, anomaly = targets["sales"], targets["anomaly"]
    field = next(iter(extra))
    before = total(sales, "/api/v1/deals"), total(anomaly, "/api/v1/detectors")
    deal = send(sales, "POST", "/api/v1/deals",
                {"client_id": sales.known["client_id"][0], "title": "t", "amount": "10", **extra})
    assert_problem(deal, 422)
    assert (field, code) in codes(deal)
    detector = send(anomaly, "POST", "/api/v1/detectors", {"name": "d", "algorithm": "iqr", "features": ["x"],
                                                           **extra})
    assert_problem(detector, 422)
    assert (total(sales, "/api/v1/deals"), total(anomaly, "/api/v1/detectors")) == before


# ------------------------------------------------------------------------------ property-based


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(name=st.text(max_size=260), email=st.text(max_size=40), country=st.text(max_size=4))
def test_any_text_for_a_client_is_a_201_or_a_422(targets: dict[str, Target], name: str, email: str,
                                                 country: str) -> None:
    sales = targets["sales"]
    before = total(sales, "/api/v1/clients")
    response = send(sales, "POST", "/api/v1/clients", {"name": name, "email": email, "country": country})
    if response.status_code == 201:
        assert response.json()["name"] == name.strip()
        assert total(sales, "/api/v1/clients") == before + 1
    else:
        assert_problem(response, 422)
        assert total(sales, "/api/v1/clients") == before


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(amount=st.one_of(st.text(max_size=30), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                        st.integers(), st.floats(), st.none(), st.booleans()))
def test_any_amount_is_a_201_with_exact_minor_units_or_a_422(targets: dict[str, Target], amount: Any) -> None:
    sales = targets["sales"]
    before = total(sales, "/api/v1/deals")
    response = send(sales, "POST", "/api/v1/deals", {"client_id": sales.known["client_id"][0], "title": "t",
                                                     "amount": amount})
    if response.status_code == 201:
        answered = response.json()["amount"]
        assert isinstance(amount, str) and len(answered.split(".")[1]) == 2, (amount, answered)
        assert total(sales, "/api/v1/deals") == before + 1
    else:
        assert_problem(response, 422)
        assert total(sales, "/api/v1/deals") == before


# ------------------------------------------------------------------------------ regressions found by fuzzing


@pytest.mark.parametrize("page", ["10472156646853622890496", str(2**63), "999999999"])
def test_a_page_far_past_the_end_is_an_empty_page_not_a_500(targets: dict[str, Target], page: str) -> None:
    """Found by Schemathesis: an offset past SQLite's 64-bit integers crashed the list query (500)."""
    for target, path in ((targets["sales"], "/api/v1/clients"), (targets["anomaly"], "/api/v1/datasets"),
                         (targets["identity"], "/api/v1/users"), (targets["sales"], "/api/v1/audit-events")):
        response = target.call("GET", path, params={"page": page})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["items"] == [] and body["page"] == int(page) and body["total"] >= 0


@pytest.mark.parametrize("raw", [b"\x83", b"\xc0{\xab", b'{"name": "\xff"}', b"\xfe\xff\x00{"])
def test_a_json_body_that_is_not_utf8_is_a_422_malformed_json(targets: dict[str, Target], raw: bytes) -> None:
    """Found by Schemathesis: FastAPI answered 400 "error parsing the body"; the contract says 422."""
    for target, path in ((targets["sales"], "/api/v1/clients"), (targets["identity"], "/api/v1/auth/token"),
                         (targets["anomaly"], "/api/v1/detectors"), (targets["anomaly"], "/api/v1/datasets")):
        response = target.call("POST", path, data=raw, headers={"Content-Type": "application/json"})
        assert_problem(response, 422)
        assert ("body", "malformed_json") in codes(response), path


@pytest.mark.parametrize("usage", [
    {"detectors": 24137369364083121357586432, "dataset_rows": 1},
    {"detectors": 1, "dataset_rows": 2**63},
    {"detectors": -1, "dataset_rows": 1},
    {"detectors": 1.5, "dataset_rows": 1},
    {"detectors": "1", "dataset_rows": 1},
])
def test_a_usage_report_with_out_of_range_counts_is_a_422(targets: dict[str, Target], usage: dict[str, Any]) -> None:
    """Found by Schemathesis: a JSON integer over 64 bits overflowed SQLite (500)."""
    identity = targets["identity"]
    response = send(identity, "PUT", "/api/v1/tenants/current/usage", usage)
    assert_problem(response, 422)
    tenant = identity.call("GET", "/api/v1/tenants/current").json()
    assert tenant["usage"]["detectors"] >= 0 and tenant["usage"]["detectors"] < 2**53


def test_a_lone_surrogate_no_longer_crashes_after_writing(targets: dict[str, Target]) -> None:
    """Found while fuzzing text: "\\ud800" was stored, then the answer failed to encode (500 after a write)."""
    sales = targets["sales"]
    before = total(sales, "/api/v1/clients")
    response = send(sales, "POST", "/api/v1/clients", client_body(name="\ud800"))
    assert_problem(response, 422)
    assert ("name", "invalid_characters") in codes(response)
    assert total(sales, "/api/v1/clients") == before
