"""Request-scoped dependencies shared by the services: the database session, the caller's tenant."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from services.common.auth import CurrentPrincipal
from services.common.identity_client import IdentityUnavailable, TokenRejected
from services.common.problems import ProblemError, unauthenticated
from services.common.tenant_facts import TenantFacts, TenantFactsCache, TenantSettings

Fact = TypeVar("Fact")


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.db.session(readonly=request.method in ("GET", "HEAD")) as session:
        yield session


# scope="function": the commit runs when the endpoint returns, before the answer is sent (durability).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _tenant_facts(request: Request) -> TenantFactsCache:
    return request.app.state.tenant_facts


async def _from_identity(question: Awaitable[Fact]) -> Fact:
    try:
        return await question
    except TokenRejected as exc:
        raise unauthenticated("The access token has been revoked or its user is inactive.") from exc
    except IdentityUnavailable as exc:
        raise ProblemError(503, "service-unavailable", "The identity service cannot be reached.") from exc


async def facts_of_callers_tenant(request: Request, principal: CurrentPrincipal) -> TenantFacts:
    """The caller's tenant as identity states it (`/tenants/current`): currency, plan, limits."""
    return await _from_identity(_tenant_facts(request).facts(principal.tenant_id, principal.token))


async def settings_of_callers_tenant(request: Request, principal: CurrentPrincipal) -> TenantSettings:
    """The caller's tenant settings as identity states them (`/tenants/current/settings`)."""
    return await _from_identity(_tenant_facts(request).settings(principal.tenant_id, principal.token))


TenantFactsDep = Annotated[TenantFacts, Depends(facts_of_callers_tenant)]
TenantSettingsDep = Annotated[TenantSettings, Depends(settings_of_callers_tenant)]
