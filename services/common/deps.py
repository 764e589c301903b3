"""Request-scoped dependencies shared by the services."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from services.common.auth import CurrentPrincipal
from services.common.identity_client import IdentityUnavailable, TenantFacts, TokenRejected
from services.common.problems import ProblemError, unauthenticated


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.db.session(readonly=request.method in ("GET", "HEAD")) as session:
        yield session


# scope="function": the commit runs when the endpoint returns, before the answer is sent (durability).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def _facts(request: Request, principal: CurrentPrincipal, kind: str) -> dict[str, Any]:
    facts: TenantFacts = request.app.state.tenant_facts
    try:
        if kind == "tenant":
            return await facts.tenant(principal.tenant_id, principal.token)
        return await facts.settings(principal.tenant_id, principal.token)
    except TokenRejected as exc:
        raise unauthenticated("The access token has been revoked or its user is inactive.") from exc
    except IdentityUnavailable as exc:
        raise ProblemError(503, "service-unavailable", "The identity service cannot be reached.") from exc


async def tenant_of_caller(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """Identity's `/tenants/current` for the caller: id, slug, plan, currency, limits, usage."""
    return await _facts(request, principal, "tenant")


async def settings_of_caller(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
    """Identity's `/tenants/current/settings` for the caller (e.g. discount_approval_threshold)."""
    return await _facts(request, principal, "settings")


TenantDep = Annotated[dict[str, Any], Depends(tenant_of_caller)]
TenantSettingsDep = Annotated[dict[str, Any], Depends(settings_of_caller)]
