"""Users of the caller's tenant and the caller's own password (contract §3)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from services.common.deps import SessionDep
from services.common.pagination import PageDep
from services.common.routing import PlatformRoute
from services.common.tenancy import SignedIn
from services.identity import user_service
from services.identity.access import CanListUsers, CanManageUsers
from services.identity.deps import ContextDep
from services.identity.schemas import PasswordChange, UserCreate, UserOut, UserPage, UserPatch
from services.identity.views import user_view

router = APIRouter(prefix="/api/v1/users", tags=["users"], route_class=PlatformRoute)


@router.post("", name="user.created", status_code=201, response_model=UserOut)
def create_user(body: UserCreate, caller: CanManageUsers, ctx: ContextDep, session: SessionDep) -> UserOut:
    return user_view(user_service.create_user(ctx, session, caller, body))


@router.get("", name="user.listed", response_model=UserPage)
def list_users(caller: CanListUsers, page: PageDep, session: SessionDep) -> UserPage:
    return user_service.list_users(session, caller, page)


@router.post("/me/password", name="password.changed", status_code=204)
def change_password(body: PasswordChange, caller: SignedIn, ctx: ContextDep) -> Response:
    user_service.change_password(ctx, caller, body)
    return Response(status_code=204)


@router.get("/{user_id}", name="user.read", response_model=UserOut)
def read_user(user_id: str, caller: SignedIn, session: SessionDep) -> UserOut:
    return user_view(user_service.read_user(session, caller, user_id))


@router.patch("/{user_id}", name="user.updated", response_model=UserOut)
def update_user(user_id: str, body: UserPatch, caller: SignedIn, ctx: ContextDep,
                session: SessionDep) -> UserOut:
    return user_view(user_service.update_user(ctx, session, caller, user_id, body))
