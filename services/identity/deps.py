"""Identity's request dependencies, named after what they allow (Polar style)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.common.auth import CurrentPrincipal, Principal, require_roles
from services.common.problems import unauthenticated
from services.identity.context import IdentityContext
from services.identity.roles import ADMIN, ANALYST, AUDITOR, OPERATOR
from services.identity.scope import TenantScope, tenant_scope
from services.identity.verifier import IdentityPrincipal


def get_context(request: Request) -> IdentityContext:
    return request.app.state.identity_context


def signed_in(principal: CurrentPrincipal) -> IdentityPrincipal:
    if not isinstance(principal, IdentityPrincipal):  # identity always runs its LocalVerifier
        raise unauthenticated()
    return principal


def caller_scope(principal: CurrentPrincipal) -> TenantScope:
    return tenant_scope(principal)


ContextDep = Annotated[IdentityContext, Depends(get_context)]
SignedIn = Annotated[IdentityPrincipal, Depends(signed_in)]
ScopeDep = Annotated[TenantScope, Depends(caller_scope)]
CanManageUsers = Annotated[Principal, Depends(require_roles(ADMIN))]
CanListUsers = Annotated[Principal, Depends(require_roles(ADMIN, AUDITOR))]
CanCreateTenants = Annotated[Principal, Depends(require_roles(OPERATOR))]
CanChangeSettings = Annotated[Principal, Depends(require_roles(ADMIN))]
CanReportUsage = Annotated[Principal, Depends(require_roles(ANALYST, ADMIN))]
