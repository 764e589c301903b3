"""Client use cases: create, read, list, edit, delete (contract §4)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import Session

from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.db import insert_now
from services.common.ids import new_id
from services.common.pagination import PageParams, page_of
from services.common.problems import conflict
from services.common.tenancy import Caller
from services.sales import repository, validation
from services.sales.access import ensure_may_assign, ensure_owns
from services.sales.models import Client
from services.sales.schemas import ClientCreate, ClientPage, ClientUpdate
from services.sales.views import client_view


def create_client(session: Session, audit: AuditLog, caller: Caller, body: ClientCreate) -> Client:
    owner_id = caller.user_id if body.owner_id is None else body.owner_id
    ensure_may_assign(caller, owner_id)
    errors = validation.Errors()
    name, email, country, owner_id = errors.valid(
        errors.check(lambda: validation.text(body.name, "name")),
        errors.check(lambda: validation.email(body.email)),
        errors.check(lambda: validation.country(body.country)),
        errors.check(lambda: validation.user_id(owner_id)),
    )
    now = utcnow()
    client = Client(id=new_id(), tenant_id=caller.tenant_id, name=name, email=email, country=country,
                    owner_id=owner_id, created_at=now, updated_at=now)
    insert_now(session, client)
    audit.record(session, caller, "client.created", "client", client.id)
    return client


def read_client(session: Session, caller: Caller, client_id: str) -> Client:
    client = repository.get_client(session, caller.tenant_id, client_id)
    ensure_owns(caller, client.owner_id)
    return client


def list_clients(session: Session, caller: Caller, page: PageParams, *, q: str | None,
                 owner_id: str | None) -> ClientPage:
    stmt = repository.clients_readable_by(caller)
    if owner_id is not None:
        stmt = stmt.where(Client.owner_id == owner_id)
    if q:
        needle = q.lower()
        stmt = stmt.where(or_(func.lower(Client.name).contains(needle, autoescape=True),
                              func.lower(Client.email).contains(needle, autoescape=True)))
    return page_of(session, stmt.order_by(Client.created_at, Client.id), page, ClientPage, client_view)


def update_client(session: Session, audit: AuditLog, caller: Caller, client_id: str,
                  body: ClientUpdate) -> Client:
    client = read_client(session, caller, client_id)
    sent = body.model_fields_set
    if "owner_id" in sent and body.owner_id is not None:
        ensure_may_assign(caller, body.owner_id)
    errors = validation.Errors()
    validation.not_null(sent, body.model_dump(), errors, "name", "email", "country", "owner_id")
    changes: dict[str, Any] = {}
    if body.name is not None:
        changes["name"] = errors.check(lambda: validation.text(body.name, "name"))
    if body.email is not None:
        changes["email"] = errors.check(lambda: validation.email(body.email))
    if body.country is not None:
        changes["country"] = errors.check(lambda: validation.country(body.country))
    if body.owner_id is not None:
        changes["owner_id"] = errors.check(lambda: validation.user_id(body.owner_id))
    errors.raise_if_any()
    changed = {key: value for key, value in changes.items() if getattr(client, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(client, key, value)
        client.updated_at = utcnow()
        audit.record(session, caller, "client.updated", "client", client.id)
    return client


def delete_client(session: Session, audit: AuditLog, caller: Caller, client_id: str) -> None:
    client = read_client(session, caller, client_id)
    if repository.client_has_open_deal(session, caller.tenant_id, client.id):
        raise conflict("The client has an open deal; close or lose it first.")
    session.delete(client)
    audit.record(session, caller, "client.deleted", "client", client.id)
