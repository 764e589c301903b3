"""Users of the caller's tenant and the caller's own password (contract §3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from services.common.deps import SessionDep
from services.common.pagination import PageDep, page_of
from services.identity import user_service
from services.identity.deps import CanListUsers, CanManageUsers, ContextDep, ScopeDep, SignedIn
from services.identity.repository import users_stmt
from services.identity.schemas import PasswordChange, UserCreate, UserPatch
from services.identity.views import user_view

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.post("", name="user.created", status_code=201)
def create_user(body: UserCreate, principal: CanManageUsers, scope: ScopeDep, ctx: ContextDep,
                session: SessionDep) -> dict[str, Any]:
    return user_view(user_service.create_user(ctx, session, principal, scope, body))


@router.get("", name="user.listed")
def list_users(_: CanListUsers, scope: ScopeDep, page: PageDep, session: SessionDep) -> dict[str, Any]:
    return page_of(session, users_stmt(scope), page, user_view)


@router.post("/me/password", name="password.changed", status_code=204)
def change_password(body: PasswordChange, principal: SignedIn, ctx: ContextDep) -> Response:
    user_service.change_password(ctx, principal, body)
    return Response(status_code=204)


@router.get("/{user_id}", name="user.read")
def read_user(user_id: str, principal: SignedIn, scope: ScopeDep, session: SessionDep) -> dict[str, Any]:
    return user_view(user_service.read_user(session, principal, scope, user_id))


@router.patch("/{user_id}", name="user.updated")
def update_user(user_id: str, body: UserPatch, principal: SignedIn, scope: ScopeDep, ctx: ContextDep,
                session: SessionDep) -> dict[str, Any]:
    return user_view(user_service.update_user(ctx, session, principal, scope, user_id, body))
