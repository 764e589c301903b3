"""Pipeline report and sales' audit log (contract §4)."""

from __future__ import annotations

from tests.platform.sales.support import Org, World, problem

PIPELINE = "/api/v1/reports/pipeline"
AUDIT = "/api/v1/audit-events"


def test_pipeline_has_all_five_stages(world: World, acme: Org) -> None:
    empty = world.http.get(PIPELINE, headers=acme.h("maria")).json()
    assert empty == {"currency": "EUR", "stages": {s: {"count": 0, "net_amount": "0.00"}
                                                   for s in ("lead", "qualified", "proposal", "won", "lost")}}
    acme.deal("rita", amount="100")
    acme.deal("ravi", amount="250.50", discount_percent="10")
    acme.won_deal("rita", amount="1000")
    acme.move(acme.deal("rita", amount="7"), "lost")
    report = world.http.get(PIPELINE, headers=acme.h("otto")).json()
    assert report["stages"]["lead"] == {"count": 2, "net_amount": "325.45"}
    assert report["stages"]["won"] == {"count": 1, "net_amount": "1000.00"}
    assert report["stages"]["lost"] == {"count": 1, "net_amount": "7.00"}
    assert report["stages"]["qualified"] == {"count": 0, "net_amount": "0.00"}


def test_pipeline_roles(world: World, acme: Org) -> None:
    for who in ("rita", "ana"):
        problem(world.http.get(PIPELINE, headers=acme.h(who)), 403, "forbidden")
    for who in ("maria", "alice", "otto"):
        assert world.http.get(PIPELINE, headers=acme.h(who)).status_code == 200


def test_pipeline_is_per_tenant(world: World, acme: Org, globex: Org) -> None:
    globex.deal("rita", amount="5")
    report = world.http.get(PIPELINE, headers=acme.h("maria")).json()
    assert report["stages"]["lead"]["count"] == 0
    assert world.http.get(PIPELINE, headers=globex.h("maria")).json()["currency"] == "USD"


def _events(world: World, org: Org, **params: str) -> list[dict]:
    answer = world.http.get(AUDIT, params=params, headers=org.h("otto"))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_successful_mutations_are_audited(world: World, acme: Org) -> None:
    client = acme.client("rita")
    world.http.patch(f"/api/v1/clients/{client['id']}", json={"name": "New"}, headers=acme.h("rita"))
    deal = acme.deal("rita", client=client, discount_percent="30")
    world.http.patch(f"/api/v1/deals/{deal['id']}", json={"title": "T2"}, headers=acme.h("rita"))
    world.http.post(f"/api/v1/deals/{deal['id']}/approval", json={"decision": "approve"}, headers=acme.h("maria"))
    acme.move(deal, "qualified", "proposal", "won")
    payment = world.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": "1"},
                              headers=acme.h("maria")).json()
    notice = world.http.get("/api/v1/notifications", headers=acme.h("rita")).json()["items"][0]
    world.http.post(f"/api/v1/notifications/{notice['id']}/read", headers=acme.h("rita"))
    other = acme.client("rita")
    world.http.delete(f"/api/v1/clients/{other['id']}", headers=acme.h("rita"))
    rejected = acme.deal("rita", discount_percent="30")
    world.http.post(f"/api/v1/deals/{rejected['id']}/approval", json={"decision": "reject"}, headers=acme.h("maria"))
    events = _events(world, acme, outcome="success", page_size="100")
    actions = [(e["action"], e["resource_id"]) for e in events]
    assert actions == [
        ("client.created", client["id"]), ("client.updated", client["id"]), ("deal.created", deal["id"]),
        ("deal.updated", deal["id"]), ("deal.approved", deal["id"]),
        ("deal.transitioned", deal["id"]), ("deal.transitioned", deal["id"]), ("deal.transitioned", deal["id"]),
        ("payment.recorded", payment["id"]), ("notification.read", notice["id"]),
        ("client.created", other["id"]), ("client.deleted", other["id"]),
        ("client.created", rejected["client_id"]), ("deal.created", rejected["id"]),
        ("deal.rejected", rejected["id"]),
    ]
    event = events[0]
    assert set(event) == {"id", "occurred_at", "actor_id", "action", "resource_type", "resource_id", "outcome",
                          "request_id"}
    assert event["actor_id"] == acme.users["rita"] and event["resource_type"] == "client"
    assert _events(world, acme, action="payment.recorded")[0]["actor_id"] == acme.users["maria"]
    assert len(_events(world, acme, resource_id=deal["id"])) == 6
    assert len(_events(world, acme, actor_id=acme.users["maria"])) == 3


def test_request_id_is_recorded(world: World, acme: Org) -> None:
    world.http.post("/api/v1/clients", json={"name": "A", "email": "a@b.example", "country": "DE"},
                    headers=acme.h("rita", **{"X-Request-ID": "req-sales-42"}))
    assert _events(world, acme, action="client.created")[0]["request_id"] == "req-sales-42"


def test_403_is_audited_as_denied(world: World, acme: Org) -> None:
    deal = acme.deal("ravi")
    problem(world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")), 403, "forbidden")
    problem(world.http.get(PIPELINE, headers=acme.h("rita")), 403, "forbidden")
    denied = _events(world, acme, outcome="denied")
    assert [(e["actor_id"], e["resource_id"]) for e in denied][:1] == [(acme.users["rita"], deal["id"])]
    assert len(denied) == 2


def test_audit_readers_and_append_only(world: World, acme: Org, globex: Org) -> None:
    acme.client("rita")
    for who in ("rita", "maria", "ana"):
        problem(world.http.get(AUDIT, headers=acme.h(who)), 403, "forbidden")
    assert world.http.get(AUDIT, headers=acme.h("alice")).status_code == 200
    assert world.http.get(AUDIT, headers=globex.h("alice")).json()["total"] == 0
    event = _events(world, acme)[0]
    for verb in ("put", "patch", "delete"):
        problem(world.http.request(verb, f"{AUDIT}/{event['id']}", headers=acme.h("alice")), 405,
                "method-not-allowed")
        problem(world.http.request(verb, AUDIT, headers=acme.h("alice")), 405, "method-not-allowed")
