"""People and tenants as the authentication and tenancy scenarios need them, on top of the World.

The World creates the cast with generated passwords on the growth plan; these helpers add what
those features need besides: a tenant on another plan, a member of the cast enrolled with a chosen
password, colleagues outside the cast, and an anonymous door to identity's sign-in.
"""

from __future__ import annotations

import random
import re
import string
from typing import Any

import httpx

from support.data.secret import Secret
from support.drivers.identity import IdentityDriver
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import persona
from support.screenplay.world import JOB_TIMEOUT_S, World

_LENGTH = re.compile(r"^(?P<count>\d+) (?P<kind>lowercase letters|characters long)"
                     r'(?: with "(?P<inside>[^"]+)" in (?:it|them))?$')
_QUOTED = re.compile(r'^"(?P<text>.*)"$')
# The pool of "N characters long" passwords: printable ASCII and non-ASCII letters (no spaces).
_MIXED = string.ascii_letters + string.digits + "!#%&*+-.:;=?_~" + "äöüéèñçøåœ"


def gate(world: World) -> IdentityDriver:
    """Identity without any pass: sign-in and refresh as anybody may try them."""
    return IdentityDriver(world.client("identity"))


def found_tenant(world: World, name: str, *, plan: str) -> Tenant:
    """Create the cast's tenant `name` on `plan` (before any step needs it), with its admin."""
    if name in world.tenants:
        raise AssertionError(f"{name} already exists on the {world.tenants[name].plan} plan")
    return world.on_plan(name, plan)


def described_password(world: World, description: str, *, avoid: str) -> str:
    """A password from its description: '15 lowercase letters', '129 characters long with "Ravi" in
    it', or a quoted literal. Generated ones are seeded and never contain `avoid`."""
    quoted = _QUOTED.match(description.strip())
    if quoted:
        return quoted.group("text")
    match = _LENGTH.match(description.strip())
    if match is None:
        raise AssertionError(f"cannot make a password that is {description!r}")
    count, inside = int(match.group("count")), match.group("inside") or ""
    pool = string.ascii_lowercase if match.group("kind") == "lowercase letters" else _MIXED
    rng = random.Random(world.seed)
    while True:
        filler = "".join(rng.choice(pool) for _ in range(count - len(inside)))
        candidate = filler[: len(filler) // 2] + inside + filler[len(filler) // 2:]
        if avoid.lower() not in filler.lower():
            return candidate


def enrol(world: World, admin: Actor, first_name: str, password: str) -> httpx.Response:
    """The admin adds a member of the cast with `password`; on success the person joins the World."""
    who = persona(first_name)
    tenant = world.tenant(who.tenant)
    email = world.build.email(who.first_name, tenant.slug)
    answer = admin.identity.attempt(admin.identity.create_user, email=email, name=who.full_name,
                                    password=password, roles=list(who.roles))
    if answer.status_code == 201:
        world.actors[first_name] = Actor(who, tenant, email, Secret(password), world.client,
                                         job_timeout=JOB_TIMEOUT_S, user_id=str(answer.json()["id"]))
    return answer


def add_colleague(world: World, admin: Actor, label: str, *, email: str | None = None,
                  roles: tuple[str, ...] = ("sales_rep",)) -> httpx.Response:
    """The admin adds somebody outside the cast (a colleague); the answer, whatever it is."""
    address = email or world.build.email(label, admin.tenant.slug)
    password = world.build.password(avoid=address.split("@")[0])
    return admin.identity.attempt(admin.identity.create_user, email=address, name=label.title(),
                                  password=password.reveal(), roles=list(roles))


def pass_drivers(actor: Actor) -> Any:
    """Drivers presenting the pass the actor holds right now (not a fresh one)."""
    return actor.with_pass(actor.current_pass())


# The password rules of contract §3 by the words a product owner uses for them.
RULE_CODES: dict[str, str] = {
    "too short": "too_short",
    "too long": "too_long",
    "common": "common_password",
    "too common": "common_password",
    "containing his email's name": "contains_email",
    "containing her email's name": "contains_email",
}


def rule_codes(words: str) -> set[str]:
    """ "too short and common" -> {"too_short", "common_password"} """
    parts = [part.strip() for part in words.replace(" and ", ",").split(",") if part.strip()]
    unknown = [part for part in parts if part not in RULE_CODES]
    if unknown:
        raise AssertionError(f"unknown password rule(s) {unknown}; known: {', '.join(RULE_CODES)}")
    return {RULE_CODES[part] for part in parts}
