"""Request bodies (StrictModel: unknown/read-only fields are 422) and answers of the sales API.

Bodies check JSON types only; the business rules (money format, ranges, country codes, e-mail shape)
live in `validation.py` so that every broken rule is reported with its own code. Answers are the
routes' `response_model`s, built by `views.py`; money and rates are decimal strings (contract §1).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Strict

from services.common.pagination import Page
from services.common.schemas import DecimalStr, MoneyStr, StrictModel
from services.sales.stages import Stage

Text = Annotated[str, Strict()]


class ClientCreate(StrictModel):
    name: Text
    email: Text
    country: Text
    owner_id: Text | None = None


class ClientUpdate(StrictModel):
    name: Text | None = None
    email: Text | None = None
    country: Text | None = None
    owner_id: Text | None = None


class DealCreate(StrictModel):
    client_id: Text
    title: Text
    amount: MoneyStr
    discount_percent: DecimalStr = "0"


class DealUpdate(StrictModel):
    title: Text | None = None
    amount: MoneyStr | None = None
    discount_percent: DecimalStr | None = None


class TransitionRequest(StrictModel):
    to: Stage


class ApprovalRequest(StrictModel):
    decision: Literal["approve", "reject"]
    comment: Text | None = None


class PaymentCreate(StrictModel):
    amount: MoneyStr
    received_at: Text | None = None


# ---- answers ----


class ClientOut(BaseModel):
    id: str
    tenant_id: str
    name: str
    email: str
    country: str
    owner_id: str
    created_at: str
    updated_at: str


class DealOut(BaseModel):
    id: str
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


class PaymentOut(BaseModel):
    id: str
    deal_id: str
    amount: str
    currency: str
    received_at: str
    created_at: str


class CommissionLine(BaseModel):
    payment_id: str
    deal_id: str
    base: str
    rate: str
    amount: str


class Statement(BaseModel):
    owner_id: str
    period: str
    currency: str
    total: str
    lines: list[CommissionLine]


class NotificationOut(BaseModel):
    id: str
    type: str
    deal_id: str
    created_at: str
    read: bool


class StageFigures(BaseModel):
    count: int
    net_amount: str


class PipelineReport(BaseModel):
    currency: str
    stages: dict[str, StageFigures]


ClientPage = Page[ClientOut]
DealPage = Page[DealOut]
PaymentPage = Page[PaymentOut]
NotificationPage = Page[NotificationOut]
