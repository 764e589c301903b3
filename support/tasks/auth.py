"""What people do around signing in, passes, renewals and passwords (contract §2, §3), on top of the World.

Sign-in and renewal attempts are made by an actor through identity's door (`actor.gate`) with
`actor.tries_to`, so every "X is refused as ..." step judges `actor.last_answer`. Anonymous attempts
("someone signs in as Rita with ...") are made by `someone(world)`, a stranger without an account.
"Within 2 s" is checked against the contract's 2 s from the moment the change was answered, plus
`LAST_PROBE_ALLOWANCE_S` for the probe's own round trip. Besides, this module sets up what the auth and
tenancy features need: a tenant on another plan, people enrolled with chosen passwords or emails, colleagues.
"""

from __future__ import annotations

import random
import re
import string
import time
from collections.abc import Callable

import httpx
from hamcrest import assert_that, contains_inanyorder, has_properties

from support.data import tokens
from support.data.key_bait import KeyBait
from support.data.secret import Secret
from support.drivers.identity import TokenPair
from support.drivers.records import Client
from support.http.client import describe
from support.http.polling import LAST_PROBE_ALLOWANCE_S, PROMISED_WITHIN_S, eventually, let_time_pass
from support.matchers.answers import (
    AnswerMatcher,
    breaks_rules,
    every_answer,
    is_problem,
    is_success,
    is_unauthenticated,
    json_object,
    told_to_wait,
)
from support.matchers.passes import Holder, recognises_pass
from support.runner import faults
from support.screenplay.actor import Actor, Passes, Tenant
from support.screenplay.cast import persona
from support.screenplay.notes import Note
from support.screenplay.world import World

# -- the contract's figures ----------------------------------------------------------------------
DEFAULT_ISSUER = "platform-identity"
DEFAULT_PASS_LIFETIME_S = 900
DEFAULT_LOCKOUT_S = 900
LOCKOUT_PROBE_INTERVAL_S = 0.5
CLOCK_GRANULARITY_S = 1.0  # a lock-out kept in whole seconds may end up to 1 s early or late

# -- what actors remember and what a scenario mentions -------------------------------------------
SIGN_IN: Note[TokenPair] = Note("sign-in")
OTHER_SIGN_IN: Note[TokenPair] = Note("sign-in on another device")
RENEWALS: Note[list[TokenPair]] = Note("chain of renewals")
RENEWED_AT: Note[float] = Note("moment the last renewal was answered (monotonic clock)")
HELD_PASS: Note[str] = Note("pass held before signing out")
CHANGED_AT: Note[float] = Note("moment a change of access was answered")
OLD_PASSWORD: Note[Secret] = Note("password before the change")
ADDED_CLIENT: Note[Client] = Note("client added")
PRESENTED: Note[Callable[[], str]] = Note("presented pass")
LOCKOUT_PROBES: Note[list[tuple[float, float, httpx.Response]]] = Note("sign-ins during the lock-out")
SOMEONE: Note[Actor] = Note("someone without an account")
UNKNOWN_EMAIL: Note[str] = Note("email nobody has")
ENROLLING_ADMIN: Note[Actor] = Note("admin who enrolled somebody")
LOCK_STARTED: Note[tuple[float, float]] = Note("moments the locking failure was sent and answered")
BAIT: Note[KeyBait] = Note("stranger's published keys")

PassMaker = Callable[[], str]
Forgery = Callable[[World, str], str]
Attempt = Callable[[Actor], httpx.Response]

_LENGTH = re.compile(r"^(?P<count>\d+) (?P<kind>lowercase letters|characters long)"
                     r'(?: with "(?P<inside>[^"]+)" in (?:it|them))?$')
_QUOTED = re.compile(r'^"(?P<text>.*)"$')
# The pool of "N characters long" passwords: printable ASCII and non-ASCII letters (no spaces).
_MIXED = string.ascii_letters + string.digits + "!#%&*+-.:;=?_~" + "äöüéèñçøåœ"


# -- the deployment ------------------------------------------------------------------------------
def _identity_setting(world: World, name: str, default: str | int) -> str:
    return faults.service_settings(world, "identity").get(name) or str(default)


def issuer(world: World) -> str:
    """The deployment's issuer: identity's ISSUER, else the contract's default."""
    return _identity_setting(world, "ISSUER", DEFAULT_ISSUER)


def pass_lifetime(world: World) -> int:
    """The deployment's access-token lifetime in seconds: identity's ACCESS_TOKEN_TTL, else 900."""
    return int(_identity_setting(world, "ACCESS_TOKEN_TTL", DEFAULT_PASS_LIFETIME_S))


def lockout(world: World) -> int:
    """The deployment's sign-in lock-out in seconds: identity's LOCKOUT_SECONDS, else 900."""
    return int(_identity_setting(world, "LOCKOUT_SECONDS", DEFAULT_LOCKOUT_S))


def configure_identity(world: World, **settings: str) -> None:
    """Restart identity with these settings for the rest of the scenario (a managed platform only)."""
    faults.reconfigure(world, "identity", **settings)


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


def enrol(world: World, admin: Actor, first_name: str, password: str, *, email: str | None = None
          ) -> httpx.Response:
    """The admin adds a member of the cast with `password` (and `email`, else the usual one); on success the
    person joins the World."""
    who = persona(first_name)
    address = email or world.build.email(who.first_name, world.tenant(who.tenant).slug)
    world.mention(ENROLLING_ADMIN, admin)
    answer = admin.tries_to(admin.identity.create_user, email=address, name=who.full_name, password=password,
                            roles=list(who.roles))
    if answer.status_code == 201:
        world.enrol(who, address, Secret(password), user_id=str(json_object(answer).get("id")))
    return answer


def enrolled(world: World, first_name: str) -> Actor:
    """The member of the cast whom a step enrolled (fails with the admin's answer if the enrolment failed)."""
    admin = world.it(ENROLLING_ADMIN)
    assert first_name in world.actors, f"{first_name} was not enrolled: {describe(admin.last_answer)}"
    return world.actors[first_name]


def enrol_namesake(world: World, first_name: str, tenant_name: str, namesake: Actor) -> Actor:
    """The member of the cast `first_name` joins their tenant under the email `namesake` has at another one."""
    who = persona(first_name)
    assert who.tenant == tenant_name, f"{first_name} works at {who.tenant}, not {tenant_name}"
    assert who.tenant != namesake.tenant.name, f"{first_name} and {namesake.name} both work at {who.tenant}"
    password = world.build.password(avoid=namesake.email.split("@")[0])
    answer = enrol(world, world.admin_of(who.tenant), first_name, password.reveal(), email=namesake.email)
    assert_that(answer, is_success(201))
    return enrolled(world, first_name)


def enrol_colleague(world: World, admin: Actor, local_part: str, password: str) -> httpx.Response:
    """The admin adds a colleague (outside the cast) whose email begins with `local_part@`, with `password`."""
    world.mention(ENROLLING_ADMIN, admin)
    return admin.tries_to(admin.identity.create_user, email=f"{local_part}@{admin.tenant.slug}.example.com",
                          name=f"Colleague {local_part}", password=password, roles=["sales_rep"])


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
    """The admin gives the person exactly `roles`; the person notes when that was answered."""
    admin.identity.update_user(person.own_id(), roles=roles)
    person.remember(CHANGED_AT, time.monotonic())


def deactivate(admin: Actor, person: Actor) -> None:
    """The admin deactivates the person; the person notes when that was answered."""
    admin.identity.update_user(person.own_id(), active=False)
    person.remember(CHANGED_AT, time.monotonic())


def signs_out(person: Actor) -> None:
    """The person signs out, keeping a copy of the pass they held; they note when that was answered."""
    person.remember(HELD_PASS, person.current_pass())
    person.sign_out()
    person.remember(CHANGED_AT, time.monotonic())


# -- signing in ----------------------------------------------------------------------------------
def tries_sign_in(actor: Actor, tenant_slug: str, email: str, password: str) -> httpx.Response:
    """`actor` tries to sign in with these credentials; the answer is the actor's last answer."""
    return actor.tries_to(actor.gate.sign_in, tenant=tenant_slug, email=email, password=password)


def tries_own_sign_in(actor: Actor, password: Secret | None = None) -> httpx.Response:
    """The actor tries to sign in with their own tenant and email, and their password (or `password`)."""
    return tries_sign_in(actor, actor.tenant.slug, actor.email, (password or actor.password).reveal())


def has_signed_in(person: Actor, tenant_name: str) -> None:
    """The person has signed in (the actor's own pass from now on) and remembers the pair handed out."""
    assert person.tenant.name == tenant_name, f"{person.name} works at {person.tenant.name}, not {tenant_name}"
    person.remember(SIGN_IN, person.sign_in())


def signs_in(person: Actor) -> httpx.Response:
    """The person signs in at identity's door; a pair handed out is remembered as their sign-in."""
    answer = tries_own_sign_in(person)
    if answer.status_code == 200:
        person.remember(SIGN_IN, TokenPair.from_json(json_object(answer)))
    return answer


def signs_in_elsewhere(person: Actor) -> TokenPair:
    """The person signs in once more, on another device: the actor's own pass stays the first sign-in's."""
    pair = person.gate.sign_in(tenant=person.tenant.slug, email=person.email, password=person.password.reveal())
    return person.remember(OTHER_SIGN_IN, pair)


def holds_pass(person: Actor, access_token: str) -> None:
    """Identity takes `access_token` for the person's pass: it answers who is signed in with their email."""
    identity = person.with_pass(access_token).identity
    assert_that(identity.me(), has_properties(email=person.email), identity.evidence())


def let_in(person: Actor) -> None:
    """The person's last sign-in went through and handed out a pass that identity takes for theirs."""
    assert_that(person.last_answer, is_success())
    holds_pass(person, TokenPair.from_json(json_object(person.last_answer)).access_token)


def holder(world: World, person: Actor) -> Holder:
    """What the person's passes must say: their ids and roles, the deployment's issuer, identity's keys."""
    return Holder(user_id=person.own_id(), tenant_id=person.tenant.id, roles=frozenset(person.persona.roles),
                  issuer=issuer(world), jwks=someone(world).gate.jwks())


def identity_knows(person: Actor) -> None:
    """Identity describes the signed-in person as they are: id, tenant, email, name and roles."""
    identity = person.with_pass(person.recall(SIGN_IN).access_token).identity
    assert_that(identity.me(), has_properties(
        id=person.own_id(), tenant_id=person.tenant.id, email=person.email, name=person.persona.full_name,
        roles=contains_inanyorder(*person.persona.roles)), identity.evidence())


def comes_from_issuer(world: World, person: Actor) -> None:
    """The person's pass names the deployment's issuer."""
    claims = tokens.claims_of(person.recall(SIGN_IN).access_token)
    assert claims.get("iss") == issuer(world), f"the pass comes from {claims.get('iss')!r}, not {issuer(world)!r}"


def pass_ids_differ(person: Actor) -> None:
    """A second sign-in hands out a pass with an id (jti) of its own."""
    first = tokens.claims_of(person.recall(SIGN_IN).access_token).get("jti")
    second = tokens.claims_of(person.gate.sign_in(tenant=person.tenant.slug, email=person.email,
                                                  password=person.password.reveal()).access_token).get("jti")
    assert first != second, f"two sign-ins handed out passes with the same id {first!r}"


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
    answer = tries_sign_in(someone(world), admin.tenant.slug, admin.email, admin.password.reveal() + "!")
    assert_that(answer, is_problem("invalid-credentials"), "a wrong password")
    return answer


def fail_sign_ins(world: World, tenant_slug: str, email: str, times: int) -> None:
    """Someone fails to sign in `times` times with wrong passwords; each must be refused as a failure. The
    moments the last one was sent and answered are mentioned (a lock-out starts in between)."""
    for attempt in range(1, times + 1):
        sent = time.monotonic()
        answer = tries_sign_in(someone(world), tenant_slug, email, f"not-the-password-{attempt}-of-{times}")
        world.mention(LOCK_STARTED, (sent, time.monotonic()))
        assert_that(answer, is_problem("invalid-credentials"), f"failed sign-in {attempt} of {times}")


def unknown_email(world: World, tenant_name: str) -> str:
    """An email nobody has at the tenant (the same one for the whole scenario)."""
    if not world.mentions.has(UNKNOWN_EMAIL):
        world.mention(UNKNOWN_EMAIL, world.build.email("nobody", world.tenant(tenant_name).slug))
    return world.it(UNKNOWN_EMAIL)


def held_back(world: World) -> AnswerMatcher:
    """Told to wait as `too-many-attempts`, no longer than the deployment's lock-out."""
    return told_to_wait("too-many-attempts", at_most=lockout(world))


def keeps_signing_in(world: World, person: Actor) -> None:
    """The person tries the right password every half second until let in, at most until the lock-out has
    passed (plus 1 s for a lock-out kept in whole seconds and the round-trip allowance); every try is kept with
    the moments it was sent and answered."""
    probes: list[tuple[float, float, httpx.Response]] = person.remember(LOCKOUT_PROBES, [])
    _, answered = world.it(LOCK_STARTED)

    def let_in() -> None:
        sent = time.monotonic()
        answer = tries_own_sign_in(person)
        probes.append((sent, time.monotonic(), answer))
        assert_that(answer, is_success())

    deadline = answered + lockout(world) + CLOCK_GRANULARITY_S + LAST_PROBE_ALLOWANCE_S
    eventually(let_in, within=max(deadline - time.monotonic(), 0.0), interval=LOCKOUT_PROBE_INTERVAL_S,
               awaiting=f"{person.name} to be let in once the {lockout(world)} s lock-out had passed")


def held_back_until_lockout_passed(world: World, person: Actor, seconds: int) -> None:
    """Every try before the lock-out of `seconds` had passed was told to wait (no longer than the lock-out), and
    the one that let the person in was answered only after it had passed."""
    assert lockout(world) == seconds, f"identity's lock-out is {lockout(world)} s, not {seconds} s"
    sent_first, _ = world.it(LOCK_STARTED)
    ends = sent_first + lockout(world) - CLOCK_GRANULARITY_S
    for sent, answered, answer in person.recall(LOCKOUT_PROBES):
        if answer.status_code == 200:
            assert answered >= ends, (
                f"let in {ends - answered:.1f} s before the {lockout(world)} s lock-out had passed: {describe(answer)}")
        else:
            assert_that(answer, held_back(world), f"a try {sent - sent_first:.1f} s into the lock-out")


# -- forged passes -------------------------------------------------------------------------------
def _signing_key(world: World) -> str:
    pem = world.config.signing_key_pem
    assert pem, "this environment holds no signing key (the scenario should be tagged @needs.signing_key)"
    return pem


def key_bait(world: World) -> KeyBait:
    """The stranger's key list and certificate, served for the rest of the scenario."""
    if not world.mentions.has(BAIT):
        bait = world.mention(BAIT, KeyBait(world.config.host))
        world.on_close(bait.close)
    return world.it(BAIT)


def bait_untouched(world: World) -> None:
    """No service fetched the stranger's key list or certificate that a forged pass pointed to."""
    if world.mentions.has(BAIT):
        fetched = world.it(BAIT).fetches
        assert not fetched, f"a service fetched {fetched} from the address a forged pass named for its key"


def _unsigned(alg: str) -> Forgery:
    return lambda world, token: tokens.unsigned(token, alg)


def _public_key_secret(form: str) -> Forgery:
    return lambda world, token: tokens.hs256_with_public_key(token, someone(world).gate.jwks(), form=form)


def _platform_key(**changes: object) -> Forgery:
    return lambda world, token: tokens.signed_with(token, _signing_key(world), **changes)  # type: ignore[arg-type]


FORGERIES: dict[str, Forgery] = {
    'marked "none" and left unsigned': _unsigned("none"),
    'marked "None" and left unsigned': _unsigned("None"),
    'marked "NONE" and left unsigned': _unsigned("NONE"),
    'marked "nOnE" and left unsigned': _unsigned("nOnE"),
    "signed with identity's published key, as its PEM text, used as a shared secret": _public_key_secret("pem"),
    "signed with identity's published key, as published in its key list, used as a shared secret":
        _public_key_secret("jwk"),
    "whose contents were changed to last a day longer":
        lambda world, token: tokens.tampered(token, exp=int(tokens.claims_of(token)["exp"]) + 86_400),
    "signed by a key identity never published": lambda world, token: tokens.signed_by_stranger(token),
    "signed by a stranger whose key travels inside the pass":
        lambda world, token: tokens.signed_by_stranger(token, jwk=tokens.stranger_jwk()),
    "signed by a stranger who points to a key list of their own":
        lambda world, token: tokens.signed_by_stranger(token, jku=key_bait(world).jwks_url),
    "signed by a stranger who points to a certificate of their own":
        lambda world, token: tokens.signed_by_stranger(token, x5u=key_bait(world).certificate_url),
    "made with the platform's key that ran out 15 seconds ago":
        lambda world, token: tokens.expired(token, _signing_key(world)),
    "made with the platform's key that becomes valid only in 15 seconds":
        lambda world, token: tokens.not_yet_valid(token, _signing_key(world)),
    "made with the platform's key without any expiry":
        lambda world, token: tokens.without_expiry(token, _signing_key(world)),
    "made with the platform's key that names another issuer": _platform_key(iss="someone-else-identity"),
    "made with the platform's key for another audience": _platform_key(aud="another-api"),
    "made with the platform's key but signed RS512 instead of RS256": _platform_key(algorithm="RS512"),
    "made with the platform's key as it is": _platform_key(),
}

# One harmless call per service that any admin may make.
HARMLESS_CALLS: dict[str, Callable[[Passes], Callable[..., object]]] = {
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


def recognised_everywhere(person: Actor, *access_tokens: str) -> None:
    """Identity, sales and anomaly take each pass for genuine (a success, or 403 for the person's role)."""
    for token in access_tokens:
        assert_that(present_everywhere(person, lambda token=token: token), every_answer(recognises_pass()))


def refused_within(world: World, person: Actor, access_token: str, *, what: str) -> None:
    """Identity refuses the pass at once; sales and anomaly by 2 s (+ the round-trip allowance) after the
    person's noted change, all as unauthenticated."""
    passes = person.with_pass(access_token)
    assert_that(person.tries_to(HARMLESS_CALLS["identity"](passes)), is_unauthenticated(), "identity, at once")
    deadline = person.recall(CHANGED_AT) + PROMISED_WITHIN_S + LAST_PROBE_ALLOWANCE_S
    for service in ("sales", "anomaly"):
        call = HARMLESS_CALLS[service](passes)
        eventually(lambda call=call: assert_that(person.tries_to(call), is_unauthenticated()),
                   within=max(deadline - time.monotonic(), 0.0),
                   awaiting=(f"{service} to refuse {what} within {PROMISED_WITHIN_S:.0f} s "
                             f"(+{LAST_PROBE_ALLOWANCE_S} s)"))


# -- renewals ------------------------------------------------------------------------------------
def renew(person: Actor) -> list[TokenPair]:
    """Renew the person's sign-in with the newest renewal token of the chain; the chain, newest last."""
    chain = person.notes.read(RENEWALS, [person.recall(SIGN_IN)])
    answer = tries_renewal(person, chain[-1])
    assert_that(answer, is_success())
    chain.append(TokenPair.from_json(json_object(answer)))
    person.remember(RENEWED_AT, time.monotonic())
    return person.remember(RENEWALS, chain)


def renewal_lifetime(world: World) -> int:
    """The deployment's refresh-token lifetime in seconds: identity's REFRESH_TOKEN_TTL (no default is judged)."""
    setting = _identity_setting(world, "REFRESH_TOKEN_TTL", "")
    if not setting:
        raise AssertionError("identity runs without REFRESH_TOKEN_TTL: no renewal lifetime to wait out")
    return int(setting)


def leave_renewal_unused(world: World, person: Actor) -> None:
    """Let the newest renewal token's lifetime pass, and the contract's largest leeway for clocks (10 s) after it,
    counted from the moment it was handed out."""
    beyond = renewal_lifetime(world) + tokens.MAX_LEEWAY_S + LAST_PROBE_ALLOWANCE_S
    let_time_pass(person.recall(RENEWED_AT), beyond, awaiting="the renewal token was handed out")


def renewal_is_new(used: TokenPair, renewed: TokenPair) -> None:
    assert renewed.refresh_token != used.refresh_token, "the renewal handed back the renewal token it was given"
    assert renewed.access_token != used.access_token, "the renewal handed back the pass it already had"


def renewed_pass_works(person: Actor) -> None:
    """The last renewal handed out a new pair, and identity takes its pass for the person's."""
    used, renewed = person.recall(RENEWALS)[-2:]
    renewal_is_new(used, renewed)
    holds_pass(person, renewed.access_token)


def tries_renewal(actor: Actor, pair: TokenPair) -> httpx.Response:
    return actor.tries_to(actor.gate.refresh, pair.refresh_token)


def sign_ins(person: Actor) -> list[TokenPair]:
    """The person's sign-ins on both devices."""
    return [person.recall(SIGN_IN), person.recall(OTHER_SIGN_IN)]


# -- passwords -----------------------------------------------------------------------------------
def change_password(world: World, person: Actor) -> None:
    """The person changes their password to a fresh one; the old one is remembered."""
    old = person.remember(OLD_PASSWORD, person.password)
    new = world.build.password(avoid=person.email.split("@")[0])
    person.identity.change_password(current_password=old.reveal(), new_password=new.reveal())
    person.password = new


def only_new_password_signs_in(person: Actor) -> None:
    assert_that(tries_own_sign_in(person, person.recall(OLD_PASSWORD)), is_problem("invalid-credentials"),
                "the old password")
    assert_that(tries_own_sign_in(person), is_success(), "the new password")


def tries_password_change(world: World, person: Actor, description: str) -> httpx.Response:
    """The person tries to change their password to the described one (their password stays as it is)."""
    new = described_password(world, description, avoid=person.email.split("@")[0])
    return person.tries_to(person.identity.change_password, current_password=person.password.reveal(),
                           new_password=new)


def tries_password_change_unproven(world: World, person: Actor) -> httpx.Response:
    """The person tries to change their password giving a wrong current password (and a good new one)."""
    new = world.build.password(avoid=person.email.split("@")[0])
    return person.tries_to(person.identity.change_password, current_password=person.password.reveal() + "-not",
                           new_password=new.reveal())


def described_password(world: World, description: str, *, avoid: str) -> str:
    """A password from its description: '15 lowercase letters', '129 characters long with "Ravi" in
    it', or a quoted literal. Generated ones are seeded and never contain `avoid` outside what was asked."""
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
    "too common": "common_password",
    "containing his email's name": "contains_email",
    "containing her email's name": "contains_email",
    "containing the email's name": "contains_email",
}


def rule_codes(words: str) -> set[str]:
    """ "too short and too common" -> {"too_short", "common_password"} """
    parts = [part.strip() for part in words.replace(" and ", ",").split(",") if part.strip()]
    unknown = [part for part in parts if part not in RULE_CODES]
    if unknown:
        raise AssertionError(f"unknown password rule(s) {unknown}; known: {', '.join(RULE_CODES)}")
    return {RULE_CODES[part] for part in parts}


def verdict(codes: set[str]) -> AnswerMatcher:
    """No broken rules: the colleague was created; else exactly these rules were reported broken."""
    return breaks_rules(codes) if codes else is_success(201)


# -- changes of access ---------------------------------------------------------------------------
def _tries_pipeline(person: Actor) -> httpx.Response:
    return person.tries_to(pass_drivers(person).sales.pipeline)


def _tries_datasets(person: Actor) -> httpx.Response:
    return person.tries_to(pass_drivers(person).anomaly.list_datasets)


def _tries_settings_change(person: Actor) -> httpx.Response:
    """The person, with the pass they hold, sets the tenant's discount threshold to what it is."""
    identity = pass_drivers(person).identity
    current = identity.settings().discount_approval_threshold
    return person.tries_to(identity.update_settings, discount_approval_threshold=current)


# What a pass may open, by the words of the features, and how to try it with the pass a person holds.
DOORS: dict[str, Attempt] = {
    "the pipeline report": _tries_pipeline,
    "Acme's datasets": _tries_datasets,
    "a change of Acme's settings": _tries_settings_change,
}


def opening(opens: bool) -> AnswerMatcher:
    """The door opened, or stayed shut for the person's role (403 `forbidden`)."""
    return is_success() if opens else is_problem("forbidden")


def opens_within(person: Actor, door: Attempt, opens: bool) -> None:
    """Within 2 s (+ the round-trip allowance) of the person's noted change, the door opens (or stays shut)."""
    deadline = person.recall(CHANGED_AT) + PROMISED_WITHIN_S + LAST_PROBE_ALLOWANCE_S
    eventually(lambda: assert_that(door(person), opening(opens)), within=max(deadline - time.monotonic(), 0.0),
               awaiting=f"{person.name}'s change of roles to take effect within {PROMISED_WITHIN_S:.0f} s")
