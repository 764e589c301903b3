"""The sales tasks against a small in-memory sales service behind httpx.MockTransport (no services needed)."""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hamcrest import assert_that, has_entries

from support.data.secret import Secret
from support.drivers.base import UnexpectedAnswer
from support.http.client import make_client
from support.phrases import sales as phrases
from support.runner.config import Timeouts
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import persona
from support.screenplay.world import World
from support.tasks import sales, sales_payments, sales_reports

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
NEXT = {"lead": {"qualified", "lost"}, "qualified": {"proposal", "lost"}, "proposal": {"won", "lost"}}
PROBLEM = "https://problems.platform.example/"


def problem(status: int, slug: str) -> httpx.Response:
    return httpx.Response(status, json={"type": PROBLEM + slug, "title": slug, "status": status, "detail": slug},
                          headers={"Content-Type": "application/problem+json"})


class FakeSales:
    """Clients, deals with stages and versions, payments and notifications; every request is kept."""

    def __init__(self) -> None:
        self.ids = (f"id-{n}" for n in itertools.count(1))
        self.clients: dict[str, dict[str, Any]] = {}
        self.deals: dict[str, dict[str, Any]] = {}
        self.payments: list[dict[str, Any]] = []
        self.notices: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []
        self.notice_after_looks = 0  # a notification appears only after this many looks

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = json.loads(request.content) if request.content else {}
        route = f"{request.method} {re.sub(r'id-[0-9]+', '{id}', request.url.path)}"
        found = re.findall(r"id-[0-9]+", request.url.path)
        handler = getattr(self, "_" + re.sub(r"\W+", "_", route).strip("_").lower(), None)
        return handler(body, *found, request=request) if handler else problem(404, "not-found")

    def _post_api_v1_clients(self, body: dict[str, Any], *, request: httpx.Request) -> httpx.Response:
        client = {"id": next(self.ids), "owner_id": "u-rita", **body}
        self.clients[client["id"]] = client
        return httpx.Response(201, json=client)

    def _get_api_v1_clients_id(self, body: dict[str, Any], client_id: str, *,
                               request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=self.clients[client_id])

    def _post_api_v1_deals(self, body: dict[str, Any], *, request: httpx.Request) -> httpx.Response:
        if "owner_id" in body:
            return problem(422, "validation-failed")
        deal = {"id": next(self.ids), "stage": "lead", "version": 1, "title": body["title"], "paid_amount": "0.00",
                "client_id": body["client_id"], "amount": body["amount"], "owner_id": "u-rita"}
        self.deals[deal["id"]] = deal
        return self._deal(deal, 201)

    def _get_api_v1_deals_id(self, body: dict[str, Any], deal_id: str, *, request: httpx.Request) -> httpx.Response:
        return self._deal(self.deals[deal_id])

    def _get_api_v1_deals(self, body: dict[str, Any], *, request: httpx.Request) -> httpx.Response:
        items = list(self.deals.values())
        return httpx.Response(200, json={"items": items, "page": 1, "page_size": 100, "total": len(items)})

    def _patch_api_v1_deals_id(self, body: dict[str, Any], deal_id: str, *, request: httpx.Request) -> httpx.Response:
        deal = self.deals[deal_id]
        if request.headers.get("If-Match", f'"{deal["version"]}"') != f'"{deal["version"]}"':
            return problem(412, "precondition-failed")
        deal.update(body, version=deal["version"] + 1)
        return self._deal(deal)

    def _post_api_v1_deals_id_transitions(self, body: dict[str, Any], deal_id: str, *,
                                          request: httpx.Request) -> httpx.Response:
        deal = self.deals[deal_id]
        if body["to"] not in NEXT.get(deal["stage"], set()):
            return problem(409, "invalid-transition")
        deal.update(stage=body["to"], version=deal["version"] + 1)
        return self._deal(deal)

    def _post_api_v1_deals_id_payments(self, body: dict[str, Any], deal_id: str, *,
                                       request: httpx.Request) -> httpx.Response:
        payment = {"id": next(self.ids), "deal_id": deal_id, "amount": body["amount"]}
        self.payments.append(payment)
        self.deals[deal_id]["version"] += 1
        return httpx.Response(201, json=payment)

    def _get_api_v1_notifications(self, body: dict[str, Any], *, request: httpx.Request) -> httpx.Response:
        self.notice_after_looks -= 1
        items = self.notices if self.notice_after_looks < 0 else []
        return httpx.Response(200, json={"items": items, "page": 1, "page_size": 100, "total": len(items)})

    @staticmethod
    def _deal(deal: dict[str, Any], status: int = 200) -> httpx.Response:
        return httpx.Response(status, json=deal, headers={"ETag": f'"{deal["version"]}"'})


def fake_identity(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "AT", "refresh_token": "RT", "expires_in": 900})


@pytest.fixture
def fake() -> FakeSales:
    return FakeSales()


@pytest.fixture
def world(fake: FakeSales) -> World:
    """A world whose Rita and Maria talk to the fake sales service (Rita's user id is u-rita)."""
    scenario = World(config=None, seed=7)  # type: ignore[arg-type]  # no platform: its actors are made here
    tenant = Tenant(name="Acme", slug="acme-1", id="t1", currency="EUR", plan="growth")
    for name, user_id in (("Rita", "u-rita"), ("Maria", "u-maria")):
        def factory(service: str, auth: httpx.Auth | None) -> httpx.Client:
            handler = fake if service == "sales" else fake_identity
            return make_client("http://platform.test", service=service, timeouts=TIMEOUTS, auth=auth,
                               transport=httpx.MockTransport(handler))
        scenario.actors[name] = Actor(persona(name), tenant, f"{name.lower()}@acme-1.example.com",
                                      Secret("a long secret passphrase"), factory, user_id=user_id)
    return scenario


def test_a_new_deal_is_remembered_by_its_owner_under_the_key_tenancy_still_reads(world: World) -> None:
    rita = world.actor("Rita")
    deal = sales.open_deal(world, rita, "1000.00")
    assert rita.recall(sales.DEAL) is deal and world.it(sales.DEAL) is deal and world.it(sales.DEAL_OWNER) is rita
    assert world.it(sales.DEAL) is deal


def test_a_must_raises_on_a_refusal_and_an_attempt_keeps_the_answer(world: World) -> None:
    rita = world.actor("Rita")
    deal = sales.open_deal(world, rita, "1000.00")
    with pytest.raises(UnexpectedAnswer, match="409"):
        sales.move(world, rita, ["won"], must=True)
    sales.move(world, rita, ["won"], must=False)
    assert [answer.status_code for answer in sales.attempts_of(rita)] == [409]
    sales.move(world, rita, ["qualified"], must=True)
    assert world.it(sales.DEAL).stage == "qualified" and rita.recall(sales.DEAL).id == deal.id


def test_judging_attempts_before_any_was_made_says_so(world: World) -> None:
    with pytest.raises(AssertionError, match="Rita has not tried anything yet"):
        sales.attempts_of(world.actor("Rita"))


def test_each_tried_move_starts_from_a_deal_brought_to_its_stage(world: World, fake: FakeSales) -> None:
    rita = world.actor("Rita")
    sales.try_moves(world, rita, [("lead", "won"), ("won", "lost"), ("lost", "lead")])
    tried = [(move.from_stage, now.stage, move.answer.status_code) for move, now in sales.moves_now(world)]
    assert tried == [("lead", "lead", 409), ("won", "won", 409), ("lost", "lost", 409)]
    assert world.it(sales.MOVES)[1].label == "the move from won to lost"


def test_meddling_tries_each_named_thing_with_the_owners_records(world: World, fake: FakeSales) -> None:
    rita, maria = world.actor("Rita"), world.actor("Maria")
    sales.client_with(world, rita, "Northwind Traders", "open")
    sales.meddle(world, maria, rita, ["rename his deal", "move his deal to lost"])
    tried = [f"{request.method} {request.url.path}" for request in fake.requests[-2:]]
    deal_id = rita.recall(sales.DEAL).id
    assert tried == [f"PATCH /api/v1/deals/{deal_id}", f"POST /api/v1/deals/{deal_id}/transitions"]
    with pytest.raises(AssertionError, match='"sell his deal" is not something this suite can try'):
        sales.meddle(world, maria, rita, ["sell his deal"])


def test_a_stale_reading_is_an_attempt_and_the_latest_reading_goes_through(world: World) -> None:
    rita, maria = world.actor("Rita"), world.actor("Maria")
    sales.open_deal(world, rita, "40000.00", title="Harbour cranes")
    sales.rename(world, maria, "Harbour cranes, phase 1")
    sales.rename_on_reading(world, rita, "All phases", latest=False)
    assert rita.last_answer.status_code == 412 and rita.last_answer.request.headers["If-Match"] == '"1"'
    sales.move_on_reading(world, rita, "qualified", latest=True, must=True)
    assert rita.sales.last_response.request.headers["If-Match"] == '"2"'
    assert world.it(sales.DEAL).stage == "qualified"


def test_changes_keep_each_version_step_and_the_answers_that_told_the_version(world: World) -> None:
    rita = world.actor("Rita")
    sales.open_deal(world, rita, "10000.00")
    sales.make_changes(world, [("Rita", 'renames it "Wind farm"'), ("Rita", "moves it to qualified"),
                               ("Maria", "records a payment of 1,000.00")])
    changes = world.it(sales.CHANGES)
    assert [(change.before, change.after) for change in changes] == [(1, 2), (2, 3), (3, 4)]
    assert [len(change.answers) for change in changes] == [3, 3, 2]  # a payment answer is not a deal answer
    with pytest.raises(AssertionError, match='"sells it" is not a change this suite knows'):
        sales.change_maker("sells it")


def test_recorded_payments_are_mentioned_in_order_and_refused_ones_are_not(world: World, fake: FakeSales) -> None:
    rita, maria = world.actor("Rita"), world.actor("Maria")
    sales.open_deal(world, rita, "1000.00")
    sales_payments.record(world, [maria], "600.00", must=True, reference="bank-1")
    sales_payments.record(world, [maria], 100, must=False)
    assert [payment.amount for payment in sales_payments.payments(world)] == ["600.00"]
    assert fake.requests[-2].headers["Idempotency-Key"] == "bank-1" and json.loads(fake.requests[-1].content) == {
        "amount": 100}


def test_notices_are_awaited_together_until_two_seconds_and_the_allowance(world: World, fake: FakeSales,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rita = world.actor("Rita")
    deal = sales.open_deal(world, rita, "1000.00")
    fake.notices = [{"id": "n1", "type": "deal_won", "deal_id": deal.id, "created_at": "x", "read": False}]
    fake.notice_after_looks = 2
    [found] = sales_reports.await_notices(world, [rita], "deal_won")
    assert [notice.id for notice in found] == ["n1"] and world.it(sales_reports.NOTICE).id == "n1"
    monkeypatch.setattr(sales_reports, "NOTICE_WITHIN_S", 0.1)
    fake.notice_after_looks = 10_000
    with pytest.raises(AssertionError, match=r"Waited 0\.6 s for Rita to be told 'deal_won' within"):
        sales_reports.await_notices(world, [rita], "deal_won")


def test_a_race_releases_both_calls_together_and_keeps_both_answers(world: World) -> None:
    rita, maria = world.actor("Rita"), world.actor("Maria")
    sales.deal_at(world, rita, "qualified")
    sales.race(world, [maria, rita], "proposal")
    assert sorted(answer.status_code for answer in world.it(sales.RACE)) == [200, 409]
    assert world.it(sales.VERSION_BEFORE) == 2  # lead (1) -> qualified (2)


def test_a_client_is_expected_with_every_field_of_the_contract(world: World) -> None:
    rita = world.actor("Rita")
    sales.add_client(world, rita, "Northwind Traders", country="DE")
    expected = sales.client_expected(rita, "Northwind Traders", None)
    assert set(sales.CLIENT_FIELDS) <= set(expected) and expected["country"] == "DE"
    assert_that({**dict.fromkeys(sales.CLIENT_FIELDS, "x"), "name": "Northwind Traders", "country": "DE",
                 "owner_id": "u-rita", "tenant_id": "t1"}, has_entries(expected))


def test_words_of_the_features_become_the_contracts_values() -> None:
    assert phrases.quoted('"0.00", "-1.00" and "1000000000.01"') == ["0.00", "-1.00", "1000000000.01"]
    assert sales_payments.received_moment("31 March 2024 23:59:59 UTC") == "2024-03-31T23:59:59Z"
    assert (sales.percent("20.01 %"), sales.rate_of("7 %"), sales.plain("2,000.50")) == (
        "20.01", Decimal("0.07"), "2000.50")
    assert phrases.DECISIONS["each try to approve"] == ("approve", False) and phrases.READINGS["her latest reading"]
    convert = phrases.TYPES["SalesRefusal"]
    assert convert("as an overpayment") is phrases.REFUSALS["as an overpayment"]
    assert re.fullmatch(phrases.TYPES["SalesPeople"].pattern, "Rita, Ravi and Otto")
    assert phrases.TYPES["SalesPeople"]("Rita, Ravi and Otto") == ["Rita", "Ravi", "Otto"]
