"""Typed records of what the platform answers: the fields the suite reads, and the whole body.

Drivers hand these back instead of raw dicts, so steps and tasks write `deal.id` and `deal.stage`.
A record keeps the answer's JSON object in `body` (not part of its repr or equality), which is what
whole-answer checks look at. A field the platform left out is None here; whether the answer keeps
the contract's shape is the business of the matchers, not of the records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar

JSON = dict[str, Any]
R = TypeVar("R", bound="Body")


@dataclass(frozen=True)
class Body:
    """An answer's JSON object with typed fields on top; `record["key"]` and `in` read the body too."""

    body: JSON = field(repr=False, compare=False)

    @classmethod
    def of(cls: type[R], body: JSON) -> R:
        values = {item.name: body.get(item.name) for item in fields(cls) if item.name != "body"}
        return cls(body=body, **values)

    def __getitem__(self, key: str) -> Any:
        return self.body[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.body)

    def __len__(self) -> int:
        return len(self.body)

    def __contains__(self, key: object) -> bool:
        return key in self.body

    def get(self, key: str, default: Any = None) -> Any:
        return self.body.get(key, default)

    def keys(self) -> Any:
        return self.body.keys()


@dataclass(frozen=True)
class Record(Body):
    """A resource with an opaque id."""

    id: str


def records(kind: type[R], values: Any) -> list[R]:
    """The JSON objects among `values` as records of `kind` (anything else is left out)."""
    return [kind.of(value) for value in values if isinstance(value, dict)] if isinstance(values, list) else []


@dataclass(frozen=True)
class Page(Body, Generic[R]):
    """A list answer `{items, page, page_size, total}`; `items` are records of one kind."""

    items: list[R]
    page: int
    page_size: int
    total: int

    @classmethod
    def of_kind(cls, kind: type[R], body: JSON) -> Page[R]:
        return cls(body=body, items=records(kind, body.get("items")), page=body.get("page"),
                   page_size=body.get("page_size"), total=body.get("total"))

    def ids(self) -> list[str]:
        return [str(item.get("id")) for item in self.items]


# -- identity -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Me(Record):
    tenant_id: str
    email: str
    name: str
    roles: list[str]


@dataclass(frozen=True)
class Tenant(Record):
    name: str
    slug: str
    plan: str
    currency: str
    created_at: str


@dataclass(frozen=True)
class CurrentTenant(Tenant):
    usage: JSON
    limits: JSON


@dataclass(frozen=True)
class Settings(Body):
    discount_approval_threshold: str


@dataclass(frozen=True)
class User(Record):
    tenant_id: str
    email: str
    name: str
    roles: list[str]
    active: bool
    created_at: str


@dataclass(frozen=True)
class AuditEvent(Record):
    occurred_at: str
    actor_id: str
    action: str
    resource_type: str
    resource_id: str
    outcome: str
    request_id: str


# -- sales --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Client(Record):
    tenant_id: str
    name: str
    email: str
    country: str
    owner_id: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Deal(Record):
    tenant_id: str
    client_id: str
    owner_id: str
    title: str
    currency: str
    amount: str
    discount_percent: str
    net_amount: str
    stage: str
    approval: str
    paid_amount: str
    payment_status: str
    version: int
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class Payment(Record):
    deal_id: str
    amount: str
    currency: str
    received_at: str
    created_at: str


@dataclass(frozen=True)
class StatementLine(Body):
    payment_id: str
    deal_id: str
    base: str
    rate: str
    amount: str


@dataclass(frozen=True)
class Statement(Body):
    owner_id: str
    period: str
    currency: str
    total: str
    lines: list[StatementLine]

    @classmethod
    def of(cls, body: JSON) -> Statement:
        return cls(body=body, owner_id=body.get("owner_id"), period=body.get("period"),
                   currency=body.get("currency"), total=body.get("total"),
                   lines=records(StatementLine, body.get("lines")))

    def lines_for(self, *, deal_id: str | None = None, payment_id: str | None = None) -> list[StatementLine]:
        return [line for line in self.lines if deal_id in (None, line.deal_id)
                and payment_id in (None, line.payment_id)]


@dataclass(frozen=True)
class Notification(Record):
    type: str
    deal_id: str
    created_at: str
    read: bool


@dataclass(frozen=True)
class Pipeline(Body):
    currency: str
    stages: JSON


# -- anomaly ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dataset(Record):
    tenant_id: str
    name: str
    row_count: int
    columns: list[JSON]
    created_at: str


@dataclass(frozen=True)
class Profile(Body):
    row_count: int
    duplicate_rows: int
    columns: list[JSON]


@dataclass(frozen=True)
class Detector(Record):
    tenant_id: str
    name: str
    algorithm: str
    features: list[str]
    params: JSON
    status: str
    version: int
    trained_at: str | None
    training_rows: int | None
    created_at: str


@dataclass(frozen=True)
class TrainingStarted(Body):
    """The 202 answer to a training request; `location` is its Location header."""

    job_id: str
    status: str
    location: str | None = None


@dataclass(frozen=True)
class Job(Record):
    kind: str
    status: str
    detector_id: str
    error: str | None
    created_at: str
    finished_at: str | None


@dataclass(frozen=True)
class Detection(Body):
    detector_id: str
    detector_version: int
    threshold: float
    anomaly_count: int
    results: list[JSON]


@dataclass(frozen=True)
class Metrics(Body):
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int


# -- operations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Health(Body):
    status: str
    checks: JSON | None = None
