"""Commission statements: tiers, quarters, totals, who may read (contract §4)."""

from __future__ import annotations

from services.common.clock import utcnow
from services.sales.commission import quarter_of
from tests.platform.sales.support import Org, World, codes, problem

URL = "/api/v1/commissions"


def _pay(world: World, org: Org, deal: dict, amount: str, when: str) -> dict:
    answer = world.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": amount, "received_at": when},
                             headers=org.h("maria"))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_statement_lines_and_tiers(world: World, acme: Org) -> None:
    small = acme.won_deal("rita", amount="9999.99")
    mid = acme.won_deal("rita", amount="10000")
    big = acme.won_deal("rita", amount="60000", discount_percent="10")  # net 54,000.00
    p1 = _pay(world, acme, small, "9999.99", "2025-04-01T00:00:00Z")
    p2 = _pay(world, acme, mid, "10000", "2025-05-15T12:00:00Z")
    p3 = _pay(world, acme, big, "1000", "2025-06-30T23:59:59Z")
    _pay(world, acme, big, "500", "2025-07-01T00:00:00Z")  # next quarter
    _pay(world, acme, big, "500", "2025-03-31T23:59:59Z")  # previous quarter
    answer = world.http.get(URL, params={"period": "2025-Q2"}, headers=acme.h("rita"))
    assert answer.status_code == 200, answer.text
    statement = answer.json()
    assert (statement["owner_id"], statement["period"], statement["currency"]) == (
        acme.users["rita"], "2025-Q2", "EUR")
    assert statement["lines"] == [
        {"payment_id": p1["id"], "deal_id": small["id"], "base": "9999.99", "rate": "0.05", "amount": "500.00"},
        {"payment_id": p2["id"], "deal_id": mid["id"], "base": "10000.00", "rate": "0.07", "amount": "700.00"},
        {"payment_id": p3["id"], "deal_id": big["id"], "base": "1000.00", "rate": "0.10", "amount": "100.00"},
    ]
    assert statement["total"] == "1300.00"


def test_jpy_tiers(world: World) -> None:
    tokyo = world.org(currency="JPY")
    deal = tokyo.won_deal("rita", amount="1000000")
    _pay(world, tokyo, deal, "1010", "2025-01-10T00:00:00Z")
    statement = world.http.get(URL, params={"period": "2025-Q1"}, headers=tokyo.h("rita")).json()
    assert statement["lines"][0]["rate"] == "0.07" and statement["lines"][0]["amount"] == "71"
    assert (statement["currency"], statement["total"]) == ("JPY", "71")


def test_defaults_current_quarter_and_caller(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="100")
    world.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": "100"}, headers=acme.h("maria"))
    statement = world.http.get(URL, headers=acme.h("rita")).json()
    assert statement["period"] == quarter_of(utcnow()).label
    assert statement["owner_id"] == acme.users["rita"]
    assert statement["total"] == "5.00"
    empty = world.http.get(URL, headers=acme.h("ravi")).json()
    assert (empty["lines"], empty["total"]) == ([], "0.00")


def test_who_reads_whose_statement(world: World, acme: Org) -> None:
    rita = acme.users["rita"]
    problem(world.http.get(URL, params={"owner_id": rita}, headers=acme.h("ravi")), 403, "forbidden")
    problem(world.http.get(URL, headers=acme.h("ana")), 403, "forbidden")
    for who in ("maria", "alice", "otto", "rita"):
        answer = world.http.get(URL, params={"owner_id": rita}, headers=acme.h(who))
        assert answer.status_code == 200 and answer.json()["owner_id"] == rita, who


def test_malformed_period(world: World, acme: Org) -> None:
    for bad in ("2025-Q5", "2025Q1", "Q1-2025", "2025-q1"):
        assert codes(world.http.get(URL, params={"period": bad}, headers=acme.h("rita"))) == {
            ("period", "invalid_period")}
