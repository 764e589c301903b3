"""Append-only audit log, one table per service: successes recorded by services, 403s automatically."""


from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from services.common import repository
from services.common.auth import Principal
from services.common.clock import rfc3339, utcnow
from services.common.context import current_request_id
from services.common.db import insert_now
from services.common.deps import SessionDep
from services.common.ids import new_id
from services.common.pagination import Page, PageDep, page_of
from services.common.problems import not_found
from services.common.routing import PlatformRoute
from services.common.tenancy import Caller, permission


class AuditEventMixin:
    """Columns of an audit event; a service declares `class AuditEvent(Base, AuditEventMixin)`."""

    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(36), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow().replace(tzinfo=None))
    actor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(100))
    resource_type: Mapped[str] = mapped_column(String(50))
    resource_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    outcome: Mapped[str] = mapped_column(String(10), default="success")
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


class AuditEventOut(BaseModel):
    id: str
    occurred_at: str
    actor_id: str | None
    action: str
    resource_type: str
    resource_id: str | None
    outcome: str
    request_id: str | None


def event_view(event: AuditEventMixin) -> AuditEventOut:
    return AuditEventOut(id=event.id, occurred_at=rfc3339(event.occurred_at), actor_id=event.actor_id,
                         action=event.action, resource_type=event.resource_type, resource_id=event.resource_id,
                         outcome=event.outcome, request_id=event.request_id)


class AuditLog:
    def __init__(self, model: type, *, readers: tuple[str, ...] = ("admin", "auditor")) -> None:
        self.model = model
        self.readers = readers

    def record(
        self,
        session: Session,
        principal: Principal | None,
        action: str,
        resource_type: str,
        resource_id: str | None,
        *,
        outcome: str = "success",
        tenant_id: str | None = None,
        actor_id: str | None = None,
    ) -> None:
        """Add an event to the caller's transaction (it commits with the change it describes)."""
        insert_now(session, self.model(
            id=new_id(),
            tenant_id=tenant_id or (principal.tenant_id if principal else ""),
            occurred_at=utcnow().replace(tzinfo=None),
            actor_id=actor_id or (principal.user_id if principal else None),
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            outcome=outcome,
            request_id=current_request_id.get(),
        ))

    def record_denied(self, request: Request) -> None:
        """Called by the problem handler for every 403 with a known caller; its own transaction."""
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:
            return
        route = request.scope.get("route")
        action = getattr(route, "name", None) or f"{request.method} {request.url.path}"
        resource_id = next(iter(request.path_params.values()), None) if request.path_params else None
        resource_id = resource_id[:64] if isinstance(resource_id, str) else resource_id  # the column's length
        resource_type = _resource_type(getattr(route, "path", request.url.path))
        with request.app.state.db.session() as session:
            self.record(session, principal, action, resource_type, resource_id, outcome="denied")

    def router(self) -> APIRouter:
        model = self.model
        router = APIRouter(prefix="/api/v1/audit-events", tags=["audit"], route_class=PlatformRoute)
        readers = permission(*self.readers)

        @router.get("", name="audit.listed", response_model=Page[AuditEventOut])
        def list_events(
            session: SessionDep,
            page: PageDep,
            caller: Annotated[Caller, Depends(readers)],
            action: Annotated[str | None, Query()] = None,
            actor_id: Annotated[str | None, Query()] = None,
            resource_id: Annotated[str | None, Query()] = None,
            outcome: Annotated[str | None, Query()] = None,
        ) -> Page[AuditEventOut]:
            stmt = repository.audit_events_in(model, caller.tenant_id)
            for column, value in (("action", action), ("actor_id", actor_id), ("resource_id", resource_id),
                                  ("outcome", outcome)):
                if value is not None:
                    stmt = stmt.where(getattr(model, column) == value)
            stmt = stmt.order_by(model.occurred_at, model.id)
            return page_of(session, stmt, page, Page[AuditEventOut], event_view)

        @router.get("/{event_id}", name="audit.read", response_model=AuditEventOut)
        def read_event(
            event_id: str, session: SessionDep, caller: Annotated[Caller, Depends(readers)]
        ) -> AuditEventOut:
            event = repository.audit_event_in(session, model, caller.tenant_id, event_id)
            if event is None:
                raise not_found()
            return event_view(event)

        return router


def _resource_type(path: str) -> str:
    parts = [part for part in path.split("/") if part and not part.startswith("{")]
    tail = parts[-1] if parts else "unknown"
    return tail[:-1] if tail.endswith("s") else tail
