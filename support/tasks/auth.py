"""What people do around signing in, passes, renewals and passwords (contract §2, §3), on top of the World.

Sign-in and renewal attempts are made by an actor through identity's door (`actor.gate`) with
`actor.tries_to`, so every "X is refused as ..." step judges `actor.last_answer`. Anonymous attempts
("someone signs in as Rita with ...") are made by `someone(world)`, a stranger without an account.
Besides, this module sets up what the auth and tenancy features need: a tenant on another plan, a member
of the cast enrolled with a chosen password, and colleagues outside the cast.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable

import httpx
from hamcrest import assert_that, has_properties

from support.data import tokens
from support.data.secret import Secret
from support.drivers.identity import TokenPair
from support.drivers.records import Client
from support.http.client import describe
from support.http.polling import eventually
from support.matchers.answers import is_problem, is_success, is_unauthenticated, json_object
from support.screenplay.actor import Actor, Passes, Tenant
from support.screenplay.cast import persona
from support.screenplay.notes import Note
from support.screenplay.world import World

# -- what actors remember and what a scenario mentions -------------------------------------------
SIGN_IN: Note[TokenPair] = Note("sign-in")
RENEWALS: Note[list[TokenPair]] = Note("chain of renewals")
HELD_PASS: Note[str] = Note("pass held before signing out")
OLD_PASSWORD: Note[Secret] = Note("password before the change")
ADDED_CLIENT: Note[Client] = Note("client added")
PRESENTED: Note[Callable[[], str]] = Note("presented pass")
SOMEONE: Note[Actor] = Note("someone without an account")
UNKNOWN_EMAIL: Note[str] = Note("email nobody has")
ENROLLING_ADMIN: Note[Actor] = Note("admin who enrolled somebody")

PassMaker = Callable[[], str]
Forgery = Callable[[World, str], str]
Call = Callable[[Passes], Callable[..., object]]

_LENGTH = re.compile(r"^(?P<count>\d+) (?P<kind>lowercase letters|characters long)"
                     r'(?: with "(?P<inside>[^"]+)" in (?:it|them))?$')
_QUOTED = re.compile(r'^"(?P<text>.*)"$')
# The pool of "N characters long" passwords: printable ASCII and non-ASCII letters (no spaces).
_MIXED = string.ascii_letters + string.digits + "!#%&*+-.:;=?_~" + "äöüéèñçøåœ"


# -- people ----------------------------------------------------------------------------------------
def someone(world: World) -> Actor:
    """The scenario's one stranger at identity's door (made on first use)."""
    if not world.mentions.has(SOMEONE):
        world.mention(SOMEONE, world.stranger())
    return world.it(SOMEONE)


def found_tenant(world: World, name: str, *, plan: str) -> Tenant:
    """Create the cast's tenant `name` on `plan` (before any step needs it), with its admin."""
    if name in world.tenants:
        raise AssertionError(f"{name} already exists on the {world.tenants[name].plan} plan")
    return world.on_plan(name, plan)


def enrol(world: World, admin: Actor, first_name: str, password: str) -> httpx.Response:
    """The admin adds a member of the cast with `password`; on success the person joins the World."""
    who = persona(first_name)
    email = world.build.email(who.first_name, world.tenant(who.tenant).slug)
    world.mention(ENROLLING_ADMIN, admin)
    answer = admin.tries_to(admin.identity.create_user, email=email, name=who.full_name, password=password,
                            roles=list(who.roles))
    if answer.status_code == 201:
        world.enrol(who, email, Secret(password), user_id=str(answer.json()["id"]))
    return answer


def enrolled(world: World, first_name: str) -> Actor:
    """The member of the cast whom a step enrolled with a chosen password (fails if the enrolment failed)."""
    admin = world.it(ENROLLING_ADMIN)
    assert first_name in world.actors, f"{first_name} was not enrolled: {describe(admin.last_answer)}"
    return world.actors[first_name]


def add_colleague(world: World, admin: Actor, label: str, *, email: str | None = None,
                  roles: tuple[str, ...] = ("sales_rep",)) -> httpx.Response:
    """The admin adds somebody outside the cast (a colleague); the answer, whatever it is."""
    address = email or world.build.email(label, admin.tenant.slug)
    password = world.build.password(avoid=address.split("@")[0])
    return admin.identity.attempt(admin.identity.create_user, email=address, name=label.title(),
                                  password=password.reveal(), roles=list(roles))


def pass_drivers(actor: Actor) -> Passes:
    """Drivers presenting the pass the actor holds right now (not a fresh one)."""
    return actor.with_pass(actor.current_pass())


def set_roles(admin: Actor, person: Actor, roles: list[str]) -> None:
    admin.identity.update_user(person.own_id(), roles=roles)


def deactivate(admin: Actor, person: Actor) -> None:
    admin.identity.update_user(person.own_id(), active=False)


# -- signing in ----------------------------------------------------------------------------------
def tries_sign_in(actor: Actor, tenant_slug: str, email: str, password: str) -> httpx.Response:
    """`actor` tries to sign in with these credentials; the answer is the actor's last answer."""
    return actor.tries_to(actor.gate.sign_in, tenant=tenant_slug, email=email, password=password)


def tries_own_sign_in(actor: Actor, password: Secret | None = None) -> httpx.Response:
    """The actor tries to sign in with their own tenant and email, and their password (or `password`)."""
    return tries_sign_in(actor, actor.tenant.slug, actor.email, (password or actor.password).reveal())


def holds_pass(person: Actor, access_token: str) -> None:
    """Identity takes `access_token` for the person's pass: it answers who is signed in with their email."""
    identity = person.with_pass(access_token).identity
    assert_that(identity.me(), has_properties(email=person.email), identity.evidence())


def holds_pass_of(person: Actor, answer: httpx.Response) -> None:
    """The sign-in `answer` handed the person a pass that identity takes for theirs."""
    holds_pass(person, TokenPair.from_json(json_object(answer)).access_token)


def _unknown_tenant(world: World, person: Actor) -> tuple[str, str, str]:
    return world.build.slug("nowhere"), person.email, person.password.reveal()


def _other_tenant(world: World, person: Actor) -> tuple[str, str, str]:
    return world.tenant("Globex").slug, person.email, person.password.reveal()


def _unknown_email(world: World, person: Actor) -> tuple[str, str, str]:
    return person.tenant.slug, world.build.email("nobody", person.tenant.slug), person.password.reveal()


def _after_deactivation(world: World, person: Actor) -> tuple[str, str, str]:
    deactivate(world.admin_of(person.tenant.name), person)
    return person.tenant.slug, person.email, person.password.reveal()


def _last_character_changed(world: World, person: Actor) -> tuple[str, str, str]:
    password = person.password.reveal()
    return person.tenant.slug, person.email, password[:-1] + ("x" if password[-1] != "x" else "y")


# The mistakes of a sign-in by the words of the features: each gives (tenant slug, email, password).
MISTAKES: dict[str, Callable[[World, Actor], tuple[str, str, str]]] = {
    "the slug of a tenant that does not exist": _unknown_tenant,
    "Globex's slug instead of Acme's": _other_tenant,
    "an email nobody has at Acme": _unknown_email,
    "her right password after Alice deactivated her": _after_deactivation,
    "his password changed in its last character only": _last_character_changed,
}


def mistaken_sign_in(world: World, person: Actor, mistake: Callable[[World, Actor], tuple[str, str, str]]
                     ) -> httpx.Response:
    """Someone tries to sign in as `person` with one mistake."""
    return tries_sign_in(someone(world), *mistake(world, person))


def wrong_password_refusal(world: World, tenant_name: str) -> httpx.Response:
    """The refusal of a sign-in as the tenant's admin with a wrong password (the reference refusal)."""
    admin = world.admin_of(tenant_name)
    return tries_sign_in(someone(world), admin.tenant.slug, admin.email, admin.password.reveal() + "!")


def fail_sign_ins(world: World, tenant_slug: str, email: str, times: int) -> None:
    """Someone fails to sign in `times` times with wrong passwords; each must be refused as a failure."""
    for attempt in range(1, times + 1):
        answer = tries_sign_in(someone(world), tenant_slug, email, f"not-the-password-{attempt}-of-{times}")
        assert_that(answer, is_problem("invalid-credentials"), f"failed sign-in {attempt} of {times}")


def unknown_email(world: World, tenant_name: str) -> str:
    """An email nobody has at the tenant (the same one for the whole scenario)."""
    if not world.mentions.has(UNKNOWN_EMAIL):
        world.mention(UNKNOWN_EMAIL, world.build.email("nobody", world.tenant(tenant_name).slug))
    return world.it(UNKNOWN_EMAIL)


# -- forged passes -------------------------------------------------------------------------------
def _signing_key(world: World) -> str:
    pem = world.config.signing_key_pem
    assert pem, "this environment holds no signing key (the scenario should be tagged @needs.signing_key)"
    return pem


FORGERIES: dict[str, Forgery] = {
    "with no signature at all": lambda world, token: tokens.unsigned(token),
    "signed with identity's published key as a shared secret":
        lambda world, token: tokens.hs256_with_public_key(token, someone(world).gate.jwks()),
    "whose contents were changed to last a day longer":
        lambda world, token: tokens.tampered(token, exp=int(tokens.claims_of(token)["exp"]) + 86_400),
    "signed by a key identity never published": lambda world, token: tokens.signed_by_stranger(token),
    "that ran out a minute ago": lambda world, token: tokens.expired(token, _signing_key(world)),
    "that becomes valid only in a minute": lambda world, token: tokens.not_yet_valid(token, _signing_key(world)),
    "that names another issuer":
        lambda world, token: tokens.signed_with(token, _signing_key(world), iss="someone-else-identity"),
    "that is meant for another audience":
        lambda world, token: tokens.signed_with(token, _signing_key(world), aud="another-api"),
    "made afresh with the platform's key": lambda world, token: tokens.signed_with(token, _signing_key(world)),
}

# One harmless call per service that any admin may make.
HARMLESS_CALLS: dict[str, Call] = {
    "identity": lambda passes: passes.identity.me,
    "sales": lambda passes: passes.sales.list_clients,
    "anomaly": lambda passes: passes.anomaly.list_datasets,
}


def presents_forgery(world: World, person: Actor, forgery: Forgery) -> None:
    """The person will present a copy of their pass with `forgery` applied (made afresh for each call)."""
    genuine = person.current_pass()
    person.remember(PRESENTED, lambda: forgery(world, genuine))


def present_everywhere(person: Actor, make_pass: PassMaker) -> list[httpx.Response]:
    """The answers of identity, sales and anomaly to a harmless call with a pass from `make_pass`."""
    return [person.tries_to(call(person.with_pass(make_pass()))) for call in HARMLESS_CALLS.values()]


# -- renewals ------------------------------------------------------------------------------------
def renew(person: Actor) -> list[TokenPair]:
    """Renew the person's sign-in with the newest renewal token of the chain; the chain, newest last."""
    chain = person.notes.read(RENEWALS, [person.recall(SIGN_IN)])
    chain.append(person.gate.refresh(chain[-1].refresh_token))
    return person.remember(RENEWALS, chain)


def renewal_is_new(used: TokenPair, renewed: TokenPair) -> None:
    assert renewed.refresh_token != used.refresh_token, "the renewal handed back the renewal token it was given"
    assert renewed.access_token != used.access_token, "the renewal handed back the pass it already had"


def tries_renewal(actor: Actor, pair: TokenPair) -> httpx.Response:
    return actor.tries_to(actor.gate.refresh, pair.refresh_token)


# -- passwords -----------------------------------------------------------------------------------
def change_password(world: World, person: Actor) -> None:
    """The person changes their password to a fresh one; the old one is remembered."""
    old = person.remember(OLD_PASSWORD, person.password)
    new = world.build.password(avoid=person.email.split("@")[0])
    person.identity.change_password(current_password=old.reveal(), new_password=new.reveal())
    person.password = new


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


def enrol_with_password(world: World, admin: Actor, first_name: str, description: str) -> httpx.Response:
    """The admin adds a member of the cast with the described password."""
    return enrol(world, admin, first_name, described_password(world, description, avoid=first_name.lower()))


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


def works_with_identity_and_sales(person: Actor, access_token: str) -> None:
    holds_pass(person, access_token)
    assert_that(person.tries_to(person.with_pass(access_token).sales.list_clients), is_success())


# -- changes of access ---------------------------------------------------------------------------
def tries_pipeline(person: Actor) -> httpx.Response:
    """The person asks for the pipeline report with the pass they hold."""
    return person.tries_to(pass_drivers(person).sales.pipeline)


def tries_settings_change(person: Actor) -> httpx.Response:
    """The person, with the pass they hold, sets the tenant's discount threshold to what it is."""
    identity = pass_drivers(person).identity
    current = identity.settings().discount_approval_threshold
    return person.tries_to(identity.update_settings, discount_approval_threshold=current)


def within_moments(world: World) -> float:
    """The environment's allowance for the contract's "within 2 s" (timeouts.eventually)."""
    return world.config.timeouts.eventually


def refused_everywhere(world: World, person: Actor, passes: Passes, *, what: str) -> None:
    """Identity refuses the pass at once; sales and anomaly within moments (as unauthenticated)."""
    assert_that(person.tries_to(HARMLESS_CALLS["identity"](passes)), is_unauthenticated())
    for service in ("sales", "anomaly"):
        call = HARMLESS_CALLS[service](passes)
        eventually(lambda call=call: assert_that(person.tries_to(call), is_unauthenticated()),
                   within=within_moments(world), awaiting=f"{service} to refuse {what}")
