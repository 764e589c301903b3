"""Where every query of sales' tenant-owned tables starts (Polar's `get_readable_statement`).

Each statement, lookup and compare-and-set update here is scoped to the caller's tenant; the use cases
add filters and never write a tenant condition themselves. Lists take the `Caller` (what a rep may list
depends on who asks); lookups by id and writes take its `TenantId` (which only a permission mints),
because ownership is checked after the lookup: a rep gets 403 for a colleague's deal, and 404 for an id
of another tenant, exactly as for one that never existed. `tests/platform/test_tenant_scoping.py` fails
when a module outside the repositories starts a query of a tenant-owned table.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, bindparam, exists, func, select, update
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.pagination import RowsQuery, paged
from services.common.problems import not_found
from services.common.tenancy import Caller, TenantId
from services.sales.access import sees_all
from services.sales.models import Client, Deal, IdempotencyRecord, Notification, NotificationRead, Payment
from services.sales.stages import OPEN_STAGES, Stage

# Lookups by id, built once: building a statement and its cache key cost more than running it (profiled).
_CLIENT_BY_ID = select(Client).where(Client.id == bindparam("client_id"), Client.tenant_id == bindparam("tenant_id"))
_DEAL_BY_ID = select(Deal).where(Deal.id == bindparam("deal_id"), Deal.tenant_id == bindparam("tenant_id"))
# Deals as plain table rows (Core) for the hottest reads, a deal shown and a page of deals: no ORM loading.
_DEALS = Deal.__table__
_DEAL_ROW_BY_ID = select(_DEALS).where(_DEALS.c.id == bindparam("deal_id"),
                                       _DEALS.c.tenant_id == bindparam("tenant_id"))

# -- clients ---------------------------------------------------------------------------------------


def clients_readable_by(caller: Caller) -> Select[tuple[Client]]:
    """The clients a caller may list: all of its tenant's, or a rep's own."""
    stmt = select(Client).where(Client.tenant_id == caller.tenant_id)
    return stmt if sees_all(caller) else stmt.where(Client.owner_id == caller.user_id)


def find_client(session: Session, tenant_id: TenantId, client_id: str) -> Client | None:
    return session.scalar(_CLIENT_BY_ID, {"client_id": client_id, "tenant_id": tenant_id})


def get_client(session: Session, tenant_id: TenantId, client_id: str) -> Client:
    client = find_client(session, tenant_id, client_id)
    if client is None:
        raise not_found("The client does not exist.")
    return client


# -- deals -----------------------------------------------------------------------------------------


def deals_listed_for(caller: Caller, **filters: str | None) -> RowsQuery:
    """The deals a caller may list, all of its tenant's or a rep's own, narrowed by `filters` (column name:
    value; None filters nothing): plain rows, by statements built once for each shape of the list."""
    chosen = {column: value for column, value in filters.items() if value is not None}
    own_only = not sees_all(caller)
    rows, count = _deal_list_statements(own_only, tuple(sorted(chosen)))
    params: dict[str, Any] = {"tenant_id": caller.tenant_id, **chosen}
    if own_only:
        params["own_id"] = caller.user_id
    return RowsQuery(rows, count, params)


@functools.cache
def _deal_list_statements(own_only: bool, columns: tuple[str, ...]) -> tuple[Select[Any], Select[tuple[int]]]:
    c = _DEALS.c
    conditions = [c.tenant_id == bindparam("tenant_id")]
    if own_only:
        conditions.append(c.owner_id == bindparam("own_id"))
    conditions.extend(c[column] == bindparam(column) for column in columns)
    rows = paged(select(_DEALS).where(*conditions).order_by(c.created_at, c.id))
    return rows, select(func.count()).select_from(_DEALS).where(*conditions)


def get_deal(session: Session, tenant_id: TenantId, deal_id: str) -> Deal:
    deal = session.scalar(_DEAL_BY_ID, {"deal_id": deal_id, "tenant_id": tenant_id})
    if deal is None:
        raise not_found("The deal does not exist.")
    return deal


def get_deal_row(session: Session, tenant_id: TenantId, deal_id: str) -> Row[Any]:
    """The deal as a plain row, for showing it (changes go through `get_deal`'s mapped object)."""
    deal = session.execute(_DEAL_ROW_BY_ID, {"deal_id": deal_id, "tenant_id": tenant_id}).first()
    if deal is None:
        raise not_found("The deal does not exist.")
    return deal


def lock_deal(session: Session, tenant_id: TenantId, deal: Deal) -> None:
    """Hold the deal's row until the commit (PostgreSQL; SQLite's writers are queued anyway)."""
    session.execute(select(Deal.id).where(Deal.id == deal.id, Deal.tenant_id == tenant_id).with_for_update())


def client_has_open_deal(session: Session, tenant_id: TenantId, client_id: str) -> bool:
    return bool(session.scalar(select(exists().where(
        Deal.tenant_id == tenant_id, Deal.client_id == client_id, Deal.stage.in_([s.value for s in OPEN_STAGES])
    ))))


def update_deal_if_unchanged(session: Session, tenant_id: TenantId, deal: Deal, changes: dict[str, Any], *,
                             expect_stage: str) -> bool:
    """Compare-and-set on (version, stage): apply `changes` and bump the version unless the row moved on
    since `deal` was read; `deal` is refreshed either way. False when the row had moved on."""
    result = session.execute(
        update(Deal)
        .where(Deal.id == deal.id, Deal.tenant_id == tenant_id, Deal.version == deal.version,
               Deal.stage == expect_stage)
        .values(**changes, version=Deal.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(deal)
    return result.rowcount == 1


def add_to_paid(session: Session, tenant_id: TenantId, deal: Deal, minor: int) -> bool:
    """Add `minor` to a won deal's paid amount, atomically and only while it stays within the net amount
    (also under concurrent payments); `deal` is refreshed. False when the deal is not won or it would not fit."""
    result = session.execute(
        update(Deal)
        .where(Deal.id == deal.id, Deal.tenant_id == tenant_id, Deal.stage == Stage.WON.value,
               Deal.paid_minor + minor <= Deal.net_minor)
        .values(paid_minor=Deal.paid_minor + minor, version=Deal.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.refresh(deal)
    return result.rowcount == 1


def pipeline_figures(session: Session, tenant_id: TenantId, currency: str) -> Sequence[Row[tuple[str, int, int]]]:
    """(stage, number of deals, sum of their net minor units) of the tenant's deals in `currency`."""
    return session.execute(
        select(Deal.stage, func.count(Deal.id), func.coalesce(func.sum(Deal.net_minor), 0))
        .where(Deal.tenant_id == tenant_id, Deal.currency == currency)
        .group_by(Deal.stage)
    ).all()


# -- payments --------------------------------------------------------------------------------------


def payments_of(caller: Caller, deal: Deal) -> Select[tuple[Payment]]:
    """The payments of a deal the caller has been allowed to read."""
    return select(Payment).where(Payment.tenant_id == caller.tenant_id, Payment.deal_id == deal.id)


def payments_earned_by(tenant_id: TenantId, owner_id: str, start: datetime,
                       end: datetime) -> Select[tuple[Payment, int, str]]:
    """The payments received in [start, end) on deals owned by `owner_id`, with their deal's net minor units
    and currency (the commission rate follows the deal's net amount)."""
    return (
        select(Payment, Deal.net_minor, Deal.currency)
        .join(Deal, (Deal.id == Payment.deal_id) & (Deal.tenant_id == Payment.tenant_id))
        .where(Payment.tenant_id == tenant_id, Payment.owner_id == owner_id,
               Payment.received_at >= start, Payment.received_at < end)
    )


def idempotency_record(session: Session, tenant_id: TenantId, key: str) -> IdempotencyRecord | None:
    return session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.tenant_id == tenant_id,
                                                          IdempotencyRecord.key == key))


# -- notifications ---------------------------------------------------------------------------------


def notifications_for(caller: Caller) -> Select[tuple[Notification]]:
    """The notices addressed to the caller, or to one of its current roles (unless it has its own copy)."""
    by_role = (Notification.audience_role.in_(sorted(caller.roles))
               & (Notification.exclude_user_id.is_(None) | (Notification.exclude_user_id != caller.user_id)))
    return select(Notification).where(Notification.tenant_id == caller.tenant_id,
                                      (Notification.user_id == caller.user_id) | by_role)


def find_notification_for(session: Session, caller: Caller, notification_id: str) -> Notification | None:
    return session.scalar(notifications_for(caller).where(Notification.id == notification_id))


def marked_read_by(caller: Caller, notification_ids: Sequence[str]) -> Select[tuple[str]]:
    """Which of these notices (already scoped to the caller) the caller has marked read."""
    return select(NotificationRead.notification_id).where(NotificationRead.user_id == caller.user_id,
                                                          NotificationRead.notification_id.in_(notification_ids))
