"""An actor is a persona with its own authenticated clients and its own memory.

The actor signs in by itself the first time one of its drivers needs a pass (an access token),
refreshes it before it runs out and signs in again when refreshing is refused. Passwords and
tokens are never part of a repr.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from support.data.builders import Secret
from support.drivers.anomaly import AnomalyDriver
from support.drivers.base import UnexpectedAnswer
from support.drivers.identity import IdentityDriver, TokenPair
from support.drivers.sales import SalesDriver
from support.http.client import BearerAuth
from support.screenplay.cast import Persona

ClientFactory = Callable[[str, httpx.Auth | None], httpx.Client]
RENEW_MARGIN_S = 30.0


class NothingRemembered(AssertionError):
    """A step asked an actor for something it was never told."""


@dataclass
class Tenant:
    name: str
    slug: str
    id: str
    currency: str
    plan: str


@dataclass
class Passes:
    """The drivers of one actor, all presenting one fixed pass (e.g. one that was signed out)."""

    identity: IdentityDriver
    sales: SalesDriver
    anomaly: AnomalyDriver


@dataclass
class Actor:
    persona: Persona
    tenant: Tenant
    email: str
    password: Secret = field(repr=False)
    client_factory: ClientFactory = field(repr=False)
    job_timeout: float = 30.0
    user_id: str | None = None
    _tokens: TokenPair | None = field(default=None, repr=False)
    _renew_at: float = field(default=0.0, repr=False)
    _memory: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._gate = IdentityDriver(self.client_factory("identity", None))
        auth = BearerAuth(self.access_token)
        self.identity = IdentityDriver(self.client_factory("identity", auth))
        self.sales = SalesDriver(self.client_factory("sales", auth))
        self.anomaly = AnomalyDriver(self.client_factory("anomaly", auth), job_timeout=self.job_timeout)

    @property
    def name(self) -> str:
        return self.persona.first_name

    # -- passes --------------------------------------------------------------------------------
    def sign_in(self) -> TokenPair:
        """Sign in now with the actor's own credentials (a new pass)."""
        tokens = self._gate.sign_in(tenant=self.tenant.slug, email=self.email, password=self.password.reveal())
        self._keep(tokens)
        return tokens

    def access_token(self) -> str:
        """The current pass: signs in, or refreshes, when there is none or it is about to run out."""
        if self._tokens is None:
            return self.sign_in().access_token
        if time.monotonic() >= self._renew_at:
            try:
                self._keep(self._gate.refresh(self._tokens.refresh_token))
            except UnexpectedAnswer:
                self.sign_in()
        assert self._tokens is not None
        return self._tokens.access_token

    def sign_out(self) -> None:
        """Sign out; the actor forgets its pass and signs in afresh when it next needs one."""
        self.identity.logout()
        self._tokens = None

    def current_pass(self) -> str:
        if self._tokens is None:
            raise NothingRemembered(f"{self.name} has not signed in yet")
        return self._tokens.access_token

    def with_pass(self, access_token: str) -> Passes:
        """Drivers that present exactly `access_token`, whatever the actor's own state."""
        auth = BearerAuth(lambda: access_token)
        return Passes(identity=IdentityDriver(self.client_factory("identity", auth)),
                      sales=SalesDriver(self.client_factory("sales", auth)),
                      anomaly=AnomalyDriver(self.client_factory("anomaly", auth), job_timeout=self.job_timeout))

    def own_id(self) -> str:
        """The actor's user id (asked of identity once, when not known from its creation)."""
        if self.user_id is None:
            self.user_id = str(self.identity.me()["id"])
        return self.user_id

    def _keep(self, tokens: TokenPair) -> None:
        self._tokens = tokens
        lifetime = max(float(tokens.expires_in) - RENEW_MARGIN_S, 1.0)
        self._renew_at = time.monotonic() + lifetime

    # -- memory --------------------------------------------------------------------------------
    def remember(self, key: str, value: Any) -> Any:
        self._memory[key] = value
        return value

    def recall(self, key: str) -> Any:
        try:
            return self._memory[key]
        except KeyError:
            raise NothingRemembered(f"{self.name} does not remember any {key} yet") from None

    def knows(self, key: str) -> bool:
        return key in self._memory
