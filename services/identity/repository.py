"""Where every query of identity's tenant-owned tables starts: tenants, users, sign-in sessions.

Calls made for a caller take its `TenantId` (which only a permission mints), so they stay in its tenant.
Sign-in, refresh and token verification happen before there is a caller; their lookups are grouped at
the end and scoped by what the credentials name. `tests/platform/test_tenant_scoping.py` fails when a
module outside the repositories starts a query of a tenant-owned table.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.tenancy import Caller, TenantId
from services.identity.models import RefreshFamily, RefreshToken, Tenant, User


def email_key(email: str) -> str:
    return email.strip().casefold()


def tenant_of(session: Session, tenant_id: TenantId) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:  # a verified caller's tenant always exists
        raise LookupError("the caller's tenant is missing")
    return tenant


def user_in(session: Session, tenant_id: TenantId, user_id: str) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.tenant_id == tenant_id else None


def users_in(tenant_id: TenantId) -> Select[tuple[User]]:
    return select(User).where(User.tenant_id == tenant_id)


def user_by_email(session: Session, tenant_id: str, email: str) -> User | None:
    """The user of a tenant with this email (any case): for a new user's uniqueness, and for sign-in."""
    return session.scalar(select(User).where(User.tenant_id == tenant_id, User.email_key == email_key(email)))


def active_user_count(session: Session, tenant_id: TenantId) -> int:
    stmt = select(func.count()).select_from(User).where(User.tenant_id == tenant_id, User.active.is_(True))
    return session.scalar(stmt) or 0


def active_admin_ids(session: Session, tenant_id: TenantId) -> list[str]:
    users = session.scalars(select(User).where(User.tenant_id == tenant_id, User.active.is_(True))).all()
    return [user.id for user in users if "admin" in user.roles]


def callers_session(session: Session, caller: Caller) -> RefreshFamily | None:
    """The sign-in session (refresh family) the caller's access token was issued from, if it names one."""
    if caller.session_id is None:
        return None
    return session.scalar(select(RefreshFamily).where(RefreshFamily.id == caller.session_id,
                                                      RefreshFamily.tenant_id == caller.tenant_id,
                                                      RefreshFamily.user_id == caller.user_id))


def revoke_families_of(session: Session, user: User, reason: str) -> None:
    """End every live sign-in session of a user found through this module."""
    session.execute(
        update(RefreshFamily)
        .where(RefreshFamily.tenant_id == user.tenant_id, RefreshFamily.user_id == user.id,
               RefreshFamily.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


# -- before there is a caller: sign-in, refresh, token verification, start-up -----------------------


def tenant_by_slug(session: Session, slug: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def user_of_credentials(session: Session, tenant_id: str, user_id: str) -> User | None:
    """The user that credentials (a password check, a refresh token, an access token) name, in the tenant
    they name; None when it does not exist there."""
    user = session.get(User, user_id)
    return user if user is not None and user.tenant_id == tenant_id else None


def family_of(session: Session, token: RefreshToken) -> RefreshFamily | None:
    return session.get(RefreshFamily, token.family_id)
