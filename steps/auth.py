"""Signing in and out, passes, renewals, passwords and changes of access (contract §2, §3)."""

from behave import given, then, when
from hamcrest import assert_that

from support.matchers.answers import (
    answers_like,
    breaks_rules,
    every_answer,
    is_problem,
    is_success,
    is_unauthenticated,
    refused_renewal,
    reports_broken_rules,
)
from support.matchers.passes import hands_out_pass, is_pass_for
from support.tasks import auth


# -- signing in and out ----------------------------------------------------------------------------
@given("{who:Person} has signed in to {tenant:w}")
def step_has_signed_in(context, who, tenant):
    auth.has_signed_in(context.world.person(who), tenant)


@given("{who:Person} has also signed in to {tenant:w} on {pronoun:w} phone")
def step_has_signed_in_elsewhere(context, who, tenant, pronoun):
    auth.signs_in_elsewhere(context.world.person(who))


@when("{who:Person} signs in to {tenant:w}")
def step_signs_in(context, who, tenant):
    auth.signs_in(context.world.person(who))


@given('{who:Person} has added the client "{name}"')
def step_has_added_client(context, who, name):
    person = context.world.person(who)
    person.remember(auth.ADDED_CLIENT, person.sales.create_client(**vars(context.world.build.client(name))))


@given("identity, sales and anomaly all recognise the pass {pronoun:w} holds")
def step_all_recognise_held_pass(context, pronoun):
    auth.recognised_everywhere(context.world.spotlight, context.world.spotlight.current_pass())


@when("{who:Person} signs out")
def step_signs_out(context, who):
    auth.signs_out(context.world.person(who))


@then("{pronoun:w} old pass is refused by identity at once and by sales and anomaly within 2 seconds")
def step_old_pass_refused(context, pronoun):
    person = context.world.spotlight
    auth.refused_within(context.world, person, person.recall(auth.HELD_PASS), what="the signed-out pass")


@then("the renewal token of that sign-in is refused")
def step_signed_out_renewal_refused(context):
    person = context.world.spotlight
    assert_that(auth.tries_renewal(person, person.recall(auth.SIGN_IN)), refused_renewal())


@then("{pronoun:w} pass names {pronoun2:w}, {tenant:w} and {pronoun3:w} role, for the platform's API, "
      "signed by a key identity publishes")
def step_pass_names_holder(context, pronoun, pronoun2, tenant, pronoun3):
    person = context.world.spotlight
    assert_that(person.recall(auth.SIGN_IN).access_token, is_pass_for(auth.holder(context.world, person)))


@then("identity knows {pronoun:w} by the same id, tenant and roles, with {pronoun2:w} email and name")
def step_identity_knows(context, pronoun, pronoun2):
    auth.identity_knows(context.world.spotlight)


@then("another sign-in hands out a pass with an id of its own")
def step_pass_ids_differ(context):
    auth.pass_ids_differ(context.world.spotlight)


@then("{pronoun:w} is handed a pass and a renewal token, the pass lasting the deployment's pass lifetime "
      "(900 seconds by default)")
def step_handed_pass(context, pronoun):
    assert_that(context.world.spotlight.last_answer, hands_out_pass(auth.pass_lifetime(context.world)))


@then('{pronoun:w} pass comes from the deployment\'s issuer ("platform-identity" by default)')
def step_pass_issuer(context, pronoun):
    auth.comes_from_issuer(context.world, context.world.spotlight)


@given('identity is configured with the issuer "{issuer}" and a pass lifetime of {seconds:d} seconds')
def step_identity_configured_issuer(context, issuer, seconds):
    auth.configure_identity(context.world, ISSUER=issuer, ACCESS_TOKEN_TTL=str(seconds))


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


@given("{who:Person} works at {tenant:w} under the same email address as {other:Person}")
def step_works_under_same_email(context, who, tenant, other):
    auth.enrol_namesake(context.world, who, tenant, context.world.person(other))


@when("{who:Person} signs in with {pronoun:w} right password")
def step_signs_in_right_password(context, who, pronoun):
    auth.tries_own_sign_in(context.world.person(who))


@then("{pronoun:w} is told to wait, no longer than the deployment's lock-out (900 seconds by default)")
def step_told_to_wait(context, pronoun):
    assert_that(context.world.spotlight.last_answer, auth.held_back(context.world))


@then("the attempt is told to wait, no longer than the deployment's lock-out (900 seconds by default)")
def step_attempt_told_to_wait(context):
    assert_that(auth.someone(context.world).last_answer, auth.held_back(context.world))


@then("{pronoun:w} is let in")
def step_is_let_in(context, pronoun):
    auth.let_in(context.world.spotlight)


@given("identity is configured with a lock-out of {seconds:d} seconds")
def step_identity_configured_lockout(context, seconds):
    auth.configure_identity(context.world, LOCKOUT_SECONDS=str(seconds))


@when("{who:Person} keeps signing in with {pronoun:w} right password")
def step_keeps_signing_in(context, who, pronoun):
    auth.keeps_signing_in(context.world, context.world.person(who))


@then("{pronoun:w} was held back until the {seconds:d} seconds had passed, and let in right after")
def step_held_back_until_passed(context, pronoun, seconds):
    auth.held_back_until_lockout_passed(context.world, context.world.spotlight, seconds)


# -- forged passes -----------------------------------------------------------------------------------
@when("{who:Person} presents a copy of {pronoun:w} pass {forgery:AuthForgery}")
def step_presents_forged_pass(context, who, pronoun, forgery):
    auth.presents_forgery(context.world, context.world.person(who), forgery)


@then("identity, sales and anomaly all refuse that pass")
def step_all_refuse_pass(context):
    person = context.world.spotlight
    assert_that(auth.present_everywhere(person, person.recall(auth.PRESENTED)), every_answer(is_unauthenticated()))
    auth.bait_untouched(context.world)


@then("identity, sales and anomaly all accept that pass")
def step_all_accept_pass(context):
    person = context.world.spotlight
    assert_that(auth.present_everywhere(person, person.recall(auth.PRESENTED)), every_answer(is_success()))


# -- passwords ------------------------------------------------------------------------------------
@when("{who:Person} changes {pronoun:w} password")
def step_changes_password(context, who, pronoun):
    auth.change_password(context.world, context.world.person(who))


@then("only {pronoun:w} new password signs {pronoun2:w} in")
def step_only_new_password(context, pronoun, pronoun2):
    auth.only_new_password_signs_in(context.world.spotlight)


@when("{who:Person} tries to change {pronoun:w} password to one that is {password}")
def step_tries_password_change(context, who, pronoun, password):
    auth.tries_password_change(context.world, context.world.person(who), password)


@when("{who:Person} tries to change {pronoun:w} password giving a wrong current password")
def step_tries_unproven_change(context, who, pronoun):
    auth.tries_password_change_unproven(context.world, context.world.person(who))


@then("the change is refused because {pronoun:w} current password is incorrect")
def step_change_refused_incorrect(context, pronoun):
    assert_that(context.world.spotlight.last_answer, reports_broken_rules({"current_password": "incorrect"}))


@then("{who:Person} still signs in with {pronoun:w} old password")
def step_still_signs_in(context, who, pronoun):
    assert_that(auth.tries_own_sign_in(context.world.person(who)), is_success())


@given("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
@when("{admin:Person} adds {who:Person} to {tenant:w} with a password that is {password}")
def step_adds_with_password(context, admin, who, tenant, password):
    auth.enrol_with_password(context.world, context.world.person(admin), who, password)


@then("{who:Person} signs in with that password")
def step_signs_in_with_that_password(context, who):
    assert_that(auth.tries_own_sign_in(auth.enrolled(context.world, who)), is_success())


@then("the password is refused as {rules:AuthRules}")
def step_password_refused(context, rules):
    assert_that(context.world.spotlight.last_answer, breaks_rules(rules))


@when('{admin:Person} adds a colleague whose email begins "{local}@" with the password "{password}"')
def step_adds_colleague_with_password(context, admin, local, password):
    auth.enrol_colleague(context.world, context.world.person(admin), local, password)


@then("the colleague's password is {codes:AuthVerdict}")
def step_colleague_password_verdict(context, codes):
    assert_that(context.world.spotlight.last_answer, auth.verdict(codes))


# -- deactivation and role changes -----------------------------------------------------------------
@when("{admin:Person} deactivates {who:Person}")
def step_deactivates(context, admin, who):
    auth.deactivate(context.world.person(admin), context.world.person(who))


@then("the pass {who:Person} holds is refused by identity at once and by sales and anomaly within 2 seconds")
def step_held_pass_refused(context, who):
    person = context.world.person(who)
    auth.refused_within(context.world, person, person.current_pass(), what="the deactivated person's pass")


@then("{who:Person} can no longer sign in")
def step_can_no_longer_sign_in(context, who):
    assert_that(auth.tries_own_sign_in(context.world.person(who)), is_problem("invalid-credentials"))


@when("{admin:Person} makes {who:Person} {role:AuthRole}")
def step_makes_role(context, admin, who, role):
    auth.set_roles(context.world.person(admin), context.world.person(who), [role])


@given("{admin:Person} has made {who:Person} {role:AuthRole} as well")
def step_adds_role(context, admin, who, role):
    person = context.world.person(who)
    auth.set_roles(context.world.person(admin), person, [*person.persona.roles, role])


@when("{admin:Person} takes the admin role away from {who:Person}")
def step_takes_admin_away(context, admin, who):
    person = context.world.person(who)
    auth.set_roles(context.world.person(admin), person, list(person.persona.roles))


@given("the pass {who:Person} holds {opens:AuthOpens} {door:AuthDoor}")
def step_pass_opens(context, who, opens, door):
    assert_that(door(context.world.person(who)), auth.opening(opens))


@then("within 2 seconds the pass {who:Person} holds {opens:AuthOpens} {door:AuthDoor}")
def step_pass_opens_within(context, who, opens, door):
    auth.opens_within(context.world.person(who), door, opens)
