"""Deals: pricing, approval, stage machine, versions/ETags/If-Match, validation (contract §4)."""

from __future__ import annotations

from tests.platform.sales.support import Org, World, codes, problem

URL = "/api/v1/deals"


def test_create_deal_shape_and_pricing(world: World, acme: Org) -> None:
    client = acme.client("rita")
    answer = world.http.post(URL, json={"client_id": client["id"], "title": "Fleet", "amount": "12000",
                                        "discount_percent": "12.5"}, headers=acme.h("rita"))
    assert answer.status_code == 201, answer.text
    deal = answer.json()
    assert set(deal) == {"id", "tenant_id", "client_id", "owner_id", "title", "currency", "amount",
                         "discount_percent", "net_amount", "stage", "approval", "paid_amount", "payment_status",
                         "version", "created_at", "updated_at"}
    assert deal["owner_id"] == acme.users["rita"] and deal["currency"] == "EUR"
    assert (deal["amount"], deal["net_amount"], deal["paid_amount"]) == ("12000.00", "10500.00", "0.00")
    assert (deal["stage"], deal["approval"], deal["payment_status"], deal["version"]) == (
        "lead", "not_required", "unpaid", 1)
    assert answer.headers["etag"] == '"1"'


def test_discount_defaults_to_zero_and_net_is_half_up(world: World, acme: Org) -> None:
    deal = acme.deal("rita", amount="0.15", discount_percent="10")
    assert deal["net_amount"] == "0.14"
    assert acme.deal("rita", amount="100")["discount_percent"] == "0"


def test_jpy_money_has_no_minor_units(world: World) -> None:
    tokyo = world.org(currency="JPY")
    deal = tokyo.deal("rita", amount="1001", discount_percent="50")
    assert (deal["currency"], deal["amount"], deal["net_amount"]) == ("JPY", "1001", "501")
    client = tokyo.client("rita")
    answer = world.http.post(URL, json={"client_id": client["id"], "title": "T", "amount": "10.5"},
                             headers=tokyo.h("rita"))
    assert codes(answer) == {("amount", "too_many_decimals")}


def test_deal_owner_is_the_clients_owner(world: World, acme: Org) -> None:
    client = acme.client("maria", owner_id=acme.users["rita"])
    deal = acme.deal("maria", client=client)
    assert deal["owner_id"] == acme.users["rita"]


def test_amount_rules(world: World, acme: Org) -> None:
    client = acme.client("rita")

    def post(**fields: object) -> object:
        body = {"client_id": client["id"], "title": "T", "amount": "10", **fields}
        return world.http.post(URL, json=body, headers=acme.h("rita"))

    assert codes(post(amount="0")) == {("amount", "out_of_range")}
    assert codes(post(amount="-5")) == {("amount", "out_of_range")}
    assert codes(post(amount="1000000000.01")) == {("amount", "out_of_range")}
    assert post(amount="1000000000").status_code == 201
    assert codes(post(amount=100)) == {("amount", "invalid_type")}
    assert codes(post(amount="1.001")) == {("amount", "too_many_decimals")}
    assert codes(post(discount_percent="100.5")) == {("discount_percent", "out_of_range")}
    assert codes(post(discount_percent=5)) == {("discount_percent", "invalid_type")}
    assert codes(post(title="", amount="0")) == {("title", "blank"), ("amount", "out_of_range")}


def test_owner_id_in_deal_body_is_read_only(world: World, acme: Org) -> None:
    client = acme.client("rita")
    body = {"client_id": client["id"], "title": "T", "amount": "10", "owner_id": acme.users["rita"]}
    assert codes(world.http.post(URL, json=body, headers=acme.h("rita"))) == {("owner_id", "read_only_field")}
    body = {"client_id": client["id"], "title": "T", "amount": "10", "stage": "won", "version": 3}
    assert codes(world.http.post(URL, json=body, headers=acme.h("rita"))) == {
        ("stage", "read_only_field"), ("version", "read_only_field")}


def test_unknown_or_foreign_client_is_unknown_reference(world: World, acme: Org, globex: Org) -> None:
    foreign = globex.client("rita")
    for client_id in (foreign["id"], "00000000-0000-4000-8000-000000000000"):
        answer = world.http.post(URL, json={"client_id": client_id, "title": "T", "amount": "10"},
                                 headers=acme.h("alice"))
        assert codes(answer) == {("client_id", "unknown_reference")}


def test_rep_cannot_open_deal_on_anothers_client(world: World, acme: Org) -> None:
    client = acme.client("ravi")
    answer = world.http.post(URL, json={"client_id": client["id"], "title": "T", "amount": "10"},
                             headers=acme.h("rita"))
    problem(answer, 403, "forbidden")


def test_approval_pending_above_threshold(world: World) -> None:
    org = world.org(threshold="15")
    assert org.deal("rita", discount_percent="15")["approval"] == "not_required"
    assert org.deal("rita", discount_percent="15.01")["approval"] == "pending"
    default = world.org()
    assert default.deal("rita", discount_percent="20")["approval"] == "not_required"
    assert default.deal("rita", discount_percent="21")["approval"] == "pending"


def test_stage_machine(world: World, acme: Org) -> None:
    deal = acme.deal("rita")
    url = f"{URL}/{deal['id']}/transitions"
    problem(world.http.post(url, json={"to": "proposal"}, headers=acme.h("rita")), 409, "invalid-transition")
    problem(world.http.post(url, json={"to": "won"}, headers=acme.h("rita")), 409, "invalid-transition")
    deal = acme.move(deal, "qualified", "proposal", "won")
    assert (deal["stage"], deal["version"]) == ("won", 4)
    for target in ("lost", "proposal", "lead"):
        problem(world.http.post(url, json={"to": target}, headers=acme.h("rita")), 409, "invalid-transition")
    assert codes(world.http.post(url, json={"to": "closed"}, headers=acme.h("rita"))) == {("to", "invalid_choice")}


def test_open_stages_may_be_lost_and_lost_is_final(world: World, acme: Org) -> None:
    for path in ((), ("qualified",), ("qualified", "proposal")):
        deal = acme.move(acme.deal("rita"), *path, "lost")
        assert deal["stage"] == "lost"
        answer = world.http.post(f"{URL}/{deal['id']}/transitions", json={"to": "won"}, headers=acme.h("rita"))
        problem(answer, 409, "invalid-transition")


def test_won_requires_approval(world: World, acme: Org) -> None:
    deal = acme.move(acme.deal("rita", discount_percent="30"), "qualified", "proposal")
    url = f"{URL}/{deal['id']}/transitions"
    problem(world.http.post(url, json={"to": "won"}, headers=acme.h("rita")), 409, "approval-required")
    rejected = world.http.post(f"{URL}/{deal['id']}/approval", json={"decision": "reject"}, headers=acme.h("maria"))
    assert rejected.json()["approval"] == "rejected"
    problem(world.http.post(url, json={"to": "won"}, headers=acme.h("rita")), 409, "approval-required")


def test_approval_by_manager_not_owner(world: World, acme: Org) -> None:
    deal = acme.deal("rita", discount_percent="30")
    url = f"{URL}/{deal['id']}/approval"
    problem(world.http.post(url, json={"decision": "approve"}, headers=acme.h("rita")), 403, "forbidden")
    problem(world.http.post(url, json={"decision": "approve"}, headers=acme.h("otto")), 403, "forbidden")
    problem(world.http.post(url, json={"decision": "approve"}, headers=acme.h("ana")), 403, "forbidden")
    assert codes(world.http.post(url, json={"decision": "maybe"}, headers=acme.h("maria"))) == {
        ("decision", "invalid_choice")}
    answer = world.http.post(url, json={"decision": "approve", "comment": "ok"}, headers=acme.h("maria"))
    assert answer.status_code == 200
    assert (answer.json()["approval"], answer.json()["version"]) == ("approved", 2)
    assert answer.headers["etag"] == '"2"'
    problem(world.http.post(url, json={"decision": "reject"}, headers=acme.h("alice")), 409, "invalid-state")
    won = acme.move(answer.json(), "qualified", "proposal", "won")
    assert won["stage"] == "won"


def test_owner_who_is_manager_cannot_approve_own_deal(world: World, acme: Org) -> None:
    deal = acme.deal("maria", discount_percent="30")
    url = f"{URL}/{deal['id']}/approval"
    problem(world.http.post(url, json={"decision": "approve"}, headers=acme.h("maria")), 403, "forbidden")
    assert world.http.post(url, json={"decision": "approve"}, headers=acme.h("mark")).status_code == 200


def test_approval_not_pending_is_invalid_state(world: World, acme: Org) -> None:
    deal = acme.deal("rita")
    answer = world.http.post(f"{URL}/{deal['id']}/approval", json={"decision": "approve"}, headers=acme.h("maria"))
    problem(answer, 409, "invalid-state")


def test_patch_bumps_version_and_reprices(world: World, acme: Org) -> None:
    deal = acme.deal("rita", amount="1000")
    url = f"{URL}/{deal['id']}"
    answer = world.http.patch(url, json={"amount": "2000", "title": "Bigger"}, headers=acme.h("rita"))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["amount"], body["net_amount"], body["title"], body["version"]) == ("2000.00", "2000.00", "Bigger", 2)
    assert answer.headers["etag"] == '"2"'
    raised = world.http.patch(url, json={"discount_percent": "25"}, headers=acme.h("rita")).json()
    assert (raised["approval"], raised["net_amount"], raised["version"]) == ("pending", "1500.00", 3)
    approved = world.http.post(f"{url}/approval", json={"decision": "approve"}, headers=acme.h("maria")).json()
    assert approved["approval"] == "approved"
    again = world.http.patch(url, json={"discount_percent": "40"}, headers=acme.h("rita")).json()
    assert again["approval"] == "pending"


def test_patch_validation_and_read_only_fields(world: World, acme: Org) -> None:
    deal = acme.deal("rita")
    url = f"{URL}/{deal['id']}"
    assert codes(world.http.patch(url, json={"stage": "won"}, headers=acme.h("rita"))) == {("stage", "read_only_field")}
    assert codes(world.http.patch(url, json={"owner_id": "x"}, headers=acme.h("alice"))) == {
        ("owner_id", "read_only_field")}
    assert codes(world.http.patch(url, json={"amount": "0"}, headers=acme.h("rita"))) == {("amount", "out_of_range")}
    assert codes(world.http.patch(url, json={"amount": None}, headers=acme.h("rita"))) == {("amount", "invalid_type")}


def test_only_open_deals_can_be_patched(world: World, acme: Org) -> None:
    for path in (("lost",), ("qualified", "proposal", "won")):
        deal = acme.move(acme.deal("rita"), *path)
        answer = world.http.patch(f"{URL}/{deal['id']}", json={"title": "New"}, headers=acme.h("rita"))
        problem(answer, 409, "invalid-state")


def test_if_match(world: World, acme: Org) -> None:
    deal = acme.deal("rita")
    url = f"{URL}/{deal['id']}"
    problem(world.http.patch(url, json={"title": "A"}, headers=acme.h("rita", **{"If-Match": '"7"'})),
            412, "precondition-failed")
    answer = world.http.patch(url, json={"title": "A"}, headers=acme.h("rita", **{"If-Match": '"1"'}))
    assert answer.status_code == 200 and answer.headers["etag"] == '"2"'
    stale = acme.h("rita", **{"If-Match": '"1"'})
    problem(world.http.post(f"{url}/transitions", json={"to": "qualified"}, headers=stale), 412, "precondition-failed")
    fresh = acme.h("rita", **{"If-Match": answer.headers["etag"]})
    moved = world.http.post(f"{url}/transitions", json={"to": "qualified"}, headers=fresh)
    assert moved.status_code == 200 and moved.headers["etag"] == '"3"'
    read = world.http.get(url, headers=acme.h("rita"))
    assert read.headers["etag"] == '"3"' and read.json()["version"] == 3


def test_list_filters_and_rep_scope(world: World, acme: Org) -> None:
    mine = acme.deal("rita")
    acme.move(acme.deal("rita"), "qualified")
    acme.deal("ravi")
    rita = world.http.get(URL, headers=acme.h("rita")).json()
    assert rita["total"] == 2
    assert {d["owner_id"] for d in rita["items"]} == {acme.users["rita"]}
    leads = world.http.get(URL, params={"stage": "lead"}, headers=acme.h("rita")).json()
    assert [d["id"] for d in leads["items"]] == [mine["id"]]
    other = world.http.get(URL, params={"owner_id": acme.users["ravi"]}, headers=acme.h("rita")).json()
    assert other["total"] == 0
    assert world.http.get(URL, headers=acme.h("maria")).json()["total"] == 3
    assert world.http.get(URL, params={"owner_id": acme.users["ravi"]}, headers=acme.h("alice")).json()["total"] == 1
    problem(world.http.get(URL, params={"stage": "nope"}, headers=acme.h("maria")), 422, "validation-failed")


def test_rep_cannot_touch_anothers_deal(world: World, acme: Org) -> None:
    deal = acme.deal("ravi")
    url = f"{URL}/{deal['id']}"
    problem(world.http.get(url, headers=acme.h("rita")), 403, "forbidden")
    problem(world.http.patch(url, json={"title": "x"}, headers=acme.h("rita")), 403, "forbidden")
    problem(world.http.post(f"{url}/transitions", json={"to": "lost"}, headers=acme.h("rita")), 403, "forbidden")
    assert world.http.post(f"{url}/transitions", json={"to": "qualified"}, headers=acme.h("maria")).status_code == 200
