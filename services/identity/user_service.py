"""Users of a tenant: creation, reading, changes, deactivation and password changes (contract §3)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.pagination import PageParams, page_of
from services.common.plans import PLAN_LIMITS
from services.common.problems import (
    FieldError,
    ProblemError,
    conflict,
    not_found,
    unauthenticated,
    validation_failed,
)
from services.common.tenancy import Caller, TenantId
from services.identity.access import ensure_may_patch, ensure_may_read
from services.identity.context import IdentityContext
from services.identity.hashing import hash_password, verify_password
from services.identity.models import User
from services.identity.passwords import check_password
from services.identity.repository import (
    active_admin_ids,
    active_user_count,
    email_key,
    revoke_families_of,
    tenant_of,
    user_by_email,
    user_in,
    users_in,
)
from services.identity.roles import ADMIN
from services.identity.schemas import PasswordChange, UserCreate, UserPage, UserPatch
from services.identity.views import user_view

EMAIL_TAKEN = "A user with this email already exists in this organisation."
LAST_ADMIN = "The organisation's last active admin cannot lose the admin role or be deactivated."


def password_errors(field: str, password: str, email: str) -> list[FieldError]:
    return [FieldError(field, violation.code, violation.message) for violation in check_password(password, email)]


def unique_roles(roles: list[str]) -> list[str]:
    return list(dict.fromkeys(roles))


def ensure_room_for_one_more(session: Session, tenant_id: TenantId) -> None:
    tenant = tenant_of(session, tenant_id)
    limit = PLAN_LIMITS[tenant.plan].users
    if active_user_count(session, tenant_id) >= limit:
        raise ProblemError(403, "quota-exceeded",
                           f"The {tenant.plan} plan allows {limit} active users; this organisation has them all.")


def create_user(ctx: IdentityContext, session: Session, caller: Caller,
                body: UserCreate) -> User:
    errors = password_errors("password", body.password, body.email)
    if errors:
        raise validation_failed(errors)
    password_hash = hash_password(body.password)  # before the first query: no lock held while hashing
    ensure_room_for_one_more(session, caller.tenant_id)
    if user_by_email(session, caller.tenant_id, body.email) is not None:
        raise conflict(EMAIL_TAKEN)
    user = User(tenant_id=caller.tenant_id, email=body.email.strip(), email_key=email_key(body.email),
                name=body.name, roles=unique_roles(list(body.roles)), active=True, password_hash=password_hash)
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent creation with the same email
        raise conflict(EMAIL_TAKEN) from exc
    ctx.audit.record(session, caller, "user.created", "user", user.id)
    return user


def read_user(session: Session, caller: Caller, user_id: str) -> User:
    ensure_may_read(caller, user_id)
    user = user_in(session, caller.tenant_id, user_id)
    if user is None:
        raise not_found()
    return user


def list_users(session: Session, caller: Caller, page: PageParams) -> UserPage:
    return page_of(session, users_in(caller.tenant_id).order_by(User.created_at, User.id), page, UserPage, user_view)


def read_self(session: Session, caller: Caller) -> User:
    user = user_in(session, caller.tenant_id, caller.user_id)
    if user is None:  # the verifier has just found it; users are never deleted
        raise unauthenticated("The access token's user is unknown or inactive.")
    return user


def _provided(body: UserPatch) -> dict[str, Any]:
    values = {name: getattr(body, name) for name in body.model_fields_set}
    nulls = [FieldError(name, "invalid_type", "must not be null") for name, value in values.items() if value is None]
    if nulls:
        raise validation_failed(nulls)
    return values


def update_user(ctx: IdentityContext, session: Session, caller: Caller,
                user_id: str, body: UserPatch) -> User:
    changes = _provided(body)
    ensure_may_patch(caller, user_id, changes)
    user = user_in(session, caller.tenant_id, user_id)
    if user is None:
        raise not_found()
    roles = unique_roles(changes["roles"]) if "roles" in changes else list(user.roles)
    active = changes.get("active", user.active)
    loses_admin = user.active and ADMIN in user.roles and (not active or ADMIN not in roles)
    if loses_admin and active_admin_ids(session, caller.tenant_id) == [user.id]:
        raise conflict(LAST_ADMIN)
    if active and not user.active:
        ensure_room_for_one_more(session, caller.tenant_id)
    deactivated = user.active and not active
    user.name = changes.get("name", user.name)
    user.roles = roles
    user.active = active
    user.updated_at = utcnow()
    if deactivated:
        revoke_families_of(session, user, "deactivated")
    ctx.audit.record(session, caller, "user.deactivated" if deactivated else "user.updated", "user", user.id)
    return user


def change_password(ctx: IdentityContext, caller: Caller, body: PasswordChange) -> None:
    """Wrong current password: 422 `current_password`/`incorrect` (with any rule the new one breaks).
    Success kills every refresh family of the user; access tokens live out their lifetime."""
    with ctx.db.session() as session:
        user = user_in(session, caller.tenant_id, caller.user_id)
        if user is None:
            raise not_found()
        stored_hash, email = user.password_hash, user.email
    errors: list[FieldError] = []
    if not verify_password(stored_hash, body.current_password):
        errors.append(FieldError("current_password", "incorrect", "is not your current password"))
    errors += password_errors("new_password", body.new_password, email)
    if errors:
        raise validation_failed(errors)
    new_hash = hash_password(body.new_password)
    with ctx.db.session() as session:
        user = user_in(session, caller.tenant_id, caller.user_id)
        if user is None:
            raise not_found()
        user.password_hash = new_hash
        user.updated_at = utcnow()
        revoke_families_of(session, user, "password_change")
        ctx.audit.record(session, caller, "password.changed", "user", user.id)
