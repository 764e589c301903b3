"""Signing in and out, forged passes, renewals, passwords and changes of access (contract §2, §3)."""

from behave import given, then, when
from hamcrest import assert_that, has_item, has_properties

from support.http.polling import eventually
from support.matchers.answers import (
    answers_like,
    breaks_rules,
    every_answer,
    is_problem,
    is_success,
    is_unauthenticated,
    refused_renewal,
    told_to_wait,
)
from support.tasks import auth


# -- signing in and out ----------------------------------------------------------------------------
@given("{who:Person} has signed in to {tenant:w}")
def step_has_signed_in(context, who, tenant):
    person = context.world.person(who)
    assert person.tenant.name == tenant, f"{person.name} works at {person.tenant.name}, not {tenant}"
    person.remember(auth.SIGN_IN, person.sign_in())


@given('{who:Person} has added the client "{name}"')
def step_has_added_client(context, who, name):
    person = context.world.person(who)
    person.remember(auth.ADDED_CLIENT, person.sales.create_client(**vars(context.world.build.client(name))))


@given('{who:Person} finds "{name}" among {pronoun:w} clients')
def step_finds_among_clients(context, who, name, pronoun):
    sales = context.world.person(who).sales
    assert_that(sales.list_clients(page_size=100).items, has_item(has_properties(name=name)), sales.evidence())


@when("{who:Person} signs out")
def step_signs_out(context, who):
    person = context.world.person(who)
    person.remember(auth.HELD_PASS, person.current_pass())
    person.sign_out()


@then("{pronoun:w} old pass is refused everywhere")
def step_old_pass_refused(context, pronoun):
    person = context.world.spotlight
    auth.refused_everywhere(context.world, person, person.with_pass(person.recall(auth.HELD_PASS)),
                            what="the signed-out pass")


# -- sign-in: the same refusal whatever was wrong ------------------------------------------------
@when("someone signs in as {who:Person} with {mistake:AuthMistake}")
def step_signs_in_with_mistake(context, who, mistake):
    auth.mistaken_sign_in(context.world, context.world.person(who), mistake)


@then("the sign-in is refused as invalid credentials")
def step_refused_invalid_credentials(context):
    assert_that(auth.someone(context.world).last_answer, is_problem("invalid-credentials"))


@then("the refusal reads word for word like the one for a wrong password")
def step_refusal_like_wrong_password(context):
    refused = auth.someone(context.world).last_answer
    reference = auth.wrong_password_refusal(context.world, context.world.spotlight.tenant.name)
    assert_that(reference, is_problem("invalid-credentials"))
    assert_that(refused, answers_like(reference, "a wrong password"))


# -- throttling ------------------------------------------------------------------------------------
@given("someone has tried to sign in as {who:Person} with a wrong password {times:d} times")
def step_tried_wrong_password(context, who, times):
    person = context.world.person(who)
    auth.fail_sign_ins(context.world, person.tenant.slug, person.email, times)


@given("someone has tried {times:d} times to sign in to {tenant:w} with an email nobody has there")
def step_tried_unknown_email(context, times, tenant):
    email = auth.unknown_email(context.world, tenant)
    auth.fail_sign_ins(context.world, context.world.tenant(tenant).slug, email, times)


@when("someone tries that email at {tenant:w} once more")
def step_tries_that_email_again(context, tenant):
    slug, email = context.world.tenant(tenant).slug, auth.unknown_email(context.world, tenant)
    auth.tries_sign_in(auth.someone(context.world), slug, email, "one-more-guess-2026")


@when("{who:Person} signs in with {pronoun:w} right password")
def step_signs_in_right_password(context, who, pronoun):
    auth.tries_own_sign_in(context.world.person(who))


@then("{pronoun:w} is told to wait before trying again")
def step_told_to_wait(context, pronoun):
    assert_that(context.world.spotlight.last_answer, told_to_wait())


@then("the attempt is told to wait before trying again")
def step_attempt_told_to_wait(context):
    assert_that(auth.someone(context.world).last_answer, told_to_wait())


@then("{pronoun:w} is let in")
def step_is_let_in(context, pronoun):
    person = context.world.spotlight
    assert_that(person.last_answer, is_success())
    auth.holds_pass_of(person, person.last_answer)


# -- forged passes -----------------------------------------------------------------------------------
@when("{who:Person} presents a copy of {pronoun:w} pass {forgery:AuthForgery}")
def step_presents_forged_pass(context, who, pronoun, forgery):
    auth.presents_forgery(context.world, context.world.person(who), forgery)


@then("identity, sales and anomaly all refuse that pass")
def step_all_refuse_pass(context):
    person = context.world.spotlight
    assert_that(auth.present_everywhere(person, person.recall(auth.PRESENTED)), every_answer(is_unauthenticated()))


@then("identity, sales and anomaly all accept that pass")
def step_all_accept_pass(context):
    person = context.world.spotlight
    assert_that(auth.present_everywhere(person, person.recall(auth.PRESENTED)), every_answer(is_success()))


# -- renewals ------------------------------------------------------------------------------------
@when("{who:Person} renews {pronoun:w} sign-in")
def step_renews(context, who, pronoun):
    auth.renew(context.world.person(who))


@given("{who:Person} has renewed {pronoun:w} sign-in twice")
def step_renewed_twice(context, who, pronoun):
    person = context.world.person(who)
    auth.renew(person)
    auth.renew(person)


@then("{pronoun:w} renewed pass works")
def step_renewed_pass_works(context, pronoun):
    person = context.world.spotlight
    used, renewed = person.recall(auth.RENEWALS)[-2:]
    auth.renewal_is_new(used, renewed)
    auth.holds_pass(person, renewed.access_token)


@then("the renewal token {pronoun:w} used is refused from now on")
def step_used_renewal_refused(context, pronoun):
    person = context.world.spotlight
    assert_that(auth.tries_renewal(person, person.recall(auth.RENEWALS)[-2]), refused_renewal())


@when("someone presents {pronoun:w} first renewal token again")
def step_replays_first_renewal(context, pronoun):
    auth.tries_renewal(auth.someone(context.world), context.world.spotlight.recall(auth.RENEWALS)[0])


@then("that replayed renewal is refused")
def step_replayed_renewal_refused(context):
    assert_that(auth.someone(context.world).last_answer, refused_renewal())


@then("{pronoun:w} newest renewal token is refused too")
def step_newest_renewal_refused(context, pronoun):
    person = context.world.spotlight
    assert_that(auth.tries_renewal(person, person.recall(auth.RENEWALS)[-1]), refused_renewal())


# -- password changes ------------------------------------------------------------------------------
@when("{who:Person} changes {pronoun:w} password")
def step_changes_password(context, who, pronoun):
    auth.change_password(context.world, context.world.person(who))


@then("the renewal token {pronoun:w} held before the change is refused")
def step_renewal_before_change_refused(context, pronoun):
    person = context.world.spotlight
    assert_that(auth.tries_renewal(person, person.recall(auth.SIGN_IN)), refused_renewal())


@then("the pass {pronoun:w} already holds still works with identity and sales")
def step_pass_still_works(context, pronoun):
    person = context.world.spotlight
    auth.works_with_identity_and_sales(person, person.recall(auth.SIGN_IN).access_token)


@then("only {pronoun:w} new password signs {pronoun2:w} in")
def step_only_new_password(context, pronoun, pronoun2):
    person = context.world.spotlight
    assert_that(auth.tries_own_sign_in(person, person.recall(auth.OLD_PASSWORD)), is_problem("invalid-credentials"))
    assert_that(auth.tries_own_sign_in(person), is_success())


# -- deactivation and role changes -----------------------------------------------------------------
@when("{admin:Person} deactivates {who:Person}")
def step_deactivates(context, admin, who):
    auth.deactivate(context.world.person(admin), context.world.person(who))


@then("the pass {who:Person} holds is refused by identity at once and by sales and anomaly within moments")
def step_held_pass_refused(context, who):
    person = context.world.person(who)
    auth.refused_everywhere(context.world, person, auth.pass_drivers(person), what="the deactivated person's pass")


@then("{who:Person} can no longer sign in")
def step_can_no_longer_sign_in(context, who):
    assert_that(auth.tries_own_sign_in(context.world.person(who)), is_problem("invalid-credentials"))


@given("the pass {who:Person} holds does not open the pipeline report")
def step_pass_no_pipeline(context, who):
    assert_that(auth.tries_pipeline(context.world.person(who)), is_problem("forbidden"))


@when("{admin:Person} makes {who:Person} a {role:AuthRole}")
def step_makes_role(context, admin, who, role):
    auth.set_roles(context.world.person(admin), context.world.person(who), [role])


@given("{admin:Person} has made {who:Person} an {role:AuthRole} as well")
def step_adds_role(context, admin, who, role):
    person = context.world.person(who)
    auth.set_roles(context.world.person(admin), person, [*person.persona.roles, role])


@when("{admin:Person} takes the admin role away from {who:Person}")
def step_takes_admin_away(context, admin, who):
    person = context.world.person(who)
    auth.set_roles(context.world.person(admin), person, list(person.persona.roles))


@then("the pass {who:Person} holds opens the pipeline report within moments")
def step_pass_opens_pipeline(context, who):
    person = context.world.person(who)
    eventually(lambda: assert_that(auth.tries_pipeline(person), is_success()),
               within=auth.within_moments(context.world), awaiting=f"{person.name}'s new role to take effect")


@given("the pass {who:Person} holds can change {tenant:w}'s settings")
def step_pass_changes_settings(context, who, tenant):
    assert_that(auth.tries_settings_change(context.world.person(who)), is_success())


@then("the pass {who:Person} holds can no longer change {tenant:w}'s settings within moments")
def step_pass_no_longer_changes_settings(context, who, tenant):
    person = context.world.person(who)
    eventually(lambda: assert_that(auth.tries_settings_change(person), is_problem("forbidden")),
               within=auth.within_moments(context.world), awaiting=f"{person.name}'s lost role to take effect")


# -- password rules ------------------------------------------------------------------------------
@given("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
@when("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
def step_adds_with_password(context, admin, who, tenant, password):
    auth.enrol_with_password(context.world, context.world.person(admin), who, password)


@then("{who:Person} signs in with that password")
def step_signs_in_with_that_password(context, who):
    assert_that(auth.tries_own_sign_in(auth.enrolled(context.world, who)), is_success())


@then("the password is refused for being {rules:AuthRules}")
def step_password_refused(context, rules):
    assert_that(context.world.it(auth.ENROLLING_ADMIN).last_answer, breaks_rules(rules))
