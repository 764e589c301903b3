"""Renewals: a renewal token renews a sign-in once, for the deployment's renewal lifetime (contract §3, §6)."""

from behave import given, then, when
from hamcrest import assert_that

from support.matchers.answers import every_answer, refused_renewal
from support.tasks import auth


@given("identity is configured with a renewal lifetime of {seconds:d} seconds")
def step_identity_configured_renewal(context, seconds):
    auth.configure_identity(context.world, REFRESH_TOKEN_TTL=str(seconds))


@when("{who:Person} leaves {pronoun:w} newest renewal token unused past its lifetime and the allowance for clocks")
def step_leaves_renewal_unused(context, who, pronoun):
    auth.leave_renewal_unused(context.world, context.world.person(who))


@then("that renewal token is refused")
def step_that_renewal_refused(context):
    person = context.world.spotlight
    assert_that(auth.tries_renewal(person, person.recall(auth.RENEWALS)[-1]), refused_renewal())


# -- renewals ------------------------------------------------------------------------------------
@when("{who:Person} renews {pronoun:w} sign-in")
def step_renews(context, who, pronoun):
    auth.renew(context.world.person(who))


@given("{who:Person} has renewed {pronoun:w} sign-in twice")
def step_renewed_twice(context, who, pronoun):
    for _ in range(2):
        auth.renew(context.world.person(who))


@then("{pronoun:w} renewed pass works")
def step_renewed_pass_works(context, pronoun):
    auth.renewed_pass_works(context.world.spotlight)


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


@then("identity, sales and anomaly still recognise {pronoun:w} newest pass")
def step_newest_pass_recognised(context, pronoun):
    person = context.world.spotlight
    auth.recognised_everywhere(person, person.recall(auth.RENEWALS)[-1].access_token)


@then("the renewal tokens of both {pronoun:w} sign-ins are refused")
def step_both_renewals_refused(context, pronoun):
    person = context.world.spotlight
    assert_that([auth.tries_renewal(person, pair) for pair in auth.sign_ins(person)], every_answer(refused_renewal()))


@then("identity, sales and anomaly still recognise the passes of both {pronoun:w} sign-ins")
def step_both_passes_recognised(context, pronoun):
    person = context.world.spotlight
    auth.recognised_everywhere(person, *(pair.access_token for pair in auth.sign_ins(person)))
