"""Where queries of the tables every service has start: its audit log, whose events belong to tenants.

Like each service's own `repository.py`, every statement here is scoped to the caller's tenant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.common.tenancy import TenantId

if TYPE_CHECKING:
    from services.common.audit import AuditEventMixin

Event = TypeVar("Event", bound="AuditEventMixin")


def audit_events_in(model: type[Event], tenant_id: TenantId) -> Select[tuple[Event]]:
    return select(model).where(model.tenant_id == tenant_id)


def audit_event_in(session: Session, model: type[Event], tenant_id: TenantId, event_id: str) -> Event | None:
    event = session.get(model, event_id)
    return event if event is not None and event.tenant_id == tenant_id else None
