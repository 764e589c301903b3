"""Who may do what (contract §5), and the only place that mints a `TenantId`.

Repositories take a `TenantId`, so they cannot be called without a verified caller's tenant.
Role checks run as dependencies, before any lookup: a caller whose roles never allow a call gets
403 whatever the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, NewType

from fastapi import Depends, Request

from services.common.auth import Principal, require_roles
from services.common.deps import tenant_of_caller
from services.common.plans import PLAN_LIMITS
from services.common.problems import quota_exceeded

TenantId = NewType("TenantId", str)

WRITER_ROLES = ("analyst", "admin")
READER_ROLES = (*WRITER_ROLES, "auditor")


@dataclass(frozen=True)
class Caller:
    principal: Principal
    tenant_id: TenantId

    @property
    def user_id(self) -> str:
        return self.principal.user_id


_may_read = require_roles(*READER_ROLES)
_may_write = require_roles(*WRITER_ROLES)


async def can_read(principal: Annotated[Principal, Depends(_may_read)]) -> Caller:
    return Caller(principal, TenantId(principal.tenant_id))


async def can_write(principal: Annotated[Principal, Depends(_may_write)]) -> Caller:
    return Caller(principal, TenantId(principal.tenant_id))


CanRead = Annotated[Caller, Depends(can_read)]
CanWrite = Annotated[Caller, Depends(can_write)]


@dataclass(frozen=True)
class Limits:
    detectors: int
    dataset_rows: int

    def check_dataset_rows(self, rows: int) -> None:
        if rows > self.dataset_rows:
            raise quota_exceeded(
                f"The dataset has {rows} rows; your plan allows {self.dataset_rows} rows per dataset."
            )

    def check_detectors(self, existing: int) -> None:
        if existing >= self.detectors:
            raise quota_exceeded(f"Your plan allows {self.detectors} detectors and they are all in use.")


async def writer_limits(request: Request, caller: CanWrite) -> Limits:
    """The caller's plan limits, as identity's `/tenants/current` states them (after the role check)."""
    tenant = await tenant_of_caller(request, caller.principal)
    limits = tenant.get("limits") or PLAN_LIMITS.get(str(tenant.get("plan")), PLAN_LIMITS["starter"])
    return Limits(detectors=int(limits["detectors"]), dataset_rows=int(limits["dataset_rows"]))


WriterLimits = Annotated[Limits, Depends(writer_limits)]
