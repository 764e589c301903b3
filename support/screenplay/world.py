"""The world of one scenario: its tenants, its people (actors), the spotlight and its clients.

Tenants are created through the API by the operator the first time a step needs them, with
slugs unique to the scenario, so scenarios never share data and may run in parallel. People are
created by their tenant's admin the first time a step names them.
"""

from __future__ import annotations

from typing import Any

import httpx

from support.data.builders import Builders, Secret
from support.drivers.health import HealthDriver
from support.http.client import make_client
from support.runner.config import SuiteConfig
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import Persona, persona, tenant_profile

OPERATOR_TENANT = "operator"
OPERATOR = Persona("Operator", "Platform Operator", OPERATOR_TENANT, ("operator",))
JOB_TIMEOUT_S = 30.0
PLANS = ("starter", "growth", "enterprise")
PRONOUNS = frozenset({"she", "he", "her", "his", "him"})


class NobodyInTheSpotlight(AssertionError):
    """A "she"/"he" step came before any step named a person."""


class NothingMentioned(AssertionError):
    """An "it" step came before any step named the thing it refers to."""


class World:
    def __init__(self, context: Any) -> None:
        self.config: SuiteConfig = context.suite_config
        self.seed: int = int(getattr(context, "scenario_seed", None) or self.config.seed)
        self.build = Builders(self.seed)
        self.tenants: dict[str, Tenant] = {}
        self.actors: dict[str, Actor] = {}
        self.currencies: dict[str, str] = {}
        self.plans: dict[str, str] = {}
        self._clients: list[httpx.Client] = []
        self._spotlight: Actor | None = None
        self._operator: Actor | None = None
        self._mentioned: dict[str, Any] = {}

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
            self._operator = Actor(OPERATOR, tenant, credentials.email, Secret(credentials.password),
                                   self.client, job_timeout=JOB_TIMEOUT_S)
        return self._operator

    def actor(self, first_name: str) -> Actor:
        """The named person, created (with their tenant) on first mention; puts them in the spotlight."""
        if first_name not in self.actors:
            self.actors[first_name] = self._cast(persona(first_name))
        self._spotlight = self.actors[first_name]
        return self._spotlight

    def person(self, word: str) -> Actor:
        """"she"/"he"/"her"/"his" mean the person in the spotlight; a name means that person."""
        return self.spotlight if word.lower() in PRONOUNS else self.actor(word)

    @property
    def spotlight(self) -> Actor:
        if self._spotlight is None:
            raise NobodyInTheSpotlight("No one has been named yet, so there is no 'she' or 'he' to act")
        return self._spotlight

    def admin_of(self, tenant_name: str) -> Actor:
        """The tenant's admin, without moving the spotlight."""
        self.tenant(tenant_name)
        return self.actors[tenant_profile(tenant_name).admin]

    # -- things: "it" is the thing of that kind mentioned last -----------------------------------
    def mention(self, kind: str, thing: Any) -> Any:
        self._mentioned[kind] = thing
        return thing

    def it(self, kind: str) -> Any:
        try:
            return self._mentioned[kind]
        except KeyError:
            raise NothingMentioned(f"No {kind} has been mentioned yet, so 'it' means nothing") from None

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
        body = self.operator.identity.create_tenant(
            name=profile.name, slug=slug, plan=self.plans.get(name, profile.plan),
            currency=self.currencies.get(name, profile.currency),
            admin={"email": email, "name": admin.full_name, "password": password.reveal()})
        tenant = Tenant(name=profile.name, slug=str(body["slug"]), id=str(body["id"]),
                        currency=str(body["currency"]), plan=str(body["plan"]))
        self.tenants[name] = tenant
        self.actors[admin.first_name] = Actor(admin, tenant, email, password, self.client,
                                              job_timeout=JOB_TIMEOUT_S)

    def _cast(self, who: Persona) -> Actor:
        tenant = self.tenant(who.tenant)
        if who.first_name in self.actors:  # the admin, created with the tenant
            return self.actors[who.first_name]
        email = self.build.email(who.first_name, tenant.slug)
        password = self.build.password(avoid=who.first_name)
        admin = self.actors[tenant_profile(who.tenant).admin]
        user = admin.identity.create_user(email=email, name=who.full_name, password=password.reveal(),
                                          roles=list(who.roles))
        return Actor(who, tenant, email, password, self.client, job_timeout=JOB_TIMEOUT_S,
                     user_id=str(user["id"]))

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
