"""Durability of every kind of confirmed change (contract §1): made and confirmed, the service crashes, and after
its restart the change is still in force, read back as the people concerned see it.

Each kind of change is one `Change`: `make` does it (a 2xx answer is its confirmation) and returns what was
confirmed, as the facts that must hold afterwards; `now` reads the same facts again after the restart. The
crash itself and the restart are the runner's (`support/runner/faults.py`, always undone).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from support.runner.faults import crash, managed
from support.screenplay.notes import Note
from support.screenplay.world import World
from support.tasks import auth
from support.tasks import sales as deals

READINGS = [[20.0 + (index % 7) / 10, 100 + index % 5] for index in range(40)] + [[95.0, 180]]
CHECKED_ROWS = [{"temperature": 21.0, "pressure": 102}, {"temperature": 90.0, "pressure": 175}]
PAYMENT = "400.00"
DEAL_AMOUNT = "1000.00"
Facts = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One kind of change: which service keeps it, how it is made (its facts as confirmed) and read again."""

    service: str
    make: Callable[[World], Facts]
    now: Callable[[World, Facts], Facts]


@dataclass(frozen=True)
class Confirmed:
    change: str
    facts: Facts


CONFIRMED: Note[Confirmed] = Note("change confirmed just before a crash")
REPEATED: Note[httpx.Response] = Note("the payment sent again with the same key")


def money(value: Any) -> Any:
    """An amount as a number, so "400.0" and "400.00" read alike (anything else is kept as it is)."""
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value


# -- sales -------------------------------------------------------------------------------------------------------
def deal_moved_on(world: World) -> Facts:
    rita = world.person("Rita")
    deal = deals.open_deal(world, rita, DEAL_AMOUNT)
    moved = rita.sales.transition(deal.id, "qualified")
    return {"deal": deal.id, "stage": moved.stage, "version": moved.version}


def deal_now(world: World, confirmed: Facts) -> Facts:
    """Rita's deal as she reads it now: the same facts as were confirmed (its stage or approval, its version)."""
    deal = world.person("Rita").sales.get_deal(confirmed["deal"])
    return {fact: deal.id if fact == "deal" else getattr(deal, fact) for fact in confirmed}


def approval_decided(world: World) -> Facts:
    rita, maria = world.person("Rita"), world.person("Maria")
    deal = deals.open_deal(world, rita, DEAL_AMOUNT, discount="30.00")
    if deal.approval != "pending":
        raise AssertionError(f"Rita's deal at 30 % off was opened with approval {deal.approval!r}, not 'pending' "
                             "(the default threshold is 20 %)")
    decided = maria.sales.decide_approval(deal.id, "approve")
    return {"deal": deal.id, "approval": decided.approval, "version": decided.version}


def payment_recorded(world: World) -> Facts:
    rita, maria = world.person("Rita"), world.person("Maria")
    deal = deals.deal_at(world, rita, "won", DEAL_AMOUNT)
    key = f"durability-{uuid.uuid4()}"
    payment = maria.sales.record_payment(deal.id, PAYMENT, idempotency_key=key)
    after = maria.sales.get_deal(deal.id)
    return {"deal": deal.id, "key": key, "payments": [payment.id], "paid_amount": money(after.paid_amount),
            "payment_status": after.payment_status, "version": after.version}


def payment_now(world: World, confirmed: Facts) -> Facts:
    maria = world.person("Maria")
    deal = maria.sales.get_deal(confirmed["deal"])
    paid = maria.sales.list_payments(confirmed["deal"])
    return {"deal": deal.id, "key": confirmed["key"], "payments": [payment.id for payment in paid.items],
            "paid_amount": money(deal.paid_amount), "payment_status": deal.payment_status, "version": deal.version}


def repeat_payment(world: World) -> httpx.Response:
    """Maria sends the confirmed payment again, same deal, same amount, same key."""
    confirmed, maria = world.it(CONFIRMED).facts, world.person("Maria")
    answer = maria.tries_to(maria.sales.record_payment, confirmed["deal"], PAYMENT, idempotency_key=confirmed["key"])
    return world.mention(REPEATED, answer)


def repeat_faults(world: World, amount: str) -> list[str]:
    """The repeat must replay the first answer (201, the same payment) and the deal must still hold that one
    payment, of `amount` in all."""
    confirmed, answer = world.it(CONFIRMED).facts, world.it(REPEATED)
    found = [] if confirmed["paid_amount"] == money(amount) else [
        f"the deal was confirmed with {confirmed['paid_amount']} paid, not {amount}"]
    body = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
    if answer.status_code != 201 or not isinstance(body, dict) or body.get("id") != confirmed["payments"][0]:
        found.append(f"the repeat answered {answer.status_code} {answer.text[:200]}, not the first payment "
                     f"{confirmed['payments'][0]} again")
    found += differences(confirmed, payment_now(world, confirmed))
    return found


# -- identity ----------------------------------------------------------------------------------------------------
def colleague_deactivated(world: World) -> Facts:
    alice, ravi = world.person("Alice"), world.person("Ravi")
    ravi.sign_in()
    auth.deactivate(alice, ravi)
    return {"active": False, "sign-in": 401, "his pass at identity": 401}


def deactivated_now(world: World, _confirmed: Facts) -> Facts:
    alice, ravi = world.person("Alice"), world.person("Ravi")
    return {"active": alice.identity.get_user(ravi.own_id()).active,
            "sign-in": auth.tries_own_sign_in(ravi).status_code,
            "his pass at identity": ravi.tries_to(ravi.identity.me).status_code}


def password_changed(world: World) -> Facts:
    ravi = world.person("Ravi")
    auth.change_password(world, ravi)
    return {"sign-in with the new password": 200, "sign-in with the old password": 401}


def password_now(world: World, _confirmed: Facts) -> Facts:
    ravi = world.person("Ravi")
    old = auth.tries_own_sign_in(ravi, ravi.recall(auth.OLD_PASSWORD)).status_code
    return {"sign-in with the new password": auth.tries_own_sign_in(ravi).status_code,
            "sign-in with the old password": old}


# -- anomaly -----------------------------------------------------------------------------------------------------
def detector_trained(world: World) -> Facts:
    ana = world.person("Ana")
    dataset = ana.anomaly.create_dataset("Night shift readings", columns=["temperature", "pressure"], rows=READINGS)
    detector = ana.anomaly.create_detector("Night shift watch", algorithm="robust_zscore",
                                           features=["temperature", "pressure"])
    started = ana.anomaly.start_training(detector.id, dataset.id)
    job = ana.anomaly.wait_for_job(str(started.job_id))
    if job.status != "succeeded":
        raise AssertionError(f"Ana's training job ended {job.status}: {job.error}")
    return detector_facts(world, detector.id)


def detector_facts(world: World, detector_id: str, _confirmed: Facts | None = None) -> Facts:
    """The detector as Ana reads it, and what its current version says of two readings."""
    ana = world.person("Ana")
    detector = ana.anomaly.get_detector(detector_id)
    answer = ana.tries_to(ana.anomaly.detect_rows, detector_id, CHECKED_ROWS)
    verdict: Any = f"{answer.status_code} {answer.text[:200]}"
    if answer.status_code == 200:
        detection = answer.json()
        verdict = {"version": detection.get("detector_version"),
                   "results": [(row.get("score"), row.get("is_anomaly")) for row in detection.get("results", [])]}
    return {"detector": detector.id, "status": detector.status, "version": detector.version,
            "trained_at": detector.body.get("trained_at"), "training_rows": detector.body.get("training_rows"),
            "detection": verdict}


CHANGES: dict[str, Change] = {
    "Rita's deal moved on from lead to qualified": Change("sales", deal_moved_on, deal_now),
    "Maria's approval of Rita's deal at 30 % off": Change("sales", approval_decided, deal_now),
    f"Maria's payment of {PAYMENT} on Rita's won deal": Change("sales", payment_recorded, payment_now),
    "Alice's deactivation of Ravi": Change("identity", colleague_deactivated, deactivated_now),
    "Ravi's change of his password": Change("identity", password_changed, password_now),
    "Ana's detector trained on her night shift readings": Change(
        "anomaly", detector_trained, lambda world, facts: detector_facts(world, facts["detector"])),
}


def confirm_then_crash(world: World, change: str, service: str) -> Confirmed:
    """Make the change (every call answered 2xx), then kill `service` at once (SIGKILL; restarted later)."""
    kind = CHANGES[change]
    if kind.service != service:
        raise AssertionError(f"{change!r} is kept by the {kind.service} service, not by {service}")
    managed(world)  # refuses with the reason on a deployment the suite cannot crash
    confirmed = world.mention(CONFIRMED, Confirmed(change, kind.make(world)))
    crash(world, service)
    return confirmed


def still_in_force(world: World) -> list[str]:
    """What differs between the change as confirmed and as read after the restart."""
    confirmed = world.it(CONFIRMED)
    return differences(confirmed.facts, CHANGES[confirmed.change].now(world, confirmed.facts))


def differences(confirmed: Facts, now: Facts) -> list[str]:
    return [f"{fact}: confirmed {confirmed[fact]!r}, now {now.get(fact)!r}"
            for fact in confirmed if now.get(fact) != confirmed[fact]]
