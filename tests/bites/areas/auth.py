"""Mutants of §2 authentication and §3 sign-in, tokens, passwords.

Each mutant breaks one promise; its case names the scenario that must go red. Identity's use-case modules
were renamed by the services refactor (sessions -> session_service, accounts -> user_service); `_module` takes
whichever of the two names exists, and `_replace` still refuses a seam that is gone.
"""

from __future__ import annotations

import contextvars
import importlib
import json
import os
import time
import unicodedata
from dataclasses import replace
from types import ModuleType
from typing import Any

from tests.bites.case import Case
from tests.bites.mutants import AppFactory, Mutant, MutantError, _replace

SESSIONS = ("services.identity.session_service", "services.identity.sessions")
USERS = ("services.identity.user_service", "services.identity.accounts")


def _module(*names: str) -> ModuleType:
    """The first of `names` that can be imported (a module renamed by a refactor)."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    raise MutantError(f"none of the modules {names} exists (was the service refactored again?)")


def _with_settings(factory: AppFactory, **changes: Any) -> AppFactory:
    """Serve the app built with `changes` made to the settings read from the environment."""
    from services.common.settings import load_settings

    return lambda: factory(replace(load_settings("identity"), **changes))  # type: ignore[call-arg]


# -- what a pass says -------------------------------------------------------------------------------
def default_pass_lifetime_hour(factory: AppFactory) -> AppFactory:
    """Without ACCESS_TOKEN_TTL, passes last 3600 s instead of the contract's 900 s."""
    if os.environ.get("ACCESS_TOKEN_TTL"):
        return factory
    return _with_settings(factory, access_token_ttl=3600)


def issuer_setting_ignored(factory: AppFactory) -> AppFactory:
    """Identity always issues (and accepts) passes from "platform-identity", whatever ISSUER says."""
    return _with_settings(factory, issuer="platform-identity")


# -- which passes are accepted ----------------------------------------------------------------------
def _verify_with(key_for: Any) -> None:
    """LocalVerifier.verify finds the key with `key_for(verifier, header)` (None: as usual)."""
    verifier = importlib.import_module("services.identity.verifier")
    auth = importlib.import_module("services.common.auth")
    original = verifier.LocalVerifier.verify

    async def verify(self: Any, token: str) -> Any:
        import jwt
        header = jwt.get_unverified_header(token)
        key = key_for(self, header)
        if key is None:
            return await original(self, token)
        claims = auth.decode_claims(token, key, issuer=self.issuer)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(self._current_state, token, claims)

    verifier.LocalVerifier.verify = verify  # type: ignore[method-assign]


def alg_none_any_case(factory: AppFactory) -> AppFactory:
    """Only the lower-case `alg: none` is refused; "None", "NONE", "nOnE" pass unsigned (a case-sensitive check)."""
    import jwt

    verifier = importlib.import_module("services.identity.verifier")
    original = verifier.LocalVerifier.verify

    async def verify(self: Any, token: str) -> Any:
        alg = jwt.get_unverified_header(token).get("alg", "")
        if alg != "none" and alg.lower() == "none":
            from starlette.concurrency import run_in_threadpool
            claims = jwt.decode(token, options={"verify_signature": False})
            return await run_in_threadpool(self._current_state, token, claims)
        return await original(self, token)

    verifier.LocalVerifier.verify = verify  # type: ignore[method-assign]
    return factory


def embedded_jwk_trusted(factory: AppFactory) -> AppFactory:
    """A pass carrying its key in a `jwk` header is verified with that key."""
    from jwt.algorithms import RSAAlgorithm

    _verify_with(lambda self, header: RSAAlgorithm.from_jwk(json.dumps(header["jwk"])) if "jwk" in header else None)
    return factory


def jku_followed(factory: AppFactory) -> AppFactory:
    """A pass naming a key list in a `jku` header is verified with the key of that list named by its kid."""
    import httpx
    from jwt.algorithms import RSAAlgorithm

    def key_for(self: Any, header: dict[str, Any]) -> Any:
        if "jku" not in header:
            return None
        keys = httpx.get(header["jku"], timeout=2).json()["keys"]
        jwk = next(key for key in keys if key.get("kid") == header.get("kid"))
        return RSAAlgorithm.from_jwk(json.dumps(jwk))

    _verify_with(key_for)
    return factory


def leeway_thirty_seconds(factory: AppFactory) -> AppFactory:
    """exp and nbf are checked with 30 s of leeway instead of at most 10 s."""
    _replace("services.common.auth", "LEEWAY_SECONDS", 30)
    return factory


def exp_not_required(factory: AppFactory) -> AppFactory:
    """A pass without `exp` is accepted (checked only when present)."""
    import jwt

    auth = importlib.import_module("services.common.auth")

    def decode_claims(token: str, key: Any, *, issuer: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=["RS256"], audience=auth.AUDIENCE, issuer=issuer, leeway=auth.LEEWAY_SECONDS,
                options={"require": ["iat", "nbf", "iss", "aud", "sub", "jti"]})
        except jwt.PyJWTError as exc:
            raise auth.unauthenticated("The access token is invalid or expired.") from exc
        return claims

    _replace("services.identity.verifier", "decode_claims", decode_claims)
    return factory


def any_rsa_algorithm(factory: AppFactory) -> AppFactory:
    """RS384 and RS512 signatures by the platform's key are accepted besides RS256."""
    import jwt

    auth = importlib.import_module("services.common.auth")
    algorithms = ["RS256", "RS384", "RS512"]

    def token_header(token: str) -> dict[str, Any]:
        header: dict[str, Any] = jwt.get_unverified_header(token)
        if header.get("alg") not in algorithms or not isinstance(header.get("kid"), str):
            raise auth.unauthenticated("The access token must be signed RS256 with a key id.")
        return header

    def decode_claims(token: str, key: Any, *, issuer: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=algorithms, audience=auth.AUDIENCE, issuer=issuer, leeway=auth.LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "nbf", "iss", "aud", "sub", "jti"]})
        except jwt.PyJWTError as exc:
            raise auth.unauthenticated("The access token is invalid or expired.") from exc
        return claims

    _replace("services.identity.verifier", "token_header", token_header)
    _replace("services.identity.verifier", "decode_claims", decode_claims)
    return factory


# -- revocations and refresh families ---------------------------------------------------------------
def logout_spares_refresh_family(factory: AppFactory) -> AppFactory:
    """Logout revokes the pass but leaves its refresh family (the renewal token) alive."""
    sessions = _module(*SESSIONS)
    original = sessions._kill

    def kill(session: Any, family: Any, reason: str, now: Any) -> None:
        if reason != "logout":
            original(session, family, reason, now)

    _replace(sessions.__name__, "_kill", kill)
    return factory


def password_change_spares_other_sign_ins(factory: AppFactory) -> AppFactory:
    """A password change kills only the refresh family of the sign-in it was made with."""
    from sqlalchemy import update

    from services.common.clock import utcnow
    from services.identity.models import RefreshFamily

    users = _module(*USERS)
    caller_family: contextvars.ContextVar[str | None] = contextvars.ContextVar("caller_family", default=None)
    change_password, revoke_families_of = users.change_password, users.revoke_families_of

    def change(ctx: Any, caller: Any, body: Any) -> None:
        token = caller_family.set(getattr(caller, "session_id", None))
        try:
            change_password(ctx, caller, body)
        finally:
            caller_family.reset(token)

    def revoke(session: Any, user_id: str, reason: str) -> None:
        if reason != "password_change":
            revoke_families_of(session, user_id, reason)
            return
        session.execute(update(RefreshFamily).where(RefreshFamily.id == caller_family.get())
                        .values(revoked_at=utcnow(), revoked_reason=reason))

    _replace(users.__name__, "change_password", change)
    _replace(users.__name__, "revoke_families_of", revoke)
    return factory


def killed_family_passes_refused(factory: AppFactory) -> AppFactory:
    """Passes issued from a killed refresh family are refused at once (instead of living out their lifetime)."""
    from services.common.problems import unauthenticated
    from services.identity.models import RefreshFamily

    verifier = importlib.import_module("services.identity.verifier")
    original = verifier.LocalVerifier._current_state

    def current_state(self: Any, token: str, claims: dict[str, Any]) -> Any:
        principal = original(self, token, claims)
        with self.db.session(readonly=True) as session:
            family = session.get(RefreshFamily, claims.get("sid")) if claims.get("sid") else None
            if family is not None and family.revoked_at is not None:
                raise unauthenticated("The sign-in this pass belongs to has ended.")
        return principal

    verifier.LocalVerifier._current_state = current_state  # type: ignore[method-assign]
    return factory


def revocation_late(factory: AppFactory) -> AppFactory:
    """A revoked pass keeps working on this service for 2.8 s after identity first refuses it (a revocation
    list synchronised every few seconds)."""
    auth = importlib.import_module("services.common.auth")
    original = auth.RemoteVerifier._current_roles
    first_refused: dict[str, float] = {}

    async def current_roles(self: Any, token: str, claims: dict[str, Any]) -> list[str]:
        try:
            return await original(self, token, claims)
        except auth.ProblemError:
            since = first_refused.setdefault(claims["jti"], time.monotonic())
            if time.monotonic() - since < 2.8:
                return list(claims["roles"])
            raise

    auth.RemoteVerifier._current_roles = current_roles  # type: ignore[method-assign]
    return factory


# -- throttling -------------------------------------------------------------------------------------
def lockout_per_tenant(factory: AppFactory) -> AppFactory:
    """Failed sign-ins are counted per tenant, not per (tenant, email): one person's lock-out locks everybody."""
    sessions = _module(*SESSIONS)
    _replace(sessions.__name__, "email_key", lambda email: "*")
    return factory


def lockout_setting_ignored(factory: AppFactory) -> AppFactory:
    """The lock-out is always 900 s, whatever LOCKOUT_SECONDS says."""
    return _with_settings(factory, lockout_seconds=900)


def refresh_lifetime_setting_ignored(factory: AppFactory) -> AppFactory:
    """Renewal tokens always last 14 days, whatever REFRESH_TOKEN_TTL says."""
    return _with_settings(factory, refresh_token_ttl=14 * 24 * 3600)


def retry_after_in_milliseconds(factory: AppFactory) -> AppFactory:
    """Retry-After of too-many-attempts counts milliseconds (900000 for a 900 s lock-out)."""
    sessions = _module(*SESSIONS)
    original = sessions.retry_after

    def retry_after(state: Any, now: Any) -> int | None:
        wait = original(state, now)
        return None if wait is None else wait * 1000

    _replace(sessions.__name__, "retry_after", retry_after)
    return factory


# -- passwords --------------------------------------------------------------------------------------
def email_rule_from_two_characters(factory: AppFactory) -> AppFactory:
    """The email rule applies to local parts of 2 characters too (contract: 3 or more)."""
    _replace("services.identity.passwords", "MIN_EMAIL_LOCAL_PART", 2)
    return factory


def deny_list_case_sensitive(factory: AppFactory) -> AppFactory:
    """The common-password list is compared as typed: "PaSsWoRd" is not found among the common passwords."""
    passwords = importlib.import_module("services.identity.passwords")
    original = passwords.check_password

    def check_password(password: str, email: str) -> list[Any]:
        violations = original(password, email)
        typed = unicodedata.normalize("NFKC", password)
        if typed != typed.casefold():
            violations = [violation for violation in violations if violation.code != "common_password"]
        return violations

    _replace("services.identity.passwords", "check_password", check_password)
    _replace(_module(*USERS).__name__, "check_password", check_password)
    return factory


def password_change_skips_rules(factory: AppFactory) -> AppFactory:
    """A new password chosen in a password change is not checked against the password rules."""
    users = _module(*USERS)
    original = users.password_errors

    def password_errors(field: str, password: str, email: str) -> list[Any]:
        return [] if field == "new_password" else original(field, password, email)

    _replace(users.__name__, "password_errors", password_errors)
    return factory


MUTANTS: tuple[Mutant, ...] = (
    Mutant("default_pass_lifetime_hour", ("identity",), "§2 Default lifetime 900 s", default_pass_lifetime_hour),
    Mutant("issuer_setting_ignored", ("identity",), "§2/§6 iss is the deployment's issuer (ISSUER)",
           issuer_setting_ignored),
    Mutant("alg_none_any_case", ("identity",), "§2 alg: none (any spelling): 401", alg_none_any_case),
    Mutant("embedded_jwk_trusted", ("identity",), "§2 the key is in identity's JWKS (by kid), never in the pass",
           embedded_jwk_trusted),
    Mutant("jku_followed", ("identity",), "§2 the key is in identity's JWKS (by kid), never where jku points",
           jku_followed),
    Mutant("leeway_thirty_seconds", ("identity",), "§2 exp/nbf leeway <= 10 s", leeway_thirty_seconds),
    Mutant("exp_not_required", ("identity",), "§2 exp is present", exp_not_required),
    Mutant("any_rsa_algorithm", ("identity",), "§2 alg is RS256", any_rsa_algorithm),
    Mutant("logout_spares_refresh_family", ("identity",), "§3 Logout revokes the refresh family",
           logout_spares_refresh_family),
    Mutant("password_change_spares_other_sign_ins", ("identity",),
           "§3 A password change kills all the user's refresh families", password_change_spares_other_sign_ins),
    Mutant("killed_family_passes_refused", ("identity",),
           "§2 access tokens of a killed family live out their lifetime", killed_family_passes_refused),
    Mutant("revocation_late", ("sales", "anomaly"), "§2 revocations reach sales and anomaly within 2 s",
           revocation_late),
    Mutant("lockout_per_tenant", ("identity",), "§3 throttling counts failures per (tenant, email)",
           lockout_per_tenant),
    Mutant("lockout_setting_ignored", ("identity",), "§3 the lock-out lasts LOCKOUT_SECONDS",
           lockout_setting_ignored),
    Mutant("refresh_lifetime_setting_ignored", ("identity",), "§6 REFRESH_TOKEN_TTL bounds a renewal token's life",
           refresh_lifetime_setting_ignored),
    Mutant("retry_after_in_milliseconds", ("identity",), "§3 429 with Retry-After (seconds, within the lock-out)",
           retry_after_in_milliseconds),
    Mutant("email_rule_from_two_characters", ("identity",),
           "§3 the email rule applies when the local part has 3 or more characters", email_rule_from_two_characters),
    Mutant("deny_list_case_sensitive", ("identity",), "§3 the common list is compared ignoring case",
           deny_list_case_sensitive),
    Mutant("password_change_skips_rules", ("identity",), "§3 the password rules hold for a changed password",
           password_change_skips_rules),
)

CASES: tuple[Case, ...] = (
    Case("default_pass_lifetime_hour", "identity", "@REQ-AUTH-ISSUE-02",
         r"^by default a pass lasts 15 minutes", r"expires_in is 3600, not 900"),
    Case("issuer_setting_ignored", "identity", "@REQ-AUTH-ISSUE-03",
         r"^a deployment that names its own issuer", r"comes from 'platform-identity', not 'acme-test-identity'"),
    Case("alg_none_any_case", "identity", "@REQ-AUTH-TOKEN-01",
         r'^a copy of her pass marked "(None|NONE|nOnE)" and left unsigned is refused', r"GET /api/v1/auth/me"),
    Case("embedded_jwk_trusted", "identity", "@REQ-AUTH-TOKEN-03",
         r"^a copy of her pass signed by a stranger whose key travels inside the pass"),
    Case("jku_followed", "identity", "@REQ-AUTH-TOKEN-03",
         r"^a copy of her pass signed by a stranger who points to a key list of their own"),
    Case("leeway_thirty_seconds", "identity", "@REQ-AUTH-TOKEN-02",
         r"^a copy of her pass made with the platform's key that (ran out 15 seconds ago|becomes valid only in 15)"),
    Case("exp_not_required", "identity", "@REQ-AUTH-TOKEN-02",
         r"^a copy of her pass made with the platform's key without any expiry"),
    Case("any_rsa_algorithm", "identity", "@REQ-AUTH-TOKEN-03",
         r"^a copy of her pass made with the platform's key but signed RS512"),
    Case("logout_spares_refresh_family", "identity", "@REQ-AUTH-LOGOUT-02",
         r"^after signing out, Rita's renewal token no longer renews her sign-in"),
    Case("password_change_spares_other_sign_ins", "identity", "@REQ-AUTH-PASSWORD-02",
         r"^Rita changes her password on her laptop"),
    Case("killed_family_passes_refused", "identity", "@REQ-AUTH-REFRESH-03",
         r"^(replaying Rita's first renewal token|Rita changes her password on her laptop)"),
    Case("revocation_late", "sales", "@REQ-AUTH-LOGOUT-01",
         r"^Rita works, signs out, and her old pass is refused", r"sales to refuse the signed-out pass within 2 s"),
    Case("revocation_late", "anomaly", "@REQ-AUTH-LOGOUT-01",
         r"^Rita works, signs out, and her old pass is refused", r"anomaly to refuse the signed-out pass within 2 s"),
    Case("lockout_per_tenant", "identity", "@REQ-AUTH-THROTTLE-04",
         r"^while Rita is held back, her colleague Ravi still signs in"),
    Case("lockout_setting_ignored", "identity", "@REQ-AUTH-THROTTLE-05",
         r"^with a lock-out of 3 seconds"),
    Case("refresh_lifetime_setting_ignored", "identity", "@REQ-AUTH-ISSUE-04",
         r"^with renewal tokens lasting 3 seconds", r"that renewal token is refused|401"),
    Case("retry_after_in_milliseconds", "identity", "@REQ-AUTH-THROTTLE-01",
         r"^five wrong passwords in a row hold back even the right one", r"more than the 900 s it may at most"),
    Case("email_rule_from_two_characters", "identity", "@REQ-AUTH-PASSWORD-04",
         r'^with an email beginning "jo@"'),
    Case("deny_list_case_sensitive", "identity", "@REQ-AUTH-PASSWORD-03",
         r'^a password that is "(PaSsWoRd|LetMeIn|FootBall|TrustNo1)" is refused'),
    Case("password_change_skips_rules", "identity", "@REQ-AUTH-PASSWORD-07",
         r"^Rita cannot change her password to one that is"),
)
