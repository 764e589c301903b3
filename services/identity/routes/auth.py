"""Tokens: sign-in, refresh, logout, the caller (contract §2, §3)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from services.common.deps import SessionDep
from services.common.routing import PlatformRoute
from services.common.tenancy import SignedIn
from services.identity import session_service, user_service
from services.identity.deps import ContextDep
from services.identity.schemas import MeOut, RefreshRequest, TokenPairOut, TokenRequest
from services.identity.views import me_view

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=PlatformRoute)


@router.post("/token", name="auth.token", response_model=TokenPairOut)
def issue_token(body: TokenRequest, ctx: ContextDep) -> TokenPairOut:
    return session_service.sign_in(ctx, body.tenant, body.email, body.password)


@router.post("/refresh", name="auth.refresh", response_model=TokenPairOut)
def refresh_token(body: RefreshRequest, ctx: ContextDep) -> TokenPairOut:
    return session_service.refresh(ctx, body.refresh_token)


@router.post("/logout", name="auth.logout", status_code=204)
def logout(caller: SignedIn, ctx: ContextDep, session: SessionDep) -> Response:
    session_service.logout(ctx, session, caller)
    return Response(status_code=204)


@router.get("/me", name="auth.me", response_model=MeOut)
def me(caller: SignedIn, session: SessionDep) -> MeOut:
    """The caller as stored now (the verifier has just refused revoked tokens and inactive users)."""
    return me_view(user_service.read_self(session, caller))
