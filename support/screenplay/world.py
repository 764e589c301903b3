"""The world of one scenario: its tenants, its people (actors), the spotlight, what it mentions.

Tenants are created through the API by the operator the first time a step needs them, with
slugs unique to the scenario, so scenarios never share data and may run in parallel. People are
created by their tenant's admin the first time a step names them. The World is built and closed by
a behave fixture (`support.runner.hooks`); what it must undo (clients, a crashed service) is undone
in `close()`, also when the scenario fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import httpx

from support.data.builders import Builders
from support.data.secret import Secret
from support.drivers.health import HealthDriver
from support.http.client import make_client
from support.runner.config import SuiteConfig
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import Persona, persona, tenant_profile
from support.screenplay.notes import Note, Notepad, NothingNoted

if TYPE_CHECKING:
    from support.runner.launcher import ManagedPlatform

T = TypeVar("T")

OPERATOR_TENANT = "operator"
OPERATOR = Persona("Operator", "Platform Operator", OPERATOR_TENANT, ("operator",))
STRANGER = Persona("Someone", "Someone without an account", "", ())
JOB_TIMEOUT_S = 30.0
PLANS = ("starter", "growth", "enterprise")
PRONOUNS = frozenset({"she", "he", "her", "his", "him"})


class NobodyInTheSpotlight(AssertionError):
    """A "she"/"he" step came before any step named a person."""


NothingMentioned = NothingNoted  # an "it" step came before any step named the thing it refers to


class World:
    def __init__(self, config: SuiteConfig, *, seed: int, platform: ManagedPlatform | None = None) -> None:
        self.config = config
        self.seed = seed
        self.platform = platform  # None where the suite does not manage the services
        self.mentions = Notepad("The scenario")
        self._undo: list[Callable[[], None]] = []
        self.build = Builders(self.seed)
        self.tenants: dict[str, Tenant] = {}
        self.actors: dict[str, Actor] = {}
        self.currencies: dict[str, str] = {}
        self.plans: dict[str, str] = {}
        self._clients: list[httpx.Client] = []
        self._spotlight: Actor | None = None
        self._operator: Actor | None = None

    # -- clients -------------------------------------------------------------------------------
    def client(self, service: str, auth: httpx.Auth | None = None) -> httpx.Client:
        client = make_client(self.config.base_url(service), service=service,
                             timeouts=self.config.timeouts, auth=auth)
        self._clients.append(client)
        return client

    def health(self, service: str) -> HealthDriver:
        return HealthDriver(self.client(service), service=service)

    # -- people --------------------------------------------------------------------------------
    @property
    def operator(self) -> Actor:
        if self._operator is None:
            credentials = self.config.operator
            tenant = Tenant(name="Operator", slug=OPERATOR_TENANT, id="", currency="EUR", plan="")
            self._operator = self._new_actor(OPERATOR, tenant, credentials.email, Secret(credentials.password))
        return self._operator

    def actor(self, first_name: str) -> Actor:
        """The named person, created (with their tenant) on first mention; puts them in the spotlight."""
        if first_name not in self.actors:
            self.actors[first_name] = self._cast(persona(first_name))
        self._spotlight = self.actors[first_name]
        return self._spotlight

    def member(self, first_name: str) -> Actor:
        """The named person, created (with their tenant) on first mention, leaving the spotlight where it is."""
        if first_name not in self.actors:
            self.actors[first_name] = self._cast(persona(first_name))
        return self.actors[first_name]

    def person(self, word: str) -> Actor:
        """"she"/"he"/"her"/"his" mean the person in the spotlight; a name means that person."""
        return self.spotlight if word.lower() in PRONOUNS else self.actor(word)

    @property
    def spotlight(self) -> Actor:
        if self._spotlight is None:
            raise NobodyInTheSpotlight("No one has been named yet, so there is no 'she' or 'he' to act")
        return self._spotlight

    def stranger(self) -> Actor:
        """Somebody with no account ("someone"): tries sign-ins and renewals at identity's door, never signs in."""
        nowhere = Tenant(name="", slug="", id="", currency="", plan="")
        return self._new_actor(STRANGER, nowhere, "", Secret(""))

    def admin_of(self, tenant_name: str) -> Actor:
        """The tenant's admin, without moving the spotlight."""
        self.tenant(tenant_name)
        return self.actors[tenant_profile(tenant_name).admin]

    def enrol(self, who: Persona, email: str, password: Secret, *, user_id: str) -> Actor:
        """A member of the cast whom a step created itself (e.g. with a chosen password) joins the scenario."""
        actor = self._new_actor(who, self.tenant(who.tenant), email, password, user_id=user_id)
        self.actors[who.first_name] = actor
        return actor

    def _new_actor(self, who: Persona, tenant: Tenant, email: str, password: Secret, *,
                   user_id: str | None = None) -> Actor:
        """The one place actors are made."""
        return Actor(who, tenant, email, password, self.client, job_timeout=JOB_TIMEOUT_S, user_id=user_id)

    # -- things: "it" is the thing of that kind mentioned last -----------------------------------
    def mention(self, kind: Note[T], thing: T) -> T:
        return self.mentions.write(kind, thing)

    def it(self, kind: Note[T]) -> T:
        return self.mentions.read(kind)

    # -- what the scenario must undo ------------------------------------------------------------
    def on_close(self, undo: Callable[[], None]) -> None:
        """Undo something (restart a crashed service, ...) when the scenario ends, whatever its outcome."""
        self._undo.append(undo)

    # -- tenants -------------------------------------------------------------------------------
    def sells_in(self, tenant_name: str, currency: str) -> None:
        """Choose the currency of a tenant that does not exist yet."""
        existing = self.tenants.get(tenant_name)
        if existing is not None and existing.currency != currency:
            raise AssertionError(f"{tenant_name} already sells in {existing.currency}, not {currency}")
        self.currencies[tenant_name] = currency

    def on_plan(self, tenant_name: str, plan: str) -> Tenant:
        """Found the tenant on `plan` (instead of its profile's plan), or check the one that exists."""
        if plan not in PLANS:
            raise AssertionError(f"{plan} is not a plan of the contract ({', '.join(PLANS)})")
        existing = self.tenants.get(tenant_name)
        if existing is not None and existing.plan != plan:
            raise AssertionError(f"{tenant_name} already exists on the {existing.plan} plan; "
                                 f"name its plan before anybody of {tenant_name}")
        self.plans[tenant_name] = plan
        return self.tenant(tenant_name)

    def tenant(self, name: str) -> Tenant:
        if name not in self.tenants:
            self._found(name)
        return self.tenants[name]

    def _found(self, name: str) -> None:
        profile = tenant_profile(name)
        slug = self.build.slug(name)
        admin = persona(profile.admin)
        email = self.build.email(admin.first_name, slug)
        password = self.build.password(avoid=admin.first_name)
        created = self.operator.identity.create_tenant(
            name=profile.name, slug=slug, plan=self.plans.get(name, profile.plan),
            currency=self.currencies.get(name, profile.currency),
            admin={"email": email, "name": admin.full_name, "password": password.reveal()})
        tenant = Tenant(name=profile.name, slug=str(created.slug), id=created.id, currency=str(created.currency),
                        plan=str(created.plan))
        self.tenants[name] = tenant
        self.actors[admin.first_name] = self._new_actor(admin, tenant, email, password)

    def _cast(self, who: Persona) -> Actor:
        tenant = self.tenant(who.tenant)
        if who.first_name in self.actors:  # the admin, created with the tenant
            return self.actors[who.first_name]
        email = self.build.email(who.first_name, tenant.slug)
        password = self.build.password(avoid=who.first_name)
        admin = self.actors[tenant_profile(who.tenant).admin]
        user = admin.identity.create_user(email=email, name=who.full_name, password=password.reveal(),
                                          roles=list(who.roles))
        return self._new_actor(who, tenant, email, password, user_id=user.id)

    def close(self) -> None:
        """Undo what the scenario did to the platform (last first), then close every client."""
        errors: list[BaseException] = []
        while self._undo:
            try:
                self._undo.pop()()
            except Exception as exc:  # every undo runs; the first failure is reported after
                errors.append(exc)
        for client in self._clients:
            with contextlib.suppress(Exception):
                client.close()
        self._clients.clear()
        if errors:
            raise errors[0]
