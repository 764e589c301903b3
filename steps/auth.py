"""Signing in and out: a pass works while signed in and is refused once signed out."""

from behave import given, then, when
from hamcrest import assert_that, has_entries, has_item

from support.cast import register_person_type
from support.matchers import is_unauthenticated
from support.polling import eventually

register_person_type()
REVOCATION_DELAY_S = 2.0  # the contract's "within 2 s" on sales and anomaly
SLACK_S = 1.0             # round trips and polling granularity


def _refused(driver, call):
    assert_that(driver.attempt(call), is_unauthenticated())


@given("{who:Person} has signed in to {tenant:w}")
def step_has_signed_in(context, who, tenant):
    person = context.world.person(who)
    assert person.tenant.name == tenant, f"{person.name} works at {person.tenant.name}, not {tenant}"
    person.sign_in()


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
    eventually(lambda: _refused(old.sales, old.sales.list_clients), within=REVOCATION_DELAY_S + SLACK_S,
               awaiting="sales to refuse the signed-out pass")
    eventually(lambda: _refused(old.anomaly, old.anomaly.list_datasets), within=REVOCATION_DELAY_S + SLACK_S,
               awaiting="anomaly to refuse the signed-out pass")
