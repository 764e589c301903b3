"""Identity's public signing keys (contract §2)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from services.common.routing import PlatformRoute
from services.identity.deps import ContextDep

router = APIRouter(tags=["keys"], route_class=PlatformRoute)


@router.get("/.well-known/jwks.json", name="jwks")
def jwks(ctx: ContextDep) -> dict[str, list[dict[str, Any]]]:
    return {"keys": [ctx.key.public_jwk]}
