"""Minting RS256 access tokens and opaque refresh tokens (contract §2). No database, no HTTP.

Checking tokens is common's job (`services.common.auth.token_header` / `decode_claims`); identity's
own verifier (verifier.py) adds the database checks.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from services.common.auth import AUDIENCE
from services.common.ids import new_id
from services.common.keys import SigningKey, load_key, load_or_create_key
from services.common.settings import Settings

ALGORITHM = "RS256"
GENERATED_KEY_NAME = "identity-signing-key.pem"


@dataclass(frozen=True)
class AccessToken:
    token: str
    jti: str
    expires_in: int


def signing_key(settings: Settings) -> SigningKey:
    """SIGNING_KEY_FILE's key; when unset, `<data_dir>/identity-signing-key.pem`, created on first start
    and reused afterwards, so that a restart keeps issued tokens valid."""
    if settings.signing_key_file:
        return load_key(Path(settings.signing_key_file))
    return load_or_create_key(Path(settings.data_dir) / GENERATED_KEY_NAME)


def mint_access_token(
    key: SigningKey,
    *,
    issuer: str,
    ttl: int,
    user_id: str,
    tenant_id: str,
    roles: list[str],
    now: datetime,
    session_id: str | None = None,
) -> AccessToken:
    """`sid` (a platform extension claim) names the refresh family, so that logout can kill it."""
    jti = new_id()
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": user_id,
        "tid": tenant_id,
        "roles": list(roles),
        "iat": issued,
        "nbf": issued,
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
        "jti": jti,
    }
    if session_id is not None:
        claims["sid"] = session_id
    token = jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})
    return AccessToken(token=token, jti=jti, expires_in=ttl)


def new_refresh_token() -> str:
    """256 bits from the OS's CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


def refresh_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
