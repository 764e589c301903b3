"""Of two concurrent transitions of one deal exactly one succeeds; stale writes never win (contract §4)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from services.common.problems import ProblemError
from services.common.tenancy import TenantId
from services.sales.deal_service import apply_transition
from services.sales.models import Deal
from services.sales.stages import Stage
from tests.platform.sales.support import Org, World


def _race(world: World, org: Org, deal_id: str, targets: tuple[str, str]) -> list[Any]:
    barrier = threading.Barrier(len(targets))
    answers: list[Any] = [None] * len(targets)

    def run(index: int, target: str) -> None:
        headers = org.h("rita")
        barrier.wait()
        answers[index] = world.http.post(f"/api/v1/deals/{deal_id}/transitions", json={"to": target},
                                         headers=headers)

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


@pytest.mark.parametrize("targets", [("won", "lost"), ("won", "won"), ("lost", "lost")])
def test_exactly_one_of_two_concurrent_transitions_wins(world: World, acme: Org, targets: tuple[str, str]) -> None:
    for _ in range(3):
        deal = acme.move(acme.deal("rita"), "qualified", "proposal")
        answers = _race(world, acme, deal["id"], targets)
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 409], [a.text for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        assert loser.json()["type"].endswith("/invalid-transition")
        winner = next(a for a in answers if a.status_code == 200).json()
        final = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()
        assert (final["stage"], final["version"]) == (winner["stage"], deal["version"] + 1)


def test_a_transition_based_on_a_stale_read_is_refused(world: World, acme: Org) -> None:
    """The compare-and-set itself: a deal read before another change cannot be moved."""
    deal_json = acme.move(acme.deal("rita"), "qualified", "proposal")
    db = world.app.state.db
    with db.session() as session:
        stale = session.get(Deal, deal_json["id"])
        assert stale is not None
        session.expunge(stale)
    acme.move(deal_json, "lost")
    with pytest.raises(ProblemError) as caught, db.session() as session:
        session.add(stale)
        apply_transition(session, TenantId(stale.tenant_id), stale, Stage.WON)
    assert (caught.value.status, caught.value.slug) == (409, "invalid-transition")
    final = world.http.get(f"/api/v1/deals/{deal_json['id']}", headers=acme.h("rita")).json()
    assert final["stage"] == "lost"


def test_concurrent_payments_never_overpay(world: World, acme: Org) -> None:
    deal = acme.won_deal("rita", amount="100")
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def pay() -> None:
        headers = acme.h("maria")
        barrier.wait()
        answer = world.http.post(f"/api/v1/deals/{deal['id']}/payments", json={"amount": "40"}, headers=headers)
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 201, 422, 422]
    final = world.http.get(f"/api/v1/deals/{deal['id']}", headers=acme.h("rita")).json()
    assert final["paid_amount"] == "80.00"
