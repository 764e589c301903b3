"""Who may do what in sales: permission dependencies named after what they allow (Polar style).

A `SalesActor` is the only way to get a `TenantId`, and every repository function takes one, so
no query can run unscoped. Ownership rules live here once, not copied into each endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, NewType

from fastapi import Depends

from services.common.auth import Principal, require_roles
from services.common.problems import forbidden

TenantId = NewType("TenantId", str)

ADMIN, MANAGER, REP, AUDITOR = "admin", "sales_manager", "sales_rep", "auditor"
SEE_ALL_ROLES = frozenset({ADMIN, MANAGER, AUDITOR})


@dataclass(frozen=True)
class SalesActor:
    """An authorised caller of the sales API, bound to its tenant."""

    principal: Principal
    tenant_id: TenantId

    @property
    def user_id(self) -> str:
        return self.principal.user_id

    @property
    def roles(self) -> frozenset[str]:
        return self.principal.roles

    @property
    def sees_all(self) -> bool:
        """Managers, admins and auditors see the whole tenant; a rep sees only its own."""
        return bool(self.roles & SEE_ALL_ROLES)

    def ensure_owns(self, owner_id: str) -> None:
        """403 unless the caller sees all or owns the resource (call after the 404 lookup)."""
        if not self.sees_all and owner_id != self.user_id:
            raise forbidden("You may only act on your own clients and deals.")

    def ensure_may_assign(self, owner_id: str) -> None:
        """Only managers and admins may name someone else as a client's owner."""
        if owner_id != self.user_id and not self.roles & {ADMIN, MANAGER}:
            raise forbidden("You may not assign a client to another owner.")


def _actor(*roles: str) -> Callable[..., Coroutine[Any, Any, SalesActor]]:
    check = require_roles(*roles)

    async def dependency(principal: Principal = Depends(check)) -> SalesActor:
        return SalesActor(principal, TenantId(principal.tenant_id))

    return dependency


# Reading and changing clients and deals (auditors: reads only, enforced by require_roles).
SalesUser = Annotated[SalesActor, Depends(_actor(ADMIN, MANAGER, REP, AUDITOR))]
# Recording payments.
PaymentRecorder = Annotated[SalesActor, Depends(_actor(ADMIN, MANAGER))]
# Deciding on a discount approval.
Approver = Annotated[SalesActor, Depends(_actor(ADMIN, MANAGER))]
# Whole-tenant reports.
ReportReader = Annotated[SalesActor, Depends(_actor(ADMIN, MANAGER, AUDITOR))]
