"""Tokens: sign-in, refresh, logout, the caller (contract §2, §3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from services.common.deps import SessionDep
from services.identity import session_service, user_service
from services.identity.access import SignedIn
from services.identity.deps import ContextDep
from services.identity.schemas import RefreshRequest, TokenRequest

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", name="auth.token")
def issue_token(body: TokenRequest, ctx: ContextDep) -> dict[str, Any]:
    return session_service.sign_in(ctx, body.tenant, body.email, body.password).as_dict()


@router.post("/refresh", name="auth.refresh")
def refresh_token(body: RefreshRequest, ctx: ContextDep) -> dict[str, Any]:
    return session_service.refresh(ctx, body.refresh_token).as_dict()


@router.post("/logout", name="auth.logout", status_code=204)
def logout(caller: SignedIn, ctx: ContextDep, session: SessionDep) -> Response:
    session_service.logout(ctx, session, caller)
    return Response(status_code=204)


@router.get("/me", name="auth.me")
def me(caller: SignedIn, session: SessionDep) -> dict[str, Any]:
    """The caller as stored now (the verifier has just refused revoked tokens and inactive users)."""
    user = user_service.read_self(session, caller)
    return {"id": user.id, "tenant_id": user.tenant_id, "email": user.email, "name": user.name,
            "roles": list(user.roles)}
