"""Tenant scoping: repositories take a `TenantScope`, which only `tenant_scope` mints from a verified
caller, so no query can be written without naming the caller's tenant."""

from __future__ import annotations

from typing import NewType

from services.common.auth import Principal

TenantScope = NewType("TenantScope", str)


def tenant_scope(principal: Principal) -> TenantScope:
    return TenantScope(principal.tenant_id)
