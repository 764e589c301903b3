"""Sign-in, refresh-token rotation and logout (contract §2, §3).

Failures that must leave a trace (a failed sign-in's count and audit event, a killed refresh family)
are committed in their own transaction before the refusal is raised. Argon2 runs outside any
transaction, so a slow hash never holds the database's write lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.problems import ProblemError, unauthenticated
from services.common.tenancy import Caller
from services.identity.context import IdentityContext
from services.identity.hashing import verify_password
from services.identity.models import RefreshFamily, RefreshToken, RevokedAccessToken, SignInAttempts, User
from services.identity.repository import (
    callers_session,
    email_key,
    family_of,
    tenant_by_slug,
    user_by_email,
    user_of_credentials,
)
from services.identity.schemas import TokenPairOut
from services.identity.throttle import AttemptState, register_failure, retry_after
from services.identity.tokens import mint_access_token, new_refresh_token, refresh_token_digest

INVALID_CREDENTIALS = "The tenant, email or password is wrong."
MAX_KEY = 320
MAX_TENANT_KEY = 64  # SignInAttempts.tenant_key's length; real slugs have at most 32 characters


@dataclass(frozen=True)
class _Candidate:
    tenant_id: str | None
    user_id: str | None
    password_hash: str | None
    active: bool


def issue_pair(session: Session, ctx: IdentityContext, user: User, family_id: str | None,
               now: datetime) -> TokenPairOut:
    """A new access token and a new refresh token; `family_id=None` starts a new family (a sign-in)."""
    if family_id is None:
        family = RefreshFamily(user_id=user.id, tenant_id=user.tenant_id, created_at=now)
        session.add(family)
        session.flush()
        family_id = family.id
    refresh = new_refresh_token()
    session.add(RefreshToken(
        token_hash=refresh_token_digest(refresh), family_id=family_id, user_id=user.id, created_at=now,
        expires_at=now + timedelta(seconds=ctx.settings.refresh_token_ttl),
    ))
    access = mint_access_token(ctx.key, issuer=ctx.settings.issuer, ttl=ctx.settings.access_token_ttl,
                               user_id=user.id, tenant_id=user.tenant_id, roles=list(user.roles), now=now,
                               session_id=family_id)
    return TokenPairOut(access_token=access.token, refresh_token=refresh, expires_in=access.expires_in)


def _attempts(session: Session, tenant_key: str, mail_key: str) -> SignInAttempts | None:
    return session.scalar(select(SignInAttempts).where(SignInAttempts.tenant_key == tenant_key,
                                                       SignInAttempts.email_key == mail_key))


def _state(row: SignInAttempts | None) -> AttemptState:
    if row is None:
        return AttemptState()
    return AttemptState(row.failures, row.window_started_at, row.locked_until)


def sign_in(ctx: IdentityContext, tenant_slug: str, email: str, password: str) -> TokenPairOut:
    now = utcnow()
    tenant_key, mail_key = tenant_slug.strip().lower()[:MAX_TENANT_KEY], email_key(email)[:MAX_KEY]
    with ctx.db.session() as session:
        wait = retry_after(_state(_attempts(session, tenant_key, mail_key)), now)
        tenant = tenant_by_slug(session, tenant_key)
        user = user_by_email(session, tenant.id, email) if tenant is not None else None
        candidate = _Candidate(tenant.id if tenant else None, user.id if user else None,
                               user.password_hash if user else None, bool(user and user.active))
        if wait is not None and candidate.tenant_id is not None:
            ctx.audit.record(session, None, "auth.login_throttled", "user", candidate.user_id,
                             outcome="denied", tenant_id=candidate.tenant_id, actor_id=candidate.user_id)
    if wait is not None:
        raise ProblemError(429, "too-many-attempts", "Too many failed sign-ins; try again later.",
                           headers={"Retry-After": str(wait)})
    # Always one argon2 verification, also for unknown tenants and emails (no timing oracle).
    accepted = verify_password(candidate.password_hash, password) and candidate.active
    pair = _settle(ctx, tenant_key, mail_key, candidate, accepted, now)
    if pair is None:
        raise ProblemError(401, "invalid-credentials", INVALID_CREDENTIALS)
    return pair


def _settle(ctx: IdentityContext, tenant_key: str, mail_key: str, candidate: _Candidate, accepted: bool,
            now: datetime) -> TokenPairOut | None:
    for attempt in range(2):  # a concurrent first failure may insert the same (tenant, email) row
        try:
            with ctx.db.session() as session:
                user = (user_of_credentials(session, candidate.tenant_id, candidate.user_id)
                        if accepted and candidate.tenant_id and candidate.user_id else None)
                if user is not None and user.active:
                    session.execute(delete(SignInAttempts).where(SignInAttempts.tenant_key == tenant_key,
                                                                 SignInAttempts.email_key == mail_key))
                    pair = issue_pair(session, ctx, user, None, now)
                    ctx.audit.record(session, None, "auth.login", "user", user.id,
                                     tenant_id=user.tenant_id, actor_id=user.id)
                    return pair
                _count_failure(session, tenant_key, mail_key, now, ctx.settings.lockout_seconds)
                if candidate.tenant_id is not None:
                    ctx.audit.record(session, None, "auth.login_failed", "user", candidate.user_id,
                                     outcome="denied", tenant_id=candidate.tenant_id,
                                     actor_id=candidate.user_id)
                return None
        except IntegrityError:
            if attempt == 1:
                raise
    return None


def _count_failure(session: Session, tenant_key: str, mail_key: str, now: datetime, lockout: int) -> None:
    row = _attempts(session, tenant_key, mail_key)
    state = register_failure(_state(row), now, lockout)
    if row is None:
        row = SignInAttempts(tenant_key=tenant_key, email_key=mail_key)
        session.add(row)
    row.failures, row.window_started_at, row.locked_until = (state.failures, state.window_started_at,
                                                             state.locked_until)


def refresh(ctx: IdentityContext, token: str) -> TokenPairOut:
    now = utcnow()
    pair: TokenPairOut | None = None
    with ctx.db.session() as session:
        row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == refresh_token_digest(token)))
        if row is not None:
            pair = _rotate(session, ctx, row, now)
    if pair is None:
        raise unauthenticated("The refresh token is invalid, expired or revoked.")
    return pair


def _rotate(session: Session, ctx: IdentityContext, row: RefreshToken, now: datetime) -> TokenPairOut | None:
    family = family_of(session, row)
    if family is None or family.revoked_at is not None:
        return None
    if row.used_at is not None:
        _kill(session, family, "reuse", now)
        ctx.audit.record(session, None, "auth.refresh_reused", "session", family.id, outcome="denied",
                         tenant_id=family.tenant_id, actor_id=family.user_id)
        return None
    if row.expires_at <= now:
        return None
    user = user_of_credentials(session, family.tenant_id, row.user_id)
    if user is None or not user.active:
        _kill(session, family, "inactive", now)
        return None
    claimed = session.execute(update(RefreshToken).where(RefreshToken.id == row.id,
                                                         RefreshToken.used_at.is_(None)).values(used_at=now))
    if getattr(claimed, "rowcount", 1) != 1:  # used concurrently: that is a reuse too
        _kill(session, family, "reuse", now)
        return None
    return issue_pair(session, ctx, user, family.id, now)


def _kill(session: Session, family: RefreshFamily, reason: str, now: datetime) -> None:
    family.revoked_at = now
    family.revoked_reason = reason


def logout(ctx: IdentityContext, session: Session, caller: Caller) -> None:
    """Revoke the access token's jti at once, and the refresh family it was issued from."""
    now = utcnow()
    if session.get(RevokedAccessToken, caller.jti) is None:
        expires = datetime.fromtimestamp(caller.expires_at, UTC) if caller.expires_at else now
        session.add(RevokedAccessToken(jti=caller.jti, user_id=caller.user_id, revoked_at=now,
                                       expires_at=expires))
    family = callers_session(session, caller)
    if family is not None and family.revoked_at is None:
        _kill(session, family, "logout", now)
    ctx.audit.record(session, caller, "auth.logout", "session", caller.session_id)
