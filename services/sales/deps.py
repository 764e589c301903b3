"""Sales request dependencies: the audit log, the tenant's terms (currency, approval threshold)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from services.common.audit import AuditLog
from services.common.deps import TenantDep, TenantSettingsDep
from services.common.money import CURRENCIES
from services.common.problems import ProblemError
from services.sales.access import CanUseSales
from services.sales.deal_service import TenantTerms
from services.sales.pricing import DEFAULT_THRESHOLD


def get_audit(request: Request) -> AuditLog:
    return request.app.state.audit


AuditDep = Annotated[AuditLog, Depends(get_audit)]
IfMatch = Annotated[str | None, Header(alias="If-Match")]


def currency_of(tenant: dict[str, Any]) -> str:
    currency = tenant.get("currency")
    if currency not in CURRENCIES:
        raise ProblemError(503, "service-unavailable", "The identity service did not name the tenant's currency.")
    return str(currency)


def threshold_of(settings: dict[str, Any]) -> Decimal:
    raw = settings.get("discount_approval_threshold")
    if raw is None:
        return DEFAULT_THRESHOLD
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise ProblemError(503, "service-unavailable", "The tenant's approval threshold is unreadable.") from exc


async def tenant_terms(
    _caller: CanUseSales,  # role check first: a refused caller never costs a call to identity
    tenant: TenantDep,
    settings: TenantSettingsDep,
) -> TenantTerms:
    return TenantTerms(currency=currency_of(tenant), threshold=threshold_of(settings))


TermsDep = Annotated[TenantTerms, Depends(tenant_terms)]
