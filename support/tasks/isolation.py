"""Tenant isolation (contract §2: another tenant's resource answers like one that never existed).

A `Record` is something one tenant owns (a client, a deal, a dataset, ...). For each kind the
module knows how its owner creates it, everything an intruder can try with it, and how the owner
checks that it is just as it was. Each attempt is made twice, with the real id and with an id that
was never handed out, so the two answers can be compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from support.data.builders import ghost_id_like
from support.screenplay.actor import Actor
from support.screenplay.world import World

JSON = dict[str, Any]
FEATURES = ["x", "y"]
DEAL_AMOUNT = "12000.00"
RECORD_KINDS = ("client", "deal", "deal's payment list", "dataset", "detector",
                "training job", "member of staff")


@dataclass
class Record:
    kind: str
    owner: Actor
    id: str
    before: JSON = field(default_factory=dict)


def small_table(rows: int = 24) -> tuple[list[str], list[list[Any]]]:
    """A tiny numeric table with a 0/1 label column (the last row is the odd one out)."""
    table = [[float(i % 5), float((i * 3) % 7), 0] for i in range(rows - 1)]
    table.append([40.0, 40.0, 1])
    return [*FEATURES, "label"], table


def _dataset(actor: Actor, name: str) -> JSON:
    columns, rows = small_table()
    return actor.anomaly.create_dataset(name, columns=columns, rows=rows)


def _detector(actor: Actor, name: str) -> JSON:
    return actor.anomaly.create_detector(name, algorithm="robust_zscore", features=list(FEATURES))


def create(world: World, kind: str) -> Record:
    """Acme's record of `kind`, made by the member of staff whose work it is."""
    if kind == "client":
        rita = world.actor("Rita")
        client = rita.sales.create_client(**vars(world.build.client()))
        return Record(kind, rita, str(client["id"]), client)
    if kind in ("deal", "deal's payment list"):
        rita = world.actor("Rita")
        client = rita.sales.create_client(**vars(world.build.client()))
        deal = rita.sales.create_deal(client_id=client["id"], title=world.build.deal_title(), amount=DEAL_AMOUNT)
        return Record(kind, rita, str(deal["id"]), deal)
    if kind == "dataset":
        ana = world.actor("Ana")
        dataset = _dataset(ana, "Line 3 pressure")
        return Record(kind, ana, str(dataset["id"]), dataset)
    if kind == "detector":
        ana = world.actor("Ana")
        detector = _detector(ana, "Line 3 watch")
        return Record(kind, ana, str(detector["id"]), detector)
    if kind == "training job":
        ana = world.actor("Ana")
        dataset, detector = _dataset(ana, "Line 3 pressure"), _detector(ana, "Line 3 watch")
        started = ana.anomaly.start_training(detector["id"], dataset["id"])
        job = ana.anomaly.wait_for_job(str(started["job_id"]))
        return Record(kind, ana, str(job["id"]), job)
    if kind == "member of staff":
        rita = world.actor("Rita")
        return Record(kind, world.admin_of(rita.tenant.name), rita.own_id(), {"name": rita.persona.full_name})
    raise AssertionError(f"no record is known as {kind!r} (known: {', '.join(RECORD_KINDS)})")


Attempt = Callable[[str], httpx.Response]


def attempts(world: World, intruder: Actor, record: Record) -> dict[str, Attempt]:
    """Everything the intruder can try with a record of this kind, each as a function of the id."""
    sales, anomaly, identity = intruder.sales, intruder.anomaly, intruder.identity
    if record.kind == "client":
        return {
            "reading it": lambda i: sales.attempt(sales.get_client, i),
            "renaming it": lambda i: sales.attempt(sales.update_client, i, name="Taken Over Ltd"),
            "deleting it": lambda i: sales.attempt(sales.delete_client, i),
        }
    if record.kind == "deal":
        return {
            "reading it": lambda i: sales.attempt(sales.get_deal, i),
            "renaming it": lambda i: sales.attempt(sales.update_deal, i, title="Taken over"),
            "moving it on": lambda i: sales.attempt(sales.transition, i, "qualified"),
            "approving it": lambda i: sales.attempt(sales.decide_approval, i, "approve"),
        }
    if record.kind == "deal's payment list":
        return {
            "reading the payments": lambda i: sales.attempt(sales.list_payments, i),
            "recording a payment": lambda i: sales.attempt(sales.record_payment, i, "100.00"),
        }
    if record.kind == "dataset":
        return {
            "reading it": lambda i: anomaly.attempt(anomaly.get_dataset, i),
            "profiling it": lambda i: anomaly.attempt(anomaly.profile, i),
            "deleting it": lambda i: anomaly.attempt(anomaly.delete_dataset, i),
        }
    if record.kind == "detector":
        own = own_dataset(intruder)
        row = dict.fromkeys(FEATURES, 1.0)
        return {
            "reading it": lambda i: anomaly.attempt(anomaly.get_detector, i),
            "training it": lambda i: anomaly.attempt(anomaly.start_training, i, own),
            "checking rows with it": lambda i: anomaly.attempt(anomaly.detect_rows, i, [row]),
            "streaming rows to it": lambda i: anomaly.attempt(anomaly.stream, i, [row]),
            "labelling a row for it": lambda i: anomaly.attempt(anomaly.feedback, i, row, "normal"),
            "evaluating it": lambda i: anomaly.attempt(anomaly.evaluate, i, own, label_column="label"),
        }
    if record.kind == "training job":
        return {"reading it": lambda i: anomaly.attempt(anomaly.job, i)}
    if record.kind == "member of staff":
        return {
            "reading the person": lambda i: identity.attempt(identity.get_user, i),
            "renaming the person": lambda i: identity.attempt(identity.update_user, i, name="Taken Over"),
            "deactivating the person": lambda i: identity.attempt(identity.update_user, i, active=False),
        }
    raise AssertionError(f"no record is known as {record.kind!r}")


def own_dataset(actor: Actor) -> str:
    """The id of a dataset of the actor's own tenant (created once per actor)."""
    if not actor.knows("own dataset"):
        actor.remember("own dataset", str(_dataset(actor, "Own readings")["id"]))
    return str(actor.recall("own dataset"))


def try_everything(world: World, intruder: Actor, record: Record) -> dict[str, tuple[httpx.Response, httpx.Response]]:
    """Each attempt's (answer for the real id, answer for an id that never existed)."""
    ghost = ghost_id_like(record.id)
    return {name: (attempt(record.id), attempt(ghost)) for name, attempt in attempts(world, intruder, record).items()}


def as_it_was(record: Record) -> tuple[JSON, JSON]:
    """(what the owner reads now, what it must still hold) for the record's telling fields."""
    owner = record.owner
    if record.kind == "client":
        now = owner.sales.get_client(record.id)
        keys = ("name", "email", "owner_id")
    elif record.kind == "deal":
        now = owner.sales.get_deal(record.id)
        keys = ("title", "stage", "approval", "version")
    elif record.kind == "deal's payment list":
        payments = owner.sales.list_payments(record.id)
        deal = owner.sales.get_deal(record.id)
        now = {"payments": payments["total"], "paid_amount": deal["paid_amount"], "version": deal["version"]}
        return now, {"payments": 0, "paid_amount": record.before["paid_amount"],
                     "version": record.before["version"]}
    elif record.kind == "dataset":
        now = owner.anomaly.get_dataset(record.id)
        keys = ("name", "row_count")
    elif record.kind == "detector":
        now = owner.anomaly.get_detector(record.id)
        keys = ("status", "version")
    elif record.kind == "training job":
        now = owner.anomaly.job(record.id)
        keys = ("status", "detector_id")
    elif record.kind == "member of staff":
        now = owner.identity.get_user(record.id)
        return {key: now.get(key) for key in ("name", "active")}, {"name": record.before["name"], "active": True}
    else:
        raise AssertionError(f"no record is known as {record.kind!r}")
    return {key: now.get(key) for key in keys}, {key: record.before.get(key) for key in keys}
