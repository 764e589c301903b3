"""How identity's records look on the wire (contract §3)."""

from __future__ import annotations

from typing import Any

from services.common.clock import rfc3339
from services.identity.models import Tenant, User


def tenant_view(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "name": tenant.name,
        "slug": tenant.slug,
        "plan": tenant.plan,
        "currency": tenant.currency,
        "created_at": rfc3339(tenant.created_at),
    }


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "tenant_id": user.tenant_id,
        "email": user.email,
        "name": user.name,
        "roles": list(user.roles),
        "active": user.active,
        "created_at": rfc3339(user.created_at),
    }


def settings_view(tenant: Tenant) -> dict[str, str]:
    return {"discount_approval_threshold": tenant.discount_approval_threshold}
