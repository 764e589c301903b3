"""`/api/v1/notifications`: each caller sees only the notices addressed to it or its current roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.common.deps import SessionDep
from services.common.pagination import PageDep
from services.common.routing import InProcessRoute
from services.sales import notification_service
from services.sales.access import CanUseSales
from services.sales.deps import AuditDep
from services.sales.schemas import NotificationPage

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"], route_class=InProcessRoute)


@router.get("", name="notification.listed", response_model=NotificationPage)
def list_notifications(caller: CanUseSales, session: SessionDep, page: PageDep,
                       unread: Annotated[bool | None, Query()] = None) -> NotificationPage:
    return notification_service.list_notifications(session, caller, page, unread=unread)


@router.post("/{notification_id}/read", status_code=204, name="notification.read")
def mark_read(caller: CanUseSales, notification_id: str, session: SessionDep, audit: AuditDep) -> Response:
    notification_service.mark_read(session, audit, caller, notification_id)
    return Response(status_code=204)
