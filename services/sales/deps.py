"""Sales request dependencies: the audit log, `If-Match`, and the tenant's terms (currency, threshold)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from services.common.audit import AuditLog
from services.common.deps import TenantFactsDep, TenantSettingsDep
from services.sales.access import CanUseSales
from services.sales.deal_service import TenantTerms


async def get_audit(request: Request) -> AuditLog:
    return request.app.state.audit


AuditDep = Annotated[AuditLog, Depends(get_audit)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


async def tenant_terms(
    _caller: CanUseSales,  # role check first: a refused caller never costs a call to identity
    tenant: TenantFactsDep,
    settings: TenantSettingsDep,
) -> TenantTerms:
    return TenantTerms(currency=tenant.currency, threshold=settings.discount_approval_threshold)


TermsDep = Annotated[TenantTerms, Depends(tenant_terms)]
