"""Payments: won deals only, overpayment, payment status, idempotency, who may record/read (contract §4)."""

from __future__ import annotations

from tests.platform.sales.support import Org, World, codes, problem


def _url(deal: dict) -> str:
    return f"/api/v1/deals/{deal['id']}/payments"


def test_record_payment_and_status(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="1000")
    answer = world.http.post(_url(deal), json={"amount": "400", "received_at": "2025-02-03T10:00:00+01:00"},
                             headers=acme.h("maria"))
    assert answer.status_code == 201, answer.text
    payment = answer.json()
    assert set(payment) == {"id", "deal_id", "amount", "currency", "received_at", "created_at"}
    assert (payment["amount"], payment["currency"], payment["deal_id"]) == ("400.00", "EUR", deal["id"])
    assert payment["received_at"].startswith("2025-02-03T09:00:00") and payment["received_at"].endswith("Z")
    state = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()
    assert (state["paid_amount"], state["payment_status"], state["version"]) == ("400.00", "partially_paid", 5)
    world.http.post(_url(deal), json={"amount": "600"}, headers=acme.h("alice"))
    state = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()
    assert (state["paid_amount"], state["payment_status"]) == ("1000.00", "paid")


def test_received_at_defaults_to_now_and_must_be_rfc3339(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita")
    payment = world.http.post(_url(deal), json={"amount": "1"}, headers=acme.h("maria")).json()
    assert payment["received_at"].endswith("Z")
    assert codes(world.http.post(_url(deal), json={"amount": "1", "received_at": "yesterday"},
                                 headers=acme.h("maria"))) == {("received_at", "invalid_datetime")}
    assert codes(world.http.post(_url(deal), json={"amount": "1", "received_at": "2025-01-01T00:00:00"},
                                 headers=acme.h("maria"))) == {("received_at", "invalid_datetime")}


def test_only_won_deals_take_payments(world: World, acme: Org) -> None:
    for path in ((), ("qualified", "proposal"), ("lost",)):
        deal = acme.move(acme.deal("rita"), *path)
        problem(world.http.post(_url(deal), json={"amount": "1"}, headers=acme.h("maria")), 409, "invalid-state")


def test_overpayment(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="1000", discount_percent="10")
    assert world.http.post(_url(deal), json={"amount": "899.99"}, headers=acme.h("maria")).status_code == 201
    assert codes(world.http.post(_url(deal), json={"amount": "0.02"}, headers=acme.h("maria"))) == {
        ("amount", "overpayment")}
    assert world.http.post(_url(deal), json={"amount": "0.01"}, headers=acme.h("maria")).status_code == 201
    assert codes(world.http.post(_url(deal), json={"amount": 1}, headers=acme.h("maria"))) == {
        ("amount", "invalid_type")}
    assert codes(world.http.post(_url(deal), json={"amount": "0"}, headers=acme.h("maria"))) == {
        ("amount", "out_of_range")}


def test_who_records_and_who_reads(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita")
    for who in ("rita", "ravi", "ana", "otto"):
        problem(world.http.post(_url(deal), json={"amount": "1"}, headers=acme.h(who)), 403, "forbidden")
    world.http.post(_url(deal), json={"amount": "1"}, headers=acme.h("maria"))
    for who in ("rita", "maria", "alice", "otto"):
        page = world.http.get(_url(deal), headers=acme.h(who))
        assert page.status_code == 200 and page.json()["total"] == 1, who
    for who in ("ravi", "ana"):
        problem(world.http.get(_url(deal), headers=acme.h(who)), 403, "forbidden")


def test_rep_gets_403_for_any_id_when_recording(world: World, acme: Org) -> None:
    problem(world.http.post("/api/v1/deals/no-such-deal/payments", json={"amount": "1"}, headers=acme.h("rita")),
            403, "forbidden")
    problem(world.http.post("/api/v1/deals/no-such-deal/payments", json={"amount": "1"}, headers=acme.h("maria")),
            404, "not-found")


def test_idempotency_key_replays_first_answer(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="1000")
    headers = acme.h("maria", **{"Idempotency-Key": "pay-1"})
    first = world.http.post(_url(deal), json={"amount": "100"}, headers=headers)
    again = world.http.post(_url(deal), json={"amount": "100"}, headers=acme.h("alice", **{"Idempotency-Key": "pay-1"}))
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert world.http.get(_url(deal), headers=acme.h("maria")).json()["total"] == 1
    state = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("maria")).json()
    assert state["paid_amount"] == "100.00"
    problem(world.http.post(_url(deal), json={"amount": "200"}, headers=headers), 409, "idempotency-key-reused")
    other = acme.won_deal("rita", amount="1000")
    problem(world.http.post(_url(other), json={"amount": "100"}, headers=headers), 409, "idempotency-key-reused")


def test_idempotency_key_is_scoped_to_the_tenant(world: World, acme: Org, globex: Org) -> None:
    ours, theirs = acme.won_deal("rita"), globex.won_deal("rita")
    key = {"Idempotency-Key": "shared-key"}
    first = world.http.post(_url(ours), json={"amount": "5"}, headers=acme.h("maria", **key))
    second = world.http.post(_url(theirs), json={"amount": "5"}, headers=globex.h("maria", **key))
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_idempotency_key_expires_after_24_hours(world: World, acme: Org) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from services.common.clock import utcnow
    from services.sales.models import IdempotencyRecord

    deal = acme.won_deal("rita", amount="1000")
    headers = acme.h("maria", **{"Idempotency-Key": "old"})
    first = world.http.post(_url(deal), json={"amount": "10"}, headers=headers).json()
    with world.app.state.db.session() as session:
        session.execute(update(IdempotencyRecord).where(IdempotencyRecord.key == "old")
                        .values(created_at=utcnow() - timedelta(hours=25)))
    later = world.http.post(_url(deal), json={"amount": "10"}, headers=headers)
    assert later.status_code == 201 and later.json()["id"] != first["id"]


def test_payment_bumps_version(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita")
    world.http.post(_url(deal), json={"amount": "1"}, headers=acme.h("maria"))
    read = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita"))
    assert read.json()["version"] == deal["version"] + 1 and read.headers["etag"] == f'"{deal["version"] + 1}"'
