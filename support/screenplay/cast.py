"""The cast: the same named people play the same roles in every feature of the suite.

Acme is the tenant most scenarios are about; Globex is the other tenant, used to prove that
tenants never see each other's data. Each tenant's admin is created together with the tenant;
everybody else is created by that admin the first time a step names them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TenantProfile:
    name: str
    admin: str          # first name of the persona created with the tenant
    currency: str = "EUR"
    plan: str = "growth"  # starter allows 5 users; Acme's cast alone has 6


@dataclass(frozen=True)
class Persona:
    first_name: str
    full_name: str
    tenant: str
    roles: tuple[str, ...]

    @property
    def role_phrase(self) -> str:
        return " and ".join(role.replace("_", " ") for role in self.roles)


TENANTS: dict[str, TenantProfile] = {
    "Acme": TenantProfile(name="Acme", admin="Alice", currency="EUR"),
    "Globex": TenantProfile(name="Globex", admin="Bob", currency="USD"),
}

CAST: dict[str, Persona] = {
    persona.first_name: persona
    for persona in (
        Persona("Alice", "Alice Adams", "Acme", ("admin",)),
        Persona("Maria", "Maria Moreno", "Acme", ("sales_manager",)),
        Persona("Marco", "Marco Marino", "Acme", ("sales_manager",)),
        Persona("Rita", "Rita Reyes", "Acme", ("sales_rep",)),
        Persona("Ravi", "Ravi Rao", "Acme", ("sales_rep",)),
        Persona("Ana", "Ana Alves", "Acme", ("analyst",)),
        Persona("Otto", "Otto Olsen", "Acme", ("auditor",)),
        Persona("Bob", "Bob Brown", "Globex", ("admin",)),
        Persona("Gina", "Gina Greco", "Globex", ("sales_rep",)),
    )
}

ROLE_WORDS: dict[str, str] = {
    "admin": "admin",
    "sales manager": "sales_manager",
    "sales rep": "sales_rep",
    "analyst": "analyst",
    "auditor": "auditor",
}


class UnknownPersona(AssertionError):
    """A step named somebody who is not in the cast."""


def persona(first_name: str) -> Persona:
    try:
        return CAST[first_name]
    except KeyError:
        known = ", ".join(CAST)
        raise UnknownPersona(f"{first_name} is not in the cast (known: {known})") from None


def tenant_profile(name: str) -> TenantProfile:
    try:
        return TENANTS[name]
    except KeyError:
        raise UnknownPersona(f"{name} is not a tenant of the cast (known: {', '.join(TENANTS)})") from None


def check_casting(first_name: str, role_words: str, tenant: str) -> Persona:
    """Confirm that a step's "Rita is a sales rep at Acme" matches the cast."""
    who = persona(first_name)
    role = ROLE_WORDS.get(role_words.strip().lower())
    if who.tenant != tenant or role not in who.roles:
        raise UnknownPersona(
            f"{first_name} is cast as {who.role_phrase} at {who.tenant}, not as {role_words} at {tenant}")
    return who
