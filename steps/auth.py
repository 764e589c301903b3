"""Signing in and out, forged passes, renewals, passwords and changes of access (contract §2, §3)."""

from behave import given, then, when
from hamcrest import assert_that, has_entries, has_item

from support.data import tokens
from support.drivers.identity import TokenPair
from support.http.polling import eventually
from support.matchers.answers import (
    answers_like,
    breaks_rules,
    is_problem,
    is_unauthenticated,
    refused_renewal,
    succeeded,
    told_to_wait,
)
from support.screenplay.cast import ROLE_WORDS
from support.screenplay.world import NothingMentioned
from support.tasks.auth import described_password, enrol, gate, pass_drivers, rule_codes


def _within(context):
    """The environment's allowance for the contract's "within 2 s" (timeouts.eventually)."""
    return context.world.config.timeouts.eventually


def _refused(driver, call):
    assert_that(driver.attempt(call), is_unauthenticated())


@given("{who:Person} has signed in to {tenant:w}")
def step_has_signed_in(context, who, tenant):
    person = context.world.person(who)
    assert person.tenant.name == tenant, f"{person.name} works at {person.tenant.name}, not {tenant}"
    person.remember("sign-in pair", person.sign_in())


@given('{who:Person} has added the client "{name}"')
def step_has_added_client(context, who, name):
    person = context.world.person(who)
    person.remember("client", person.sales.create_client(**vars(context.world.build.client(name))))


@given('{who:Person} finds "{name}" among {pronoun:w} clients')
def step_finds_among_clients(context, who, name, pronoun):
    sales = context.world.person(who).sales
    assert_that(sales.list_clients(page_size=100)["items"], has_item(has_entries(name=name)), sales.evidence())


@when("{who:Person} signs out")
def step_signs_out(context, who):
    person = context.world.person(who)
    person.remember("old pass", person.current_pass())
    person.sign_out()


@then("{pronoun:w} old pass is refused everywhere")
def step_old_pass_refused(context, pronoun):
    old = context.world.spotlight.with_pass(context.world.spotlight.recall("old pass"))
    _refused(old.identity, old.identity.me)
    eventually(lambda: _refused(old.sales, old.sales.list_clients), within=_within(context),
               awaiting="sales to refuse the signed-out pass")
    eventually(lambda: _refused(old.anomaly, old.anomaly.list_datasets), within=_within(context),
               awaiting="anomaly to refuse the signed-out pass")


# -- sign-in: the same refusal whatever was wrong ------------------------------------------------
def _door(context):
    """One anonymous door to identity's sign-in per scenario."""
    try:
        return context.world.it("sign-in door")
    except NothingMentioned:
        return context.world.mention("sign-in door", gate(context.world))


def _sign_in_attempt(context, tenant_slug, email, password):
    door = _door(context)
    return door.attempt(door.sign_in, tenant=tenant_slug, email=email, password=password)


def _mistaken_sign_in(context, person, mistake):
    """(tenant slug, email, password) for a sign-in as `person` with one named mistake."""
    world, password = context.world, person.password.reveal()
    if mistake == "the slug of a tenant that does not exist":
        return world.build.slug("nowhere"), person.email, password
    if mistake == "Globex's slug instead of Acme's":
        return world.tenant("Globex").slug, person.email, password
    if mistake == "an email nobody has at Acme":
        return person.tenant.slug, world.build.email("nobody", person.tenant.slug), password
    if mistake == "her right password after Alice deactivated her":
        world.admin_of(person.tenant.name).identity.update_user(person.own_id(), active=False)
        return person.tenant.slug, person.email, password
    if mistake == "his password changed in its last character only":
        last = "x" if password[-1] != "x" else "y"
        return person.tenant.slug, person.email, password[:-1] + last
    raise AssertionError(f"no sign-in mistake is known as {mistake!r}")


@when("someone signs in as {who:Person} with {mistake}")
def step_signs_in_with_mistake(context, who, mistake):
    person = context.world.person(who)
    context.world.mention("sign-in answer", _sign_in_attempt(context, *_mistaken_sign_in(context, person, mistake)))


@then("the sign-in is refused as invalid credentials")
def step_refused_invalid_credentials(context):
    assert_that(context.world.it("sign-in answer"), is_problem("invalid-credentials"))


@then("the refusal reads word for word like the one for a wrong password")
def step_refusal_like_wrong_password(context):
    alice = context.world.admin_of(context.world.spotlight.tenant.name)
    reference = _sign_in_attempt(context, alice.tenant.slug, alice.email, alice.password.reveal() + "!")
    assert_that(reference, is_problem("invalid-credentials"))
    assert_that(context.world.it("sign-in answer"), answers_like(reference, "a wrong password"))


# -- throttling ------------------------------------------------------------------------------------
def _fail_sign_ins(context, tenant_slug, email, times):
    for attempt in range(1, times + 1):
        answer = _sign_in_attempt(context, tenant_slug, email, f"not-the-password-{attempt}-of-{times}")
        assert_that(answer, is_problem("invalid-credentials"), f"failed sign-in {attempt} of {times}")


@given("someone has tried to sign in as {who:Person} with a wrong password {times:d} times")
def step_tried_wrong_password(context, who, times):
    person = context.world.person(who)
    _fail_sign_ins(context, person.tenant.slug, person.email, times)


@given("someone has tried {times:d} times to sign in to {tenant:w} with an email nobody has there")
def step_tried_unknown_email(context, times, tenant):
    slug = context.world.tenant(tenant).slug
    email = context.world.mention("unknown email", context.world.build.email("nobody", slug))
    _fail_sign_ins(context, slug, email, times)


@when("someone tries that email at {tenant:w} once more")
def step_tries_that_email_again(context, tenant):
    slug = context.world.tenant(tenant).slug
    context.world.mention("sign-in answer",
                          _sign_in_attempt(context, slug, context.world.it("unknown email"), "one-more-guess-2026"))


@when("{who:Person} signs in with {pronoun:w} right password")
def step_signs_in_right_password(context, who, pronoun):
    person = context.world.person(who)
    context.world.mention("sign-in answer",
                          _sign_in_attempt(context, person.tenant.slug, person.email, person.password.reveal()))


@then("{pronoun:w} is told to wait before trying again")
@then("the attempt is told to wait before trying again")
def step_told_to_wait(context, pronoun=None):
    assert_that(context.world.it("sign-in answer"), told_to_wait())


@then("{pronoun:w} is let in")
def step_is_signed_in(context, pronoun):
    answer = context.world.it("sign-in answer")
    succeeded(answer)
    pair = TokenPair.from_json(answer.json())
    identity = context.world.spotlight.with_pass(pair.access_token).identity
    assert_that(identity.me(), has_entries(email=context.world.spotlight.email), identity.evidence())


# -- forged passes -----------------------------------------------------------------------------------
def _forge(context, token, forgery):
    pem = context.world.config.signing_key_pem
    forgeries = {
        "with no signature at all": lambda: tokens.unsigned(token),
        "signed with identity's published key as a shared secret":
            lambda: tokens.hs256_with_public_key(token, _door(context).jwks()),
        "whose contents were changed to last a day longer":
            lambda: tokens.tampered(token, exp=int(tokens.claims_of(token)["exp"]) + 86_400),
        "signed by a key identity never published": lambda: tokens.signed_by_stranger(token),
        "that ran out a minute ago": lambda: tokens.expired(token, _key(pem)),
        "that becomes valid only in a minute": lambda: tokens.not_yet_valid(token, _key(pem)),
        "that names another issuer": lambda: tokens.signed_with(token, _key(pem), iss="someone-else-identity"),
        "that is meant for another audience": lambda: tokens.signed_with(token, _key(pem), aud="another-api"),
        "made afresh with the platform's key": lambda: tokens.signed_with(token, _key(pem)),
    }
    if forgery not in forgeries:
        raise AssertionError(f"no forgery is known as {forgery!r} (known: {', '.join(forgeries)})")
    return forgeries[forgery]()


def _key(pem):
    assert pem, "this environment holds no signing key (the scenario should be tagged @needs.signing_key)"
    return pem


def _calls_with(passes):
    """One harmless call per service that any admin may make."""
    return {"identity": (passes.identity, passes.identity.me),
            "sales": (passes.sales, passes.sales.list_clients),
            "anomaly": (passes.anomaly, passes.anomaly.list_datasets)}


@when("{who:Person} presents a copy of {pronoun:w} pass {forgery}")
def step_presents_forged_pass(context, who, pronoun, forgery):
    person = context.world.person(who)
    context.world.mention("presented pass", person.with_pass(_forge(context, person.current_pass(), forgery)))


@then("identity, sales and anomaly all refuse that pass")
def step_all_refuse_pass(context):
    for service, (driver, call) in _calls_with(context.world.it("presented pass")).items():
        assert_that(driver.attempt(call), is_unauthenticated(), f"{service} let the pass in")


@then("identity, sales and anomaly all accept that pass")
def step_all_accept_pass(context):
    for service, (driver, call) in _calls_with(context.world.it("presented pass")).items():
        answer = driver.attempt(call)
        assert answer.status_code == 200, f"{service} did not accept the pass: {driver.evidence()}"


# -- renewals ------------------------------------------------------------------------------------
def _renew(context, person):
    door = _door(context)
    chain = person.recall("renewal chain") if person.knows("renewal chain") else [person.recall("sign-in pair")]
    chain.append(door.refresh(chain[-1].refresh_token))
    person.remember("renewal chain", chain)
    return chain


def _renewal_answer(context, refresh_token):
    door = _door(context)
    return door.attempt(door.refresh, refresh_token)


@when("{who:Person} renews {pronoun:w} sign-in")
def step_renews(context, who, pronoun):
    _renew(context, context.world.person(who))


@given("{who:Person} has renewed {pronoun:w} sign-in twice")
def step_renewed_twice(context, who, pronoun):
    person = context.world.person(who)
    _renew(context, person)
    _renew(context, person)


@then("{pronoun:w} renewed pass works")
def step_renewed_pass_works(context, pronoun):
    person = context.world.spotlight
    used, renewed = person.recall("renewal chain")[-2:]
    assert renewed.refresh_token != used.refresh_token, "the renewal handed back the renewal token it was given"
    assert renewed.access_token != used.access_token, "the renewal handed back the pass it already had"
    identity = person.with_pass(renewed.access_token).identity
    assert_that(identity.me(), has_entries(email=person.email), identity.evidence())


@then("the renewal token {pronoun:w} used is refused from now on")
def step_used_renewal_refused(context, pronoun):
    used = context.world.spotlight.recall("renewal chain")[-2]
    assert_that(_renewal_answer(context, used.refresh_token), refused_renewal())


@when("someone presents {pronoun:w} first renewal token again")
def step_replays_first_renewal(context, pronoun):
    first = context.world.spotlight.recall("renewal chain")[0]
    context.world.mention("renewal answer", _renewal_answer(context, first.refresh_token))


@then("that replayed renewal is refused")
def step_replayed_renewal_refused(context):
    assert_that(context.world.it("renewal answer"), refused_renewal())


@then("{pronoun:w} newest renewal token is refused too")
def step_newest_renewal_refused(context, pronoun):
    newest = context.world.spotlight.recall("renewal chain")[-1]
    assert_that(_renewal_answer(context, newest.refresh_token), refused_renewal())


# -- password changes ------------------------------------------------------------------------------
@when("{who:Person} changes {pronoun:w} password")
def step_changes_password(context, who, pronoun):
    person = context.world.person(who)
    old = person.remember("old password", person.password)
    new = context.world.build.password(avoid=person.email.split("@")[0])
    person.identity.change_password(current_password=old.reveal(), new_password=new.reveal())
    person.password = new


@then("the renewal token {pronoun:w} held before the change is refused")
def step_renewal_before_change_refused(context, pronoun):
    pair = context.world.spotlight.recall("sign-in pair")
    assert_that(_renewal_answer(context, pair.refresh_token), refused_renewal())


@then("the pass {pronoun:w} already holds still works with identity and sales")
def step_pass_still_works(context, pronoun):
    person = context.world.spotlight
    passes = person.with_pass(person.recall("sign-in pair").access_token)
    assert_that(passes.identity.me(), has_entries(email=person.email), passes.identity.evidence())
    passes.sales.list_clients()


@then("only {pronoun:w} new password signs {pronoun2:w} in")
def step_only_new_password(context, pronoun, pronoun2):
    person = context.world.spotlight
    old = _sign_in_attempt(context, person.tenant.slug, person.email, person.recall("old password").reveal())
    assert_that(old, is_problem("invalid-credentials"))
    succeeded(_sign_in_attempt(context, person.tenant.slug, person.email, person.password.reveal()))


# -- deactivation and role changes -----------------------------------------------------------------

@when("{admin:Person} deactivates {who:Person}")
def step_deactivates(context, admin, who):
    boss, person = context.world.person(admin), context.world.person(who)
    boss.identity.update_user(person.own_id(), active=False)


@then("the pass {who:Person} holds is refused by identity at once and by sales and anomaly within moments")
def step_held_pass_refused(context, who):
    passes = pass_drivers(context.world.person(who))
    _refused(passes.identity, passes.identity.me)
    eventually(lambda: _refused(passes.sales, passes.sales.list_clients), within=_within(context),
               awaiting="sales to refuse the deactivated person's pass")
    eventually(lambda: _refused(passes.anomaly, passes.anomaly.list_datasets), within=_within(context),
               awaiting="anomaly to refuse the deactivated person's pass")


@then("{who:Person} can no longer sign in")
def step_can_no_longer_sign_in(context, who):
    person = context.world.person(who)
    answer = _sign_in_attempt(context, person.tenant.slug, person.email, person.password.reveal())
    assert_that(answer, is_problem("invalid-credentials"))


def _pipeline_answer(person):
    sales = pass_drivers(person).sales
    return sales, sales.attempt(sales.pipeline)


@given("the pass {who:Person} holds does not open the pipeline report")
def step_pass_no_pipeline(context, who):
    _, answer = _pipeline_answer(context.world.person(who))
    assert_that(answer, is_problem("forbidden"))


@when("{admin:Person} makes {who:Person} a {role}")
def step_makes_role(context, admin, who, role):
    boss, person = context.world.person(admin), context.world.person(who)
    boss.identity.update_user(person.own_id(), roles=[ROLE_WORDS[role]])


@given("{admin:Person} has made {who:Person} an {role} as well")
def step_adds_role(context, admin, who, role):
    boss, person = context.world.person(admin), context.world.person(who)
    boss.identity.update_user(person.own_id(), roles=[*person.persona.roles, ROLE_WORDS[role]])


@when("{admin:Person} takes the admin role away from {who:Person}")
def step_takes_admin_away(context, admin, who):
    boss, person = context.world.person(admin), context.world.person(who)
    boss.identity.update_user(person.own_id(), roles=list(person.persona.roles))


@then("the pass {who:Person} holds opens the pipeline report within moments")
def step_pass_opens_pipeline(context, who):
    person = context.world.person(who)

    def opens():
        sales, answer = _pipeline_answer(person)
        assert answer.status_code == 200, sales.evidence()

    eventually(opens, within=_within(context), awaiting=f"{person.name}'s new role to open the pipeline report")


def _settings_change(person):
    identity = pass_drivers(person).identity
    current = identity.settings()["discount_approval_threshold"]
    return identity, identity.attempt(identity.update_settings, discount_approval_threshold=current)


@given("the pass {who:Person} holds can change {tenant:w}'s settings")
def step_pass_changes_settings(context, who, tenant):
    identity, answer = _settings_change(context.world.person(who))
    assert answer.status_code == 200, identity.evidence()


@then("the pass {who:Person} holds can no longer change {tenant:w}'s settings within moments")
def step_pass_no_longer_changes_settings(context, who, tenant):
    person = context.world.person(who)

    def refused():
        _, answer = _settings_change(person)
        assert_that(answer, is_problem("forbidden"))

    eventually(refused, within=_within(context), awaiting=f"{person.name}'s lost admin role to take effect")


# -- password rules ------------------------------------------------------------------------------
@given("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
@when("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
def step_adds_with_password(context, admin, who, tenant, password):
    boss = context.world.person(admin)
    local_part = who.lower()
    chosen = described_password(context.world, password, avoid=local_part)
    context.world.mention("enrolment", enrol(context.world, boss, who, chosen))


@then("{who:Person} signs in with that password")
def step_signs_in_with_that_password(context, who):
    succeeded(context.world.it("enrolment"), 201)
    person = context.world.person(who)
    answer = _sign_in_attempt(context, person.tenant.slug, person.email, person.password.reveal())
    succeeded(answer)


@then("the password is refused for being {rules}")
def step_password_refused(context, rules):
    assert_that(context.world.it("enrolment"), breaks_rules(rule_codes(rules)))
