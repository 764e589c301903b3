"""What identity says about the caller's tenant, typed: currency, plan and limits; and its settings.

Sales prices deals in the tenant's currency against its discount approval threshold; anomaly bounds
uploads and detectors by the plan's limits. Identity's answers (`/tenants/current`,
`/tenants/current/settings`) are read here, once, and kept briefly per tenant. An answer that does not
say what the contract promises is a 503: the call cannot be served without it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from services.common.identity_client import (
    IdentityClient,
    IdentityUnavailable,
    TokenRejected,
    TtlCache,
    recently_unreachable,
)
from services.common.money import CURRENCIES
from services.common.plans import PLAN_LIMITS, PlanLimits
from services.common.problems import ProblemError
from services.common.single_flight import SingleFlight

DEFAULT_DISCOUNT_APPROVAL_THRESHOLD = Decimal(20)

Fact = TypeVar("Fact")


@dataclass(frozen=True)
class TenantFacts:
    currency: str
    plan: str
    limits: PlanLimits


@dataclass(frozen=True)
class TenantSettings:
    discount_approval_threshold: Decimal


def _unusable(detail: str) -> ProblemError:
    return ProblemError(503, "service-unavailable", detail)


def read_tenant(document: dict[str, Any]) -> TenantFacts:
    """Identity's `/tenants/current`; limits as stated, else those of the plan (starter's if unknown)."""
    currency = document.get("currency")
    if currency not in CURRENCIES:
        raise _unusable("The identity service did not name the tenant's currency.")
    plan = str(document.get("plan"))
    stated = document.get("limits")
    if not stated:
        return TenantFacts(str(currency), plan, PLAN_LIMITS.get(plan, PLAN_LIMITS["starter"]))
    try:
        limits = PlanLimits(users=int(stated["users"]), detectors=int(stated["detectors"]),
                            dataset_rows=int(stated["dataset_rows"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _unusable("The identity service did not state the tenant's limits.") from exc
    return TenantFacts(str(currency), plan, limits)


def read_settings(document: dict[str, Any]) -> TenantSettings:
    """Identity's `/tenants/current/settings`; a threshold it does not state is the contract's default."""
    raw = document.get("discount_approval_threshold")
    if raw is None:
        return TenantSettings(DEFAULT_DISCOUNT_APPROVAL_THRESHOLD)
    try:
        return TenantSettings(Decimal(str(raw)))
    except InvalidOperation as exc:
        raise _unusable("The tenant's approval threshold is unreadable.") from exc


class TenantFactsCache:
    """The tenants' facts and settings as identity last said, fresh for `ttl` seconds.

    While identity cannot be asked (or rejects the token), the last known answer stands if there is one.
    """

    def __init__(self, identity: IdentityClient, *, ttl: float = 1.0) -> None:
        self.identity = identity
        personal = (TokenRejected,)  # asked with one person's token: another person of the tenant asks again
        self._tenants: tuple[TtlCache, SingleFlight[TenantFacts]] = (TtlCache(ttl), SingleFlight(personal))
        self._settings: tuple[TtlCache, SingleFlight[TenantSettings]] = (TtlCache(ttl), SingleFlight(personal))

    async def facts(self, tenant_id: str, token: str) -> TenantFacts:
        return await self._ask(self._tenants, tenant_id, self.identity.tenant, token, read_tenant)

    async def settings(self, tenant_id: str, token: str) -> TenantSettings:
        return await self._ask(self._settings, tenant_id, self.identity.settings, token, read_settings)

    async def _ask(self, kept: tuple[TtlCache, SingleFlight[Fact]], key: str,
                   fetch: Callable[[str], Awaitable[dict[str, Any]]], token: str,
                   read: Callable[[dict[str, Any]], Fact]) -> Fact:
        cache, asking = kept
        cached = cache.fresh(key)
        if cached is not None:
            return cached
        if recently_unreachable(self.identity) and cache.stale(key) is not None:
            return cache.stale(key)  # identity failed moments ago: do not make this caller wait for it too
        try:
            value = await asking.ask(key, lambda: self._fetched(fetch, token, read))
        except (IdentityUnavailable, TokenRejected):
            stale = cache.stale(key)
            if stale is None:
                raise
            return stale
        cache.put(key, value)
        return value

    @staticmethod
    async def _fetched(fetch: Callable[[str], Awaitable[dict[str, Any]]], token: str,
                       read: Callable[[dict[str, Any]], Fact]) -> Fact:
        return read(await fetch(token))
