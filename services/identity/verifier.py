"""Identity's own token verifier, plugged into common's auth in place of the remote one.

Signature and registered claims are checked by common (`token_header`, `decode_claims`) against
identity's own key; then the database decides, on every call (so revocation, deactivation and role
changes take effect at once): the jti is not revoked, the user exists, is active and belongs to the
token's tenant. The roles that count are the user's current roles, not the token's.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool

from services.common.auth import Principal, decode_claims, principal_of, token_header
from services.common.db import Database
from services.common.keys import SigningKey
from services.common.problems import unauthenticated
from services.identity.models import RevokedAccessToken
from services.identity.repository import user_of_credentials


class LocalVerifier:
    def __init__(self, key: SigningKey, db: Database, *, issuer: str) -> None:
        self.key = key
        self.public_key = key.private_key.public_key()
        self.db = db
        self.issuer = issuer

    async def verify(self, token: str) -> Principal:
        header = token_header(token)
        if header["kid"] != self.key.kid:
            raise unauthenticated("The access token was signed by an unknown key.")
        claims = decode_claims(token, self.public_key, issuer=self.issuer)
        return await run_in_threadpool(self._current_state, token, claims)

    def _current_state(self, token: str, claims: dict[str, Any]) -> Principal:
        with self.db.session(readonly=True) as session:
            if session.get(RevokedAccessToken, claims["jti"]) is not None:
                raise unauthenticated("The access token has been revoked.")
            user = user_of_credentials(session, claims["tid"], claims["sub"])
            if user is None or not user.active:
                raise unauthenticated("The access token's user is unknown or inactive.")
            return principal_of(claims, token, user.roles)
