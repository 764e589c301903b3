"""Request-scoped dependencies shared by the services: the database session, the caller's tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from services.common.auth import CurrentPrincipal
from services.common.db import abandon, finish
from services.common.identity_client import IdentityUnavailable, TokenRejected
from services.common.problems import ProblemError, unauthenticated
from services.common.routing import in_process
from services.common.tenant_facts import TenantFacts, TenantFactsCache, TenantSettings

Fact = TypeVar("Fact")


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's transaction, opened on the event loop (a session connects only at its first statement,
    in the endpoint). It ends on the loop when that costs nothing worth a thread hop: a route has already
    committed it (`routing`), or its database is in-process (SQLite) and it is a read or failed (a rollback
    only drops the transaction's pages). Any other commit, which may write much (an upload) or wait on a
    network, gets a worker thread. An async generator: a sync one costs two thread hops, entry and exit."""
    readonly = request.method in ("GET", "HEAD")
    session = request.app.state.db.open_session(readonly=readonly)
    try:
        yield session
    except BaseException:
        await _end(abandon, session, quick=in_process(session))
        raise
    await _end(finish, session, quick=readonly and in_process(session))


async def _end(how: Callable[[Session], None], session: Session, *, quick: bool) -> None:
    if quick or not session.in_transaction():
        how(session)
    else:
        await anyio.to_thread.run_sync(how, session)


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
