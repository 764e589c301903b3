"""Helpers for the platform's own tests: a test key, token minting, a stand-in identity service.

Only tests import this module. Sales and anomaly tests plug `FakeIdentity` in place of identity.
"""

from __future__ import annotations

import functools
import time
import uuid
from dataclasses import asdict
from typing import Any

import jwt

from services.common.auth import AUDIENCE
from services.common.clock import rfc3339, utcnow
from services.common.identity_client import IdentityUnavailable, TokenRejected
from services.common.keys import SigningKey, generate_key
from services.common.plans import PLAN_LIMITS


@functools.lru_cache(maxsize=1)
def test_key() -> SigningKey:
    return generate_key()


def mint_token(
    key: SigningKey | None = None,
    *,
    sub: str,
    tid: str,
    roles: list[str],
    issuer: str = "platform-identity",
    audience: str = AUDIENCE,
    ttl: int = 900,
    jti: str | None = None,
    headers: dict[str, Any] | None = None,
    **extra_claims: Any,
) -> str:
    key = key or test_key()
    now = int(time.time())
    claims = {"iss": issuer, "aud": audience, "sub": sub, "tid": tid, "roles": roles, "iat": now, "nbf": now,
              "exp": now + ttl, "jti": jti or str(uuid.uuid4()), **extra_claims}
    return jwt.encode(claims, key.private_pem(), algorithm="RS256", headers={"kid": key.kid, **(headers or {})})


class FakeIdentity:
    """In-memory identity for sales/anomaly tests: tenants, users with current roles, revocations."""

    def __init__(self, key: SigningKey | None = None) -> None:
        self.key = key or test_key()
        self.tenants: dict[str, dict[str, Any]] = {}
        self.tenant_settings: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.revoked: set[str] = set()
        self.down = False

    def add_tenant(self, *, currency: str = "EUR", plan: str = "growth", threshold: str = "20",
                   slug: str | None = None) -> str:
        tenant_id = str(uuid.uuid4())
        self.tenants[tenant_id] = {
            "id": tenant_id, "name": slug or tenant_id[:8], "slug": slug or f"t-{tenant_id[:8]}", "plan": plan,
            "currency": currency, "created_at": rfc3339(utcnow()), "limits": asdict(PLAN_LIMITS[plan]),
            "usage": {"users": 0, "detectors": 0, "dataset_rows": 0},
        }
        self.tenant_settings[tenant_id] = {"discount_approval_threshold": threshold}
        return tenant_id

    def add_user(self, tenant_id: str, roles: list[str], *, name: str = "Test User") -> str:
        user_id = str(uuid.uuid4())
        self.users[user_id] = {"id": user_id, "tenant_id": tenant_id, "email": f"{user_id[:8]}@example.com",
                               "name": name, "roles": list(roles), "active": True}
        return user_id

    def token(self, user_id: str, **overrides: Any) -> str:
        user = self.users[user_id]
        claims: dict[str, Any] = {"sub": user_id, "tid": user["tenant_id"], "roles": list(user["roles"])}
        claims.update(overrides)
        return mint_token(self.key, **claims)

    def headers(self, user_id: str, **overrides: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user_id, **overrides)}"}

    def _user_of(self, token: str) -> dict[str, Any]:
        if self.down:
            raise IdentityUnavailable("fake identity is down")
        claims = jwt.decode(token, options={"verify_signature": False})
        user = self.users.get(claims.get("sub", ""))
        if user is None or not user["active"] or claims.get("jti") in self.revoked:
            raise TokenRejected()
        return user

    async def jwks(self) -> dict[str, Any]:
        if self.down:
            raise IdentityUnavailable("fake identity is down")
        return {"keys": [self.key.public_jwk]}

    async def me(self, token: str) -> dict[str, Any]:
        user = self._user_of(token)
        return {key: user[key] for key in ("id", "tenant_id", "email", "name", "roles")}

    async def tenant(self, token: str) -> dict[str, Any]:
        return self.tenants[self._user_of(token)["tenant_id"]]

    async def settings(self, token: str) -> dict[str, Any]:
        return self.tenant_settings[self._user_of(token)["tenant_id"]]

    async def aclose(self) -> None:
        return None
