"""Notifications (contract §4).

Sales cannot list a tenant's users with a rep's token, so a notice for "every sales_manager" is
stored once, addressed to the role, and resolved when read against the reader's *current* roles
(from identity, within 2 s). Read state is kept per user, for role- and user-addressed notices alike.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import exists
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.ids import new_id
from services.common.pagination import PageParams, page_rows
from services.common.problems import not_found
from services.common.tenancy import Caller
from services.sales import repository
from services.sales.access import MANAGER
from services.sales.models import Deal, Notification, NotificationRead
from services.sales.schemas import NotificationPage
from services.sales.views import notification_view


class NotificationType(StrEnum):
    APPROVAL_REQUESTED = "approval_requested"
    APPROVAL_DECIDED = "approval_decided"
    DEAL_WON = "deal_won"
    PAYMENT_RECEIVED = "payment_received"


def _add(session: Session, deal: Deal, kind: NotificationType, *, user_id: str | None = None,
         role: str | None = None, exclude_user_id: str | None = None) -> None:
    session.add(Notification(id=new_id(), tenant_id=deal.tenant_id, type=kind.value, deal_id=deal.id,
                             user_id=user_id, audience_role=role, exclude_user_id=exclude_user_id,
                             created_at=utcnow()))


def approval_requested(session: Session, deal: Deal) -> None:
    _add(session, deal, NotificationType.APPROVAL_REQUESTED, role=MANAGER)


def approval_decided(session: Session, deal: Deal) -> None:
    _add(session, deal, NotificationType.APPROVAL_DECIDED, user_id=deal.owner_id)


def deal_won(session: Session, deal: Deal) -> None:
    _add(session, deal, NotificationType.DEAL_WON, user_id=deal.owner_id)
    # An owner who is also a manager gets one notice, not two.
    _add(session, deal, NotificationType.DEAL_WON, role=MANAGER, exclude_user_id=deal.owner_id)


def payment_received(session: Session, deal: Deal) -> None:
    _add(session, deal, NotificationType.PAYMENT_RECEIVED, user_id=deal.owner_id)


def _read_by(user_id: str) -> ColumnElement[bool]:
    return exists().where(NotificationRead.notification_id == Notification.id,
                          NotificationRead.user_id == user_id)


def list_notifications(session: Session, caller: Caller, page: PageParams, *,
                       unread: bool | None) -> NotificationPage:
    stmt = repository.notifications_for(caller)
    if unread is True:
        stmt = stmt.where(~_read_by(caller.user_id))
    elif unread is False:
        stmt = stmt.where(_read_by(caller.user_id))
    rows, total = page_rows(session, stmt.order_by(Notification.created_at, Notification.id), page)
    read = set(session.scalars(repository.marked_read_by(caller, [row.id for row in rows]))) if rows else set()
    return NotificationPage(items=[notification_view(row, read=row.id in read) for row in rows], page=page.page,
                            page_size=page.page_size, total=total)


def mark_read(session: Session, audit: AuditLog, caller: Caller, notification_id: str) -> None:
    notification = repository.find_notification_for(session, caller, notification_id)
    if notification is None:
        raise not_found("The notification does not exist.")
    if session.get(NotificationRead, (notification.id, caller.user_id)) is None:
        session.add(NotificationRead(notification_id=notification.id, user_id=caller.user_id, read_at=utcnow()))
    audit.record(session, caller, "notification.read", "notification", notification.id)
