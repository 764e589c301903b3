"""Named mutants of the reference platform: each breaks ONE promise of the contract.

A mutant is a patch function that monkeypatches a seam of `services.<service>.*` and returns the
app factory to serve (most return it unchanged; a mutant that must reach into the built app wraps it).
Product code holds no switches: the mutation exists only in the process `run_mutant.py` starts.

Every patch goes through `_replace`, which refuses to set an attribute that does not exist, so a
refactor that renames a seam makes the mutant fail loudly instead of silently serving the original.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

AppFactory = Callable[[], FastAPI]
Patch = Callable[[AppFactory], AppFactory]
SERVICES = ("identity", "sales", "anomaly")


class MutantError(RuntimeError):
    """A mutant cannot be applied (unknown name, wrong service, missing seam)."""


@dataclass(frozen=True)
class Mutant:
    name: str
    services: tuple[str, ...]  # the services this mutant can be applied to
    promise: str  # the contract promise it breaks, with its section
    patch: Patch


def _replace(module_name: str, attribute: str, value: Any) -> Any:
    """Set `module.attribute = value` and return the original; the attribute must exist."""
    module = importlib.import_module(module_name)
    if not hasattr(module, attribute):
        raise MutantError(f"seam {module_name}.{attribute} does not exist (was the service refactored?)")
    original = getattr(module, attribute)
    setattr(module, attribute, value)
    return original


# -- sales ----------------------------------------------------------------------------------------
def commission_mid_rate(factory: AppFactory) -> AppFactory:
    """The middle tier (10,000 up to 49,999.99) earns 5 % instead of 7 %."""
    _replace("services.sales.commission", "RATE_MID", Decimal("0.05"))
    return factory


def commission_boundary_exclusive(factory: AppFactory) -> AppFactory:
    """Tier lower bounds are exclusive: a net amount of exactly 10,000.00 earns 5 %, 50,000.00 earns 7 %."""
    commission = importlib.import_module("services.sales.commission")

    def rate(net_amount: Decimal, currency: str) -> Decimal:
        mid, high = commission._TIERS[currency]
        if net_amount > high:
            return commission.RATE_HIGH
        if net_amount > mid:
            return commission.RATE_MID
        return commission.RATE_LOW

    _replace("services.sales.commission", "commission_rate", rate)
    _replace("services.sales.commission_service", "commission_rate", rate)
    return factory


def deal_lookup_ignores_tenant(factory: AppFactory) -> AppFactory:
    """A deal looked up by id is found whatever its tenant (another tenant's deal is returned)."""
    from sqlalchemy import select

    from services.common.problems import not_found
    from services.sales.models import Deal

    def get_deal(session: Any, tenant_id: str, deal_id: str) -> Deal:
        deal = session.scalar(select(Deal).where(Deal.id == deal_id))
        if deal is None:
            raise not_found("The deal does not exist.")
        return deal

    def get_deal_row(session: Any, tenant_id: str, deal_id: str) -> Any:
        deal = session.execute(select(Deal.__table__).where(Deal.__table__.c.id == deal_id)).first()
        if deal is None:
            raise not_found("The deal does not exist.")
        return deal

    _replace("services.sales.repository", "get_deal", get_deal)
    _replace("services.sales.repository", "get_deal_row", get_deal_row)
    return factory


def overpayment_allowed(factory: AppFactory) -> AppFactory:
    """A payment is recorded even when paid_amount + amount exceeds the deal's net amount."""
    from sqlalchemy import update

    from services.common.clock import utcnow
    from services.sales.models import Deal

    def add_to_paid(session: Any, tenant_id: str, deal: Deal, minor: int) -> bool:
        session.execute(update(Deal).where(Deal.id == deal.id, Deal.tenant_id == tenant_id)
                        .values(paid_minor=Deal.paid_minor + minor, version=Deal.version + 1, updated_at=utcnow())
                        .execution_options(synchronize_session=False))
        session.refresh(deal)
        return True

    _replace("services.sales.repository", "add_to_paid", add_to_paid)
    return factory


def idempotent_replay_records_twice(factory: AppFactory) -> AppFactory:
    """A repeat with the same Idempotency-Key and body records a second payment instead of replaying."""
    _replace("services.sales.idempotency", "earlier_answer", lambda *args, **kwargs: None)
    _replace("services.sales.idempotency", "remember", lambda *args, **kwargs: None)
    return factory


# -- common (applied to whichever service runs it) ------------------------------------------------
def revocation_ignored(factory: AppFactory) -> AppFactory:
    """RemoteVerifier ignores identity's 401 for a token: revoked passes keep working on this service."""
    auth = importlib.import_module("services.common.auth")
    original = auth.RemoteVerifier._current_roles

    async def current_roles(self: Any, token: str, claims: dict[str, Any]) -> list[str]:
        try:
            return await original(self, token, claims)
        except auth.ProblemError:
            return list(claims["roles"])

    auth.RemoteVerifier._current_roles = current_roles  # type: ignore[method-assign]
    return factory


def problem_plain_json(factory: AppFactory) -> AppFactory:
    """Problem documents are sent as application/json instead of application/problem+json."""
    from services.common.problems import problem_body

    def problem_response(status: int, slug: str, detail: str, *, errors: Any = None,
                         headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(problem_body(status, slug, detail, errors), status_code=status,
                            media_type="application/json", headers=headers)

    _replace("services.common.errors", "problem_response", problem_response)
    return factory


def health_live_broken(factory: AppFactory) -> AppFactory:
    """GET /health/live answers 503 although the process runs (readiness still says ready)."""
    original = importlib.import_module("services.common.health").health_router

    def health_router(checks: Any, metrics: Any) -> Any:
        router = original(checks, metrics)
        router.routes[:] = [route for route in router.routes if getattr(route, "path", None) != "/health/live"]

        @router.get("/health/live", include_in_schema=False)
        def live() -> JSONResponse:
            return JSONResponse({"status": "down"}, status_code=503)

        return router

    _replace("services.common.app", "health_router", health_router)
    return factory


def expired_token_accepted(factory: AppFactory) -> AppFactory:
    """Identity accepts access tokens whose `exp` is past (signature, iss and aud still checked)."""
    import jwt

    from services.common.auth import AUDIENCE
    from services.common.problems import unauthenticated

    def decode_claims(token: str, key: Any, *, issuer: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"], audience=AUDIENCE, issuer=issuer,
                                                options={"verify_exp": False})
        except jwt.PyJWTError as exc:
            raise unauthenticated("The access token is invalid or expired.") from exc
        return claims

    _replace("services.identity.verifier", "decode_claims", decode_claims)
    return factory


# -- identity -------------------------------------------------------------------------------------
def logout_keeps_access_token(factory: AppFactory) -> AppFactory:
    """Logout kills the refresh family but does not revoke the access token's jti."""
    session_service = importlib.import_module("services.identity.session_service")

    def logout(ctx: Any, session: Any, caller: Any) -> None:
        family = session_service.callers_session(session, caller)
        if family is not None and family.revoked_at is None:
            session_service._kill(session, family, "logout", session_service.utcnow())
        ctx.audit.record(session, caller, "auth.logout", "session", caller.session_id)

    _replace("services.identity.session_service", "logout", logout)
    return factory


def refresh_reuse_spares_family(factory: AppFactory) -> AppFactory:
    """Presenting a used refresh token answers 401 but leaves its family (the newest token) alive."""
    session_service = importlib.import_module("services.identity.session_service")
    original = session_service._kill

    def kill(session: Any, family: Any, reason: str, now: Any) -> None:
        if reason != "reuse":
            original(session, family, reason, now)

    _replace("services.identity.session_service", "_kill", kill)
    return factory


# -- anomaly --------------------------------------------------------------------------------------
def zscore_wrong_constant(factory: AppFactory) -> AppFactory:
    """robust_zscore scales by 1.4826 (the MAD-to-sigma factor) instead of 0.6745."""
    _replace("services.anomaly.algorithms", "ZSCORE_SCALE", 1.4826)
    return factory


def zscore_threshold_ignored(factory: AppFactory) -> AppFactory:
    """Training ignores the detector's `threshold` and always cuts at the default (3.5)."""
    training = importlib.import_module("services.anomaly.training")
    original = training.train

    def train(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("threshold", None)
        return original(*args, **kwargs)

    _replace("services.anomaly.training", "train", train)
    return factory


def zscore_flags_at_threshold(factory: AppFactory) -> AppFactory:
    """A score equal to the threshold is flagged (>= instead of >)."""
    algorithms = importlib.import_module("services.anomaly.algorithms")

    def detect(self: Any, matrix: Any) -> tuple[Any, Any]:
        scores, flags = original(self, matrix)
        return scores, flags | (scores == self.threshold)

    original = algorithms.TrainedModel.detect
    algorithms.TrainedModel.detect = detect  # type: ignore[method-assign]
    return factory


MUTANTS: dict[str, Mutant] = {mutant.name: mutant for mutant in (
    Mutant("commission_mid_rate", ("sales",),
           "§4 Commission: a deal of 10,000 up to 49,999.99 earns 7 %", commission_mid_rate),
    Mutant("commission_boundary_exclusive", ("sales",),
           "§4 Commission: 10,000 and 50,000 are the lower bounds of the 7 % and 10 % tiers",
           commission_boundary_exclusive),
    Mutant("deal_lookup_ignores_tenant", ("sales",),
           "§2 A resource of another tenant: 404 not-found, like an id that never existed",
           deal_lookup_ignores_tenant),
    Mutant("overpayment_allowed", ("sales",),
           "§4 Payments: paid_amount + amount <= net_amount, else 422 overpayment", overpayment_allowed),
    Mutant("idempotent_replay_records_twice", ("sales",),
           "§4 Payments: a repeat with the same Idempotency-Key replays the first 201 and records nothing",
           idempotent_replay_records_twice),
    Mutant("revocation_ignored", ("sales", "anomaly"),
           "§2 Revocations (logout) take effect on sales and anomaly within 2 s", revocation_ignored),
    Mutant("problem_plain_json", SERVICES,
           "§1 Errors are problem details with Content-Type application/problem+json", problem_plain_json),
    Mutant("health_live_broken", SERVICES,
           "§6 GET /health/live: 200 {status: ok} while the process runs", health_live_broken),
    Mutant("logout_keeps_access_token", ("identity",),
           "§3 Logout revokes the access token's jti (refused by identity at once)", logout_keeps_access_token),
    Mutant("expired_token_accepted", ("identity",),
           "§2 a token is accepted only if `exp` is not past (leeway <= 10 s)", expired_token_accepted),
    Mutant("refresh_reuse_spares_family", ("identity",),
           "§3 Presenting a dead refresh token kills the whole family", refresh_reuse_spares_family),
    Mutant("zscore_wrong_constant", ("anomaly",),
           "§5 robust_zscore = 0.6745 * |x - median| / MAD", zscore_wrong_constant),
    Mutant("zscore_flags_at_threshold", ("anomaly",),
           "§5 anomalous means a score strictly above the threshold", zscore_flags_at_threshold),
    Mutant("zscore_threshold_ignored", ("anomaly",),
           "§5 a row is anomalous when its score is above the detector's threshold", zscore_threshold_ignored),
)}


def apply(service: str, name: str, factory: AppFactory) -> AppFactory:
    """Apply mutant `name` to `service`; the factory to serve."""
    mutant = MUTANTS.get(name)
    if mutant is None:
        raise MutantError(f"unknown mutant '{name}' (known: {', '.join(sorted(MUTANTS))})")
    if service not in mutant.services:
        raise MutantError(f"mutant '{name}' applies to {', '.join(mutant.services)}, not {service}")
    return mutant.patch(factory)
