"""Tenant-scoped lookups. Every function takes a `TenantId`, which only `access.py` can mint.

A row of another tenant is indistinguishable from a row that never existed (404 `not-found`).
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from services.common.problems import not_found
from services.common.tenancy import TenantId
from services.sales.models import Client, Deal
from services.sales.stages import OPEN_STAGES


def get_client(session: Session, tenant_id: TenantId, client_id: str) -> Client:
    client = find_client(session, tenant_id, client_id)
    if client is None:
        raise not_found("The client does not exist.")
    return client


def find_client(session: Session, tenant_id: TenantId, client_id: str) -> Client | None:
    return session.scalar(select(Client).where(Client.id == client_id, Client.tenant_id == tenant_id))


def get_deal(session: Session, tenant_id: TenantId, deal_id: str) -> Deal:
    deal = session.scalar(select(Deal).where(Deal.id == deal_id, Deal.tenant_id == tenant_id))
    if deal is None:
        raise not_found("The deal does not exist.")
    return deal


def client_has_open_deal(session: Session, tenant_id: TenantId, client_id: str) -> bool:
    return bool(session.scalar(select(exists().where(
        Deal.tenant_id == tenant_id, Deal.client_id == client_id, Deal.stage.in_([s.value for s in OPEN_STAGES])
    ))))
