"""Who is calling: bearer-token verification and per-tenant rate limiting (contract §2).

A verified token gives a `Principal`; what the principal may do, and in which tenant, is decided by the
permission dependencies of `services.common.tenancy`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

import jwt
from fastapi import Depends, Request
from jwt.algorithms import RSAAlgorithm

from services.common.identity_client import (
    IdentityClient,
    IdentityUnavailable,
    TokenRejected,
    TtlCache,
    recently_unreachable,
)
from services.common.problems import ProblemError, unauthenticated
from services.common.ratelimit import retry_after_header
from services.common.single_flight import SingleFlight

AUDIENCE = "platform-api"
LEEWAY_SECONDS = 10


@dataclass(frozen=True)
class Principal:
    """What a verified access token proves: who calls, from which tenant, with which current roles.

    `session_id` is the token's `sid` claim (the refresh family it was issued from, a platform extension),
    `expires_at` its `exp`.
    """

    user_id: str
    tenant_id: str
    roles: frozenset[str]
    jti: str
    token: str
    session_id: str | None = None
    expires_at: int = 0


def principal_of(claims: dict[str, Any], token: str, roles: Collection[str]) -> Principal:
    """The principal of verified `claims`, with the roles that count now (not necessarily the token's)."""
    sid = claims.get("sid")
    return Principal(user_id=claims["sub"], tenant_id=claims["tid"], roles=frozenset(roles), jti=claims["jti"],
                     token=token, session_id=sid if isinstance(sid, str) else None, expires_at=int(claims["exp"]))


class SharedStates(Protocol):
    """Identity's last answers about passes, shared by a service's worker processes."""

    def remember(self, jti: str, state: dict[str, Any], until: float) -> None: ...

    def recall(self, jti: str) -> dict[str, Any] | None: ...


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Principal:
        """Return the caller, or raise ProblemError 401 (`unauthenticated()`)."""
        ...


def decode_claims(token: str, key: Any, *, issuer: str) -> dict[str, Any]:
    """Verify an RS256 token's signature and registered claims; 401 on any failure."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            audience=AUDIENCE,
            issuer=issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise unauthenticated("The access token is invalid or expired.") from exc
    if not isinstance(claims.get("tid"), str) or not isinstance(claims.get("roles"), list):
        raise unauthenticated("The access token lacks tenant or roles.")
    return claims


def token_header(token: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise unauthenticated("The access token is malformed.") from exc
    if header.get("alg") != "RS256" or not isinstance(header.get("kid"), str):
        raise unauthenticated("The access token must be signed RS256 with a key id.")
    return header


class JwksCache:
    """Identity's public keys by `kid`, fetched over HTTP and kept while identity is down."""

    def __init__(self, identity: IdentityClient, *, min_refetch_interval: float = 1.0) -> None:
        self.identity = identity
        self.min_refetch_interval = min_refetch_interval
        self._keys: dict[str, Any] = {}
        self._last_fetch = 0.0
        self._lock = asyncio.Lock()
        self.fetched_once = False

    async def refresh(self) -> bool:
        try:
            document = await self.identity.jwks()
        except (IdentityUnavailable, TokenRejected):
            return False
        keys: dict[str, Any] = {}
        for jwk in document.get("keys", []):
            if jwk.get("kty") == "RSA" and isinstance(jwk.get("kid"), str):
                keys[jwk["kid"]] = RSAAlgorithm.from_jwk(json.dumps(jwk))
        self._keys.update(keys)
        self.fetched_once = True
        return True

    async def key(self, kid: str) -> Any | None:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._last_fetch >= self.min_refetch_interval:
                self._last_fetch = time.monotonic()
                await self.refresh()
        return self._keys.get(kid)


class VerifiedTokens:
    """Claims of tokens already verified (signature and registered claims), by token string, while they last.

    A service sees the same pass on every call of its holder: checking its signature again each time costs
    about half a millisecond (PyJWT decodes the base64 in Python, then RSA). A hit is still refused once its
    `exp` (with the leeway) has passed: it is dropped and decoded again, which refuses it. Keys are only ever
    added to the JWKS cache, so a signature once good stays good. Bounded: the oldest entries go first.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._claims: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def get(self, token: str) -> dict[str, Any] | None:
        claims = self._claims.get(token)
        if claims is not None and time.time() >= claims["exp"] + LEEWAY_SECONDS:
            del self._claims[token]
            return None
        return claims

    def put(self, token: str, claims: dict[str, Any]) -> None:
        self._claims[token] = claims
        while len(self._claims) > self.capacity:
            self._claims.popitem(last=False)


class RemoteVerifier:
    """Sales and anomaly: signature from cached JWKS; roles, activity and revocation from identity.

    Identity's `/auth/me` answer for a token is cached for `state_ttl` seconds, which bounds how long a
    revocation or role change takes to reach this service (contract: within 2 s). While identity is
    unreachable the last answer (or, failing that, the token's own claims) stands. With several worker
    processes, `shared_states` holds the last answers of all of them, so a pass one worker saw refused stays
    refused by the others while identity is down.
    """

    def __init__(self, identity: IdentityClient, *, issuer: str, state_ttl: float = 1.0) -> None:
        self.identity = identity
        self.issuer = issuer
        self.keys = JwksCache(identity)
        self._states = TtlCache(state_ttl)
        self._asking: SingleFlight[dict[str, Any]] = SingleFlight()
        self._verified = VerifiedTokens()
        self.shared_states: SharedStates | None = None

    async def verify(self, token: str) -> Principal:
        claims = self._verified.get(token)
        if claims is None:
            header = token_header(token)
            key = await self.keys.key(header["kid"])
            if key is None:
                raise unauthenticated("The access token was signed by an unknown key.")
            claims = decode_claims(token, key, issuer=self.issuer)
            self._verified.put(token, claims)
        return principal_of(claims, token, await self._current_roles(token, claims))

    async def _current_roles(self, token: str, claims: dict[str, Any]) -> list[str]:
        jti = claims["jti"]
        state = self._states.fresh(jti)
        if state is None and recently_unreachable(self.identity):
            # Identity failed moments ago: the last answer, or the token's claims, without waiting for it again.
            state = self._last_known(jti, claims)
        if state is None:
            try:
                state = await self._asking.ask(jti, lambda: self._ask_identity(token, claims))
            except IdentityUnavailable:
                state = self._last_known(jti, claims)
            self._states.put(jti, state)
        if not state["ok"]:
            raise unauthenticated("The access token has been revoked or its user is inactive.")
        return state["roles"]

    async def _ask_identity(self, token: str, claims: dict[str, Any]) -> dict[str, Any]:
        try:
            me = await self.identity.me(token)
            state = {"roles": list(me.get("roles", [])), "ok": me.get("id") == claims["sub"]}
        except TokenRejected:
            state = {"roles": [], "ok": False}
        if self.shared_states is not None:
            self.shared_states.remember(claims["jti"], state, float(claims["exp"]))
        return state

    def _last_known(self, jti: str, claims: dict[str, Any]) -> dict[str, Any]:
        """Identity cannot say: this process's last answer, another worker's, or else the token's own claims."""
        state = self._states.stale(jti)
        if state is None and self.shared_states is not None:
            state = self.shared_states.recall(jti)
        return state or {"roles": list(claims["roles"]), "ok": True}

    async def warm_up(self) -> bool:
        return await self.keys.refresh()

    @property
    def ready(self) -> bool:
        return self.keys.fetched_once


def _bearer_token(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise unauthenticated("Sign in first: this call needs an access token.", token_sent=False)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("The Authorization header must be 'Bearer <access token>'.")
    return token.strip()


async def current_principal(request: Request) -> Principal:
    """The verified caller; also applies the caller's tenant rate limit."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    principal = await request.app.state.verifier.verify(_bearer_token(request))
    request.state.principal = principal
    wait = request.app.state.limiter.acquire(principal.tenant_id)
    if wait is not None:
        raise ProblemError(429, "rate-limited", "Your organisation is sending too many requests.",
                           headers={"Retry-After": retry_after_header(wait)})
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]

