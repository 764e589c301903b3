"""Tokens: sign-in, refresh, logout, the caller (contract §2, §3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from services.common.deps import SessionDep
from services.identity import session_service
from services.identity.deps import ContextDep, SignedIn
from services.identity.schemas import RefreshRequest, TokenRequest

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/token", name="auth.token")
def issue_token(body: TokenRequest, ctx: ContextDep) -> dict[str, Any]:
    return session_service.sign_in(ctx, body.tenant, body.email, body.password).as_dict()


@router.post("/refresh", name="auth.refresh")
def refresh_token(body: RefreshRequest, ctx: ContextDep) -> dict[str, Any]:
    return session_service.refresh(ctx, body.refresh_token).as_dict()


@router.post("/logout", name="auth.logout", status_code=204)
def logout(principal: SignedIn, ctx: ContextDep, session: SessionDep) -> Response:
    session_service.logout(ctx, session, principal)
    return Response(status_code=204)


@router.get("/me", name="auth.me")
def me(principal: SignedIn) -> dict[str, Any]:
    """Cheap: the verifier has already read the user's current state (401 when revoked or inactive)."""
    return {"id": principal.user_id, "tenant_id": principal.tenant_id, "email": principal.email,
            "name": principal.name, "roles": list(principal.role_list)}



