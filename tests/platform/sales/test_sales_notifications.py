"""Notifications: who gets which, current roles decide, per-user read state (contract §4)."""

from __future__ import annotations

from tests.platform.sales.support import Org, World, problem

URL = "/api/v1/notifications"


def _types(world: World, org: Org, who: str, **params: str) -> list[tuple[str, str]]:
    answer = world.http.get(URL, params=params, headers=org.h(who))
    assert answer.status_code == 200, answer.text
    return [(n["type"], n["deal_id"]) for n in answer.json()["items"]]


def test_approval_requested_goes_to_every_manager(world: World, acme: Org) -> None:
    deal = acme.deal("rita", discount_percent="30")
    for who in ("maria", "mark"):
        assert _types(world, acme, who) == [("approval_requested", deal["id"])]
    for who in ("rita", "ravi", "alice", "otto"):
        assert _types(world, acme, who) == []


def test_approval_decided_goes_to_owner(world: World, acme: Org) -> None:
    deal = acme.deal("rita", discount_percent="30")
    world.http.post(f"/api/v1/deals/{deal['id']}/approval", json={"decision": "approve"}, headers=acme.h("maria"))
    assert _types(world, acme, "rita") == [("approval_decided", deal["id"])]
    assert _types(world, acme, "ravi") == []


def test_deal_won_goes_to_owner_and_managers_once(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita")
    assert _types(world, acme, "rita") == [("deal_won", deal["id"])]
    assert _types(world, acme, "maria") == [("deal_won", deal["id"])]
    own = acme.won_deal("maria")
    assert _types(world, acme, "maria") == [("deal_won", deal["id"]), ("deal_won", own["id"])]
    assert _types(world, acme, "alice") == []


def test_payment_received_goes_to_owner(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita")
    world.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": "1"}, headers=acme.h("maria"))
    assert _types(world, acme, "rita") == [("deal_won", deal["id"]), ("payment_received", deal["id"])]
    assert ("payment_received", deal["id"]) not in _types(world, acme, "maria")


def test_notice_shape_read_state_and_unread_filter(world: World, acme: Org) -> None:
    acme.deal("rita", discount_percent="30")
    acme.deal("rita", discount_percent="40")
    items = world.http.get(URL, headers=acme.h("maria")).json()["items"]
    assert set(items[0]) == {"id", "type", "deal_id", "created_at", "read"}
    assert [n["read"] for n in items] == [False, False]
    answer = world.http.post(f"{URL}/{items[0]['id']}/read", headers=acme.h("maria"))
    assert answer.status_code == 204 and answer.content == b""
    assert world.http.post(f"{URL}/{items[0]['id']}/read", headers=acme.h("maria")).status_code == 204
    assert [n["read"] for n in world.http.get(URL, headers=acme.h("maria")).json()["items"]] == [True, False]
    unread = world.http.get(URL, params={"unread": "true"}, headers=acme.h("maria")).json()
    assert [n["id"] for n in unread["items"]] == [items[1]["id"]] and unread["total"] == 1
    # Mark's read state is his own.
    assert [n["read"] for n in world.http.get(URL, headers=acme.h("mark")).json()["items"]] == [False, False]


def test_read_of_a_notice_not_visible_is_404(world: World, acme: Org, globex: Org) -> None:
    acme.deal("rita", discount_percent="30")
    notice = world.http.get(URL, headers=acme.h("maria")).json()["items"][0]
    for org, who in ((acme, "rita"), (acme, "alice"), (globex, "maria")):
        problem(world.http.post(f"{URL}/{notice['id']}/read", headers=org.h(who)), 404, "not-found")
    problem(world.http.post(f"{URL}/nope/read", headers=acme.h("maria")), 404, "not-found")


def test_current_roles_decide(world: World, acme: Org) -> None:
    acme.deal("rita", discount_percent="30")
    world.identity.users[acme.users["ravi"]]["roles"] = ["sales_manager"]
    assert [t for t, _ in _types(world, acme, "ravi")] == ["approval_requested"]
    world.identity.users[acme.users["maria"]]["roles"] = ["sales_rep"]
    assert _types(world, acme, "maria") == []


def test_who_may_call(world: World, acme: Org) -> None:
    problem(world.http.get(URL, headers=acme.h("ana")), 403, "forbidden")
    acme.deal("rita", discount_percent="30")
    notice = world.http.get(URL, headers=acme.h("maria")).json()["items"][0]
    problem(world.http.post(f"{URL}/{notice['id']}/read", headers=acme.h("otto")), 403, "forbidden")
    problem(world.http.post(f"{URL}/{notice['id']}/read", headers=acme.h("ana")), 403, "forbidden")
