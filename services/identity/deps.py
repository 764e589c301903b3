"""Identity's request dependencies besides permissions (those are in `access.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.identity.context import IdentityContext


async def get_context(request: Request) -> IdentityContext:
    return request.app.state.identity_context


ContextDep = Annotated[IdentityContext, Depends(get_context)]
