"""The caller of a call, bound to the one tenant whose data it may touch (contract §2).

A verified token gives a `Principal` (`services.common.auth`). A permission dependency built by
`permission(...)` then checks the principal's current roles (403 before any lookup, so a caller whose
roles never allow a call gets 403 whatever the id) and binds the token's tenant as a `TenantId`.
`SignedIn` binds any verified caller, for what every user may do for itself.

Nothing else mints a `TenantId`, and repositories take one (or a `Caller`), so a query of tenant-owned
rows cannot be written without an authorised caller. `tests/platform/test_tenant_scoping.py` checks
that no module outside the repositories builds such a query, and that no other module mints a tenant.
Services name their permissions after what they allow (`CanRecordPayments = Annotated[Caller,
Depends(permission(ADMIN, MANAGER))]`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, NewType

from fastapi import Depends, Request

from services.common.auth import CurrentPrincipal, Principal
from services.common.problems import forbidden

TenantId = NewType("TenantId", str)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AUDITOR = "auditor"


@dataclass(frozen=True)
class Caller(Principal):
    """A principal authorised for the call at hand; `tenant_id` is the only tenant its data may come from."""

    tenant_id: TenantId

    def has_any(self, roles: Collection[str]) -> bool:
        return not self.roles.isdisjoint(roles)


def _bind(principal: Principal) -> Caller:
    return Caller(**{**vars(principal), "tenant_id": TenantId(principal.tenant_id)})


def allows(roles: frozenset[str], principal: Principal, method: str) -> bool:
    """Whether one of `roles` lets `principal` make a call with `method`; auditors only read."""
    held = principal.roles if method in READ_METHODS else principal.roles - {AUDITOR}
    return not held.isdisjoint(roles)


def permission(*roles: str) -> Callable[..., Coroutine[Any, Any, Caller]]:
    """A dependency: the caller bound to its tenant when one of `roles` allows the call, else 403."""
    allowed = frozenset(roles)

    async def dependency(request: Request, principal: CurrentPrincipal) -> Caller:
        if not allows(allowed, principal, request.method):
            raise forbidden()
        return _bind(principal)

    dependency.__name__ = "may_" + "_or_".join(sorted(allowed))
    return dependency


async def signed_in(principal: CurrentPrincipal) -> Caller:
    """Any verified caller, for what every user may do for itself (its profile, password, tenant)."""
    return _bind(principal)


SignedIn = Annotated[Caller, Depends(signed_in)]
