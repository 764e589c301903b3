"""How identity's records look on the wire (contract §3): rows to answer models."""

from __future__ import annotations

from services.common.clock import rfc3339
from services.identity.models import Tenant, User
from services.identity.schemas import MeOut, SettingsOut, TenantOut, UserOut


def tenant_view(tenant: Tenant) -> TenantOut:
    return TenantOut(id=tenant.id, name=tenant.name, slug=tenant.slug, plan=tenant.plan, currency=tenant.currency,
                     created_at=rfc3339(tenant.created_at))


def user_view(user: User) -> UserOut:
    return UserOut(id=user.id, tenant_id=user.tenant_id, email=user.email, name=user.name, roles=list(user.roles),
                   active=user.active, created_at=rfc3339(user.created_at))


def me_view(user: User) -> MeOut:
    return MeOut(id=user.id, tenant_id=user.tenant_id, email=user.email, name=user.name, roles=list(user.roles))


def settings_view(tenant: Tenant) -> SettingsOut:
    return SettingsOut(discount_approval_threshold=tenant.discount_approval_threshold)
