"""An actor is a persona with its own authenticated clients, its own typed notes and its last answer.

The actor signs in by itself the first time one of its drivers needs a pass (an access token),
refreshes it before it runs out and signs in again when refreshing is refused. Passwords and
tokens are never part of a repr.

`actor.tries_to(actor.sales.get_deal, deal_id)` makes a call that may be refused and keeps its answer:
every "X is refused as ..." step then judges `actor.last_answer` (or all of `actor.attempts`), whatever
the area.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from support.data.secret import Secret
from support.drivers.anomaly import AnomalyDriver
from support.drivers.base import Driver, UnexpectedAnswer
from support.drivers.identity import IdentityDriver, TokenPair
from support.drivers.sales import SalesDriver
from support.http.client import BearerAuth
from support.screenplay.cast import Persona
from support.screenplay.notes import Note, Notepad, NothingNoted

ClientFactory = Callable[[str, httpx.Auth | None], httpx.Client]
RENEW_MARGIN_S = 30.0
T = TypeVar("T")
NothingRemembered = NothingNoted  # what the actor was never told


class NothingTried(AssertionError):
    """A step judged an actor's last answer before the actor tried anything."""


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
    attempts: list[httpx.Response] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.notes = Notepad(self.persona.first_name)
        self._gate = IdentityDriver(self.client_factory("identity", None))
        passes = self._drivers(BearerAuth(self.access_token))
        self.identity, self.sales, self.anomaly = passes.identity, passes.sales, passes.anomaly

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
        return self._drivers(BearerAuth(lambda: access_token))

    def _drivers(self, auth: httpx.Auth) -> Passes:
        return Passes(identity=IdentityDriver(self.client_factory("identity", auth)),
                      sales=SalesDriver(self.client_factory("sales", auth)),
                      anomaly=AnomalyDriver(self.client_factory("anomaly", auth), job_timeout=self.job_timeout))

    @property
    def gate(self) -> IdentityDriver:
        """Identity without any pass: sign-in and refresh as anybody may try them."""
        return self._gate

    def own_id(self) -> str:
        """The actor's user id (asked of identity once, when not known from its creation)."""
        if self.user_id is None:
            self.user_id = self.identity.me().id
        return self.user_id

    def _keep(self, tokens: TokenPair) -> None:
        self._tokens = tokens
        lifetime = max(float(tokens.expires_in) - RENEW_MARGIN_S, 1.0)
        self._renew_at = time.monotonic() + lifetime

    # -- attempts: calls that may be refused ------------------------------------------------------
    def tries_to(self, call: Callable[..., object], /, *args: Any, **kwargs: Any) -> httpx.Response:
        """Make a driver call that may be refused; its answer becomes the actor's last answer."""
        driver = getattr(call, "__self__", None)
        if not isinstance(driver, Driver):
            raise TypeError(f"{call!r} is not a method of a driver")
        with contextlib.suppress(UnexpectedAnswer):
            call(*args, **kwargs)
        self.attempts.append(driver.last_response)
        return driver.last_response

    @property
    def last_answer(self) -> httpx.Response:
        if not self.attempts:
            raise NothingTried(f"{self.name} has not tried anything yet")
        return self.attempts[-1]

    # -- memory (typed notes) ----------------------------------------------------------------------
    def remember(self, key: Note[T], value: T) -> T:
        return self.notes.write(key, value)

    def recall(self, key: Note[T]) -> T:
        return self.notes.read(key)

    def knows(self, key: Note[Any]) -> bool:
        return self.notes.has(key)

