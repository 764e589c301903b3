"""The call catalogue: every call of the three services as a capability named in product words.

A capability says which service answers it, the driver call that exercises it, and which records it
needs: the kind of record whose id is in its address (`on`), the kind its body names (`names`, in the
body field `field`), the kind a query filter names (`filters`), and whether each successful try uses
a record up (`fresh`). The role table (`support.tasks.tenancy`) and the isolation engine
(`support.tasks.isolation`) both read this catalogue, so covering a new endpoint is one entry here
(and, for a new kind of record, one entry in `isolation.KINDS`).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

import httpx

from support.data.tables import csv_bytes
from support.drivers.anomaly import AnomalyDriver
from support.drivers.base import Driver, NoAnswerYet, UnexpectedAnswer
from support.drivers.identity import IdentityDriver
from support.drivers.sales import SalesDriver

FEATURES = ["x", "y"]
LABEL = "label"
A_READING = {"x": 1.0, "y": 2.0}
SMALL_CSV = csv_bytes(FEATURES, [[1, 2], [2, 3], [3, 4]])
# 29 characters, no common password, no email local part of the suite's in it.
PASSPHRASE = "violet tangerine harbour 2026"
SERVICES = ("identity", "sales", "anomaly")
# Contract timings: "within 2 s" (role changes, revocations, notifications) is checked against 2 s plus this
# allowance for the round trips of the change and of the probe that sees it (loopback, loaded CI machine).
WITHIN_S = 2.0
ROUND_TRIP_ALLOWANCE_S = 0.5


class Drivers(Protocol):
    """Anything that calls the three services with one pass (an actor, its fixed passes, nobody's)."""

    identity: IdentityDriver
    sales: SalesDriver
    anomaly: AnomalyDriver


@dataclass(frozen=True)
class Ids:
    """The ids one try names: in the address, in the body, in a query filter ("" where none)."""

    on: str = ""
    named: str = ""
    filtered: str = ""


Call = Callable[[Drivers, Ids], object]


@dataclass(frozen=True)
class Capability:
    words: str
    service: str
    call: Call
    on: str | None = None
    names: str | None = None
    field: str | None = None
    filters: str | None = None
    fresh: bool = False
    lists: bool = False  # a list of the tenant's records: must hold nothing of another tenant

    @property
    def subject(self) -> str | None:
        """The kind of record whose id decides the answer: the address's, else the body's, else the filter's."""
        return self.on or self.names or self.filters


class MadeNoCall(AssertionError):
    """A capability's call ended before it asked its service anything."""


def attempt(capability: Capability, drivers: Drivers, ids: Ids) -> httpx.Response:
    """Exercise the capability; its service's answer, whatever it was."""
    driver: Driver = getattr(drivers, capability.service)
    before = _last_answer(driver)
    with contextlib.suppress(UnexpectedAnswer):
        capability.call(drivers, ids)
    answer = _last_answer(driver)
    if answer is None or answer is before:
        raise MadeNoCall(f"'{capability.words}' asked the {capability.service} service nothing")
    return answer


def _last_answer(driver: Driver) -> httpx.Response | None:
    try:
        return driver.last_response
    except NoAnswerYet:
        return None


def _unique(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:10]}"


def _new_tenant(d: Drivers, ids: Ids) -> object:
    slug = _unique("initech")
    return d.identity.create_tenant(name="Initech", slug=slug, plan="starter", currency="EUR",
                                    admin={"email": f"founder@{slug}.example.com", "name": "Fay Founder",
                                           "password": PASSPHRASE})


def _new_colleague(d: Drivers, ids: Ids) -> object:
    return d.identity.create_user(email=f"{_unique('nina')}@example.com", name="Nina Novak", password=PASSPHRASE,
                                  roles=["sales_rep"])


def _new_client(d: Drivers, ids: Ids) -> object:
    return d.sales.create_client(name="Novak Logistics", email=f"{_unique('office')}@novak.example.com",
                                 country="DE")


def catalogue(*capabilities: Capability) -> dict[str, Capability]:
    table: dict[str, Capability] = {}
    for capability in capabilities:
        if capability.words in table or capability.service not in SERVICES:
            raise ValueError(f"capability '{capability.words}' is named twice or has no known service")
        table[capability.words] = capability
    return table


CAPABILITIES: dict[str, Capability] = catalogue(
    # -- identity: tenants, settings, oneself ---------------------------------------------------
    Capability("set up a tenant", "identity", _new_tenant),
    Capability("read the tenant's usage and limits", "identity", lambda d, i: d.identity.current_tenant()),
    Capability("read the settings", "identity", lambda d, i: d.identity.settings()),
    Capability("change the settings", "identity",
               lambda d, i: d.identity.update_settings(discount_approval_threshold="20")),
    Capability("see who one is", "identity", lambda d, i: d.identity.me()),
    # -- identity: people -------------------------------------------------------------------------
    Capability("add a colleague", "identity", _new_colleague),
    Capability("look through the people", "identity", lambda d, i: d.identity.list_users(page_size=100),
               lists=True),
    Capability("read a colleague", "identity", lambda d, i: d.identity.get_user(i.on), on="member of staff"),
    Capability("rename a colleague", "identity", lambda d, i: d.identity.update_user(i.on, name="Nina Taken"),
               on="member of staff"),
    Capability("change a colleague's roles", "identity",
               lambda d, i: d.identity.update_user(i.on, roles=["analyst"]), on="member of staff"),
    Capability("deactivate a colleague", "identity", lambda d, i: d.identity.update_user(i.on, active=False),
               on="member of staff", fresh=True),
    Capability("read oneself", "identity", lambda d, i: d.identity.get_user(i.on), on="oneself"),
    Capability("rename oneself", "identity", lambda d, i: d.identity.update_user(i.on, name="Renamed Person"),
               on="oneself"),
    Capability("make oneself an admin", "identity", lambda d, i: d.identity.update_user(i.on, roles=["admin"]),
               on="oneself"),
    Capability("deactivate oneself", "identity", lambda d, i: d.identity.update_user(i.on, active=False),
               on="oneself"),
    Capability("read identity's audit trail", "identity", lambda d, i: d.identity.audit_events(page_size=100),
               lists=True),
    Capability("look a person up in identity's audit trail", "identity",
               lambda d, i: d.identity.audit_events(resource_id=i.filtered), filters="member of staff"),
    # -- sales: clients -------------------------------------------------------------------------
    Capability("add a client", "sales", _new_client),
    Capability("look through the clients", "sales", lambda d, i: d.sales.list_clients(page_size=100), lists=True),
    Capability("look through a person's clients", "sales",
               lambda d, i: d.sales.list_clients(owner_id=i.filtered, page_size=100), filters="member of staff"),
    Capability("read a client", "sales", lambda d, i: d.sales.get_client(i.on), on="client"),
    Capability("change a client", "sales", lambda d, i: d.sales.update_client(i.on, name="Taken Over Ltd"),
               on="client"),
    Capability("delete a client", "sales", lambda d, i: d.sales.delete_client(i.on), on="client", fresh=True),
    # -- sales: deals ---------------------------------------------------------------------------
    Capability("open a deal", "sales",
               lambda d, i: d.sales.create_deal(client_id=i.named, title="Borrowed client", amount="1000.00"),
               names="client", field="client_id"),
    Capability("look through the deals", "sales", lambda d, i: d.sales.list_deals(page_size=100), lists=True),
    Capability("look through a person's deals", "sales",
               lambda d, i: d.sales.list_deals(owner_id=i.filtered, page_size=100), filters="member of staff"),
    Capability("read a deal", "sales", lambda d, i: d.sales.get_deal(i.on), on="deal"),
    Capability("change a deal", "sales", lambda d, i: d.sales.update_deal(i.on, title="Taken over"), on="deal"),
    Capability("move a deal to the next stage", "sales", lambda d, i: d.sales.transition(i.on, "qualified"),
               on="deal", fresh=True),
    Capability("decide on a discount", "sales", lambda d, i: d.sales.decide_approval(i.on, "approve"),
               on="deal awaiting approval", fresh=True),
    # -- sales: money, reports, notices ----------------------------------------------------------
    Capability("record a payment", "sales", lambda d, i: d.sales.record_payment(i.on, "100.00"), on="won deal"),
    Capability("read a deal's payments", "sales", lambda d, i: d.sales.list_payments(i.on), on="won deal"),
    Capability("read one's commission statement", "sales", lambda d, i: d.sales.commission_statement()),
    Capability("read a person's commission statement", "sales",
               lambda d, i: d.sales.commission_statement(owner_id=i.filtered), filters="member of staff"),
    Capability("read the pipeline report", "sales", lambda d, i: d.sales.pipeline()),
    Capability("read one's notifications", "sales", lambda d, i: d.sales.notifications(page_size=100), lists=True),
    Capability("mark a notification read", "sales", lambda d, i: d.sales.mark_read(i.on), on="notification"),
    Capability("read the sales audit trail", "sales", lambda d, i: d.sales.audit_events(page_size=100),
               lists=True),
    Capability("look a client up in the sales audit trail", "sales",
               lambda d, i: d.sales.audit_events(resource_id=i.filtered), filters="client"),
    # -- anomaly: datasets ----------------------------------------------------------------------
    Capability("upload a dataset file", "anomaly", lambda d, i: d.anomaly.upload_csv("Line 4 readings", SMALL_CSV)),
    Capability("upload a dataset table", "anomaly",
               lambda d, i: d.anomaly.create_dataset("Line 4 table", columns=FEATURES, rows=[[1, 2], [2, 3]])),
    Capability("look through the datasets", "anomaly", lambda d, i: d.anomaly.list_datasets(page_size=100),
               lists=True),
    Capability("read a dataset", "anomaly", lambda d, i: d.anomaly.get_dataset(i.on), on="dataset"),
    Capability("profile a dataset", "anomaly", lambda d, i: d.anomaly.profile(i.on), on="dataset"),
    Capability("delete a dataset", "anomaly", lambda d, i: d.anomaly.delete_dataset(i.on), on="dataset", fresh=True),
    # -- anomaly: detectors, training, checks ----------------------------------------------------
    Capability("create a detector", "anomaly",
               lambda d, i: d.anomaly.create_detector("Line 4 watch", algorithm="robust_zscore", features=["x"])),
    Capability("look through the detectors", "anomaly", lambda d, i: d.anomaly.list_detectors(page_size=100),
               lists=True),
    Capability("read a detector", "anomaly", lambda d, i: d.anomaly.get_detector(i.on), on="detector"),
    Capability("train a detector", "anomaly", lambda d, i: d.anomaly.start_training(i.on, i.named),
               on="detector", names="dataset", field="dataset_id"),
    Capability("read a training job", "anomaly", lambda d, i: d.anomaly.job(i.on), on="training job"),
    Capability("check readings with a detector", "anomaly", lambda d, i: d.anomaly.detect_rows(i.on, [A_READING]),
               on="trained detector"),
    Capability("check a dataset with a detector", "anomaly", lambda d, i: d.anomaly.detect_dataset(i.on, i.named),
               on="trained detector", names="dataset", field="dataset_id"),
    Capability("stream readings to a detector", "anomaly", lambda d, i: d.anomaly.stream(i.on, [A_READING]),
               on="trained detector"),
    Capability("label a reading for a detector", "anomaly",
               lambda d, i: d.anomaly.feedback(i.on, A_READING, "normal"), on="trained detector"),
    Capability("evaluate a detector", "anomaly",
               lambda d, i: d.anomaly.evaluate(i.on, i.named, label_column=LABEL),
               on="trained detector", names="dataset", field="dataset_id"),
    Capability("read anomaly's audit trail", "anomaly", lambda d, i: d.anomaly.audit_events(page_size=100),
               lists=True),
    Capability("look a dataset up in anomaly's audit trail", "anomaly",
               lambda d, i: d.anomaly.audit_events(resource_id=i.filtered), filters="dataset"),
)


class UnknownCapability(AssertionError):
    """A table or step named something nobody can do on the platform."""


def capability(words: str) -> Capability:
    try:
        return CAPABILITIES[words.strip()]
    except KeyError:
        raise UnknownCapability(f"'{words}' is not a capability of the platform (known: "
                                f"{', '.join(CAPABILITIES)})") from None


def acting_on(kinds: Iterable[str]) -> list[Capability]:
    """Every capability whose address names a record of one of `kinds`."""
    wanted = set(kinds)
    return [item for item in CAPABILITIES.values() if item.on in wanted]


def naming(kind: str) -> list[Capability]:
    """Every capability whose body names a record of `kind`."""
    return [item for item in CAPABILITIES.values() if item.names == kind]


def filtering_by(kind: str) -> list[Capability]:
    """Every capability whose query filter names a record of `kind`."""
    return [item for item in CAPABILITIES.values() if item.filters == kind]


def listings() -> list[Capability]:
    return [item for item in CAPABILITIES.values() if item.lists]
