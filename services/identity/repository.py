"""Queries over tenants and users, always scoped to one tenant where the data is tenant-owned."""

from __future__ import annotations

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.tenancy import TenantId
from services.identity.models import RefreshFamily, Tenant, User


def email_key(email: str) -> str:
    return email.strip().casefold()


def tenant_of(session: Session, tenant_id: TenantId) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:  # a verified caller's tenant always exists
        raise LookupError("the caller's tenant is missing")
    return tenant


def tenant_by_slug(session: Session, slug: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def user_in(session: Session, tenant_id: TenantId, user_id: str) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.tenant_id == tenant_id else None


def user_by_email(session: Session, tenant_id: str, email: str) -> User | None:
    return session.scalar(select(User).where(User.tenant_id == tenant_id, User.email_key == email_key(email)))


def users_stmt(tenant_id: TenantId) -> Select[tuple[User]]:
    return select(User).where(User.tenant_id == tenant_id).order_by(User.created_at, User.id)


def active_user_count(session: Session, tenant_id: str) -> int:
    stmt = select(func.count()).select_from(User).where(User.tenant_id == tenant_id, User.active.is_(True))
    return session.scalar(stmt) or 0


def active_admin_ids(session: Session, tenant_id: TenantId) -> list[str]:
    users = session.scalars(select(User).where(User.tenant_id == tenant_id, User.active.is_(True))).all()
    return [user.id for user in users if "admin" in user.roles]


def revoke_families_of(session: Session, user_id: str, reason: str) -> None:
    session.execute(
        update(RefreshFamily)
        .where(RefreshFamily.user_id == user_id, RefreshFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
