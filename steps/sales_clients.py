"""Sales: clients, and who sees and changes which clients and deals (contract §4, the rep's scope)."""

from behave import given, then, when
from hamcrest import assert_that, contains_exactly, empty, equal_to, has_entries, has_item, has_items, is_not

from support.matchers.answers import is_problem
from support.tasks import sales


# -- clients --------------------------------------------------------------------------------------------
@given('{who:Person} has the client "{name:SalesName}"')
@given('{who:Person} has the client "{name:SalesName}" {situation:SalesClientSituation}')
def step_has_client(context, who, name, situation=None):
    sales.client_with(context.world, context.world.person(who), name, situation)


@given('{who:Person} has the client "{name:SalesName}" with the email "{email:SalesName}"')
def step_has_client_with_email(context, who, name, email):
    sales.add_client(context.world, context.world.person(who), name, email=email)


@when('{who:Person} adds the client "{name:SalesName}" in "{country:SalesName}"')
def step_adds_client_in(context, who, name, country):
    sales.add_client(context.world, context.world.person(who), name, country=country)


@when("{who:Person} tries to add clients in {countries:SalesQuotedList}")
def step_tries_clients_in(context, who, countries):
    sales.try_clients_in(context.world, context.world.person(who), countries)


@when('{who:Person} {must:SalesAdds} the client "{name:SalesName}" for {owner:Person}')
def step_adds_client_for(context, who, must, name, owner):
    world = context.world
    sales.add_client_for(world, world.person(who), world.actor(owner), name, must=must)


@when('{who:Person} tries to hand "{name:SalesName}" over to {receiver:Person}')
def step_hands_over(context, who, name, receiver):
    sales.hand_over(context.world.person(who), name, context.world.actor(receiver))


@when('{who:Person} renames the client "{name:SalesName}"')
def step_renames_client(context, who, name):
    sales.rename_client(context.world.person(who), name)


@when("{who:Person} {must:SalesDeletes} the client")
def step_deletes_client(context, who, must):
    sales.delete_client(context.world.person(who), must=must)


@then('{who:Person}\'s client "{name:SalesName}" is in "{country:SalesName}", owned by {pronoun:SalesPronoun}')
@then('{who:Person}\'s client "{name:SalesName}" is in its country, owned by {pronoun:SalesPronoun}')
def step_client_is(context, who, name, pronoun, country=None):
    owner = context.world.person(who)
    client, expected = sales.client_now(owner), sales.client_expected(owner, name, country)
    assert_that(client.body, has_entries(expected), owner.sales.evidence())


@then('"{name:SalesName}" is no longer among {who:Person}\'s clients')
def step_client_gone(context, name, who):
    owner = context.world.person(who)
    assert_that(sales.client_gone(owner), is_problem("not-found"), f"{owner.name}'s deleted client")
    assert_that(sales.client_names(owner), is_not(has_item(name)), owner.sales.evidence())


@then('"{name:SalesName}" is still among {who:Person}\'s clients')
@then('{who:Person} finds "{name:SalesName}" among {pronoun:SalesPronoun} clients')
def step_client_among(context, name, who, pronoun=None):
    viewer = context.world.person(who)
    assert_that(sales.client_names(viewer), has_item(name), viewer.sales.evidence())


@then('{who:Person}\'s only client is still "{name:SalesName}"')
def step_only_client(context, who, name):
    viewer = context.world.person(who)
    assert_that(sales.client_names(viewer), contains_exactly(name), viewer.sales.evidence())


@then("{who:Person} has no {kind:SalesKind}")
def step_has_none(context, who, kind):
    viewer = context.world.person(who)
    assert_that(sales.listing(viewer, kind).body, has_entries(items=empty(), total=0), viewer.sales.evidence())


# -- who sees and changes what ----------------------------------------------------------------------------
@when("{who:Person} looks at {pronoun:SalesPronoun} clients and deals")
@when("{who:Person} looks at {tenant:w}'s clients and deals")
@when("{who:Person} looks at the clients and deals of {owner:Person}")
def step_looks(context, who, pronoun=None, tenant=None, owner=None):
    world = context.world
    sales.look(world, world.person(who), None if owner is None else world.actor(owner))


@then('{viewer:Person} finds only "{name:SalesName}" and its deal')
def step_finds_only_own(context, viewer, name):
    clients, deals = context.world.it(sales.LISTS)
    assert_that(sales.names_in(clients), contains_exactly(name), "the clients list")
    assert_that(deals.ids(), contains_exactly(context.world.person(viewer).recall(sales.DEAL).id), "the deals list")


@then("{viewer:Person} finds no clients and no deals")
def step_finds_nothing(context, viewer):
    for listed in context.world.it(sales.LISTS):
        assert_that(listed.body, has_entries(items=empty(), total=0), "the list")


@then('{viewer:Person} finds both "{first:SalesName}" and "{second:SalesName}" with their deals')
def step_finds_both(context, viewer, first, second):
    clients, deals = context.world.it(sales.LISTS)
    assert_that(sales.names_in(clients), has_items(first, second), "the clients list")
    assert_that(deals.ids(), has_items(*sales.remembered_deal_ids(context.world, "Rita", "Ravi")), "the deals list")


@when("{who:Person} tries to open {owner:Person}'s client and deal")
def step_tries_to_open_others(context, who, owner):
    sales.try_to_open(context.world.person(who), context.world.actor(owner))


@when("{who:Person} tries to look at the clients and deals")
def step_tries_to_look(context, who):
    sales.try_to_look(context.world.person(who))


@when("{who:Person} tries to do these to {owner:Person}'s client and deal:")
def step_tries_meddling(context, who, owner):
    world = context.world
    sales.meddle(world, world.person(who), world.actor(owner), [row["attempt"] for row in context.table])


@then("{owner:Person}'s client and deal are just as they were")
def step_just_as_they_were(context, owner):
    before, now = sales.untouched(context.world)
    assert_that(now, equal_to(before), f"{owner}'s client and deal, and both reps' deals")


@when('{who:Person} searches {pronoun:SalesPronoun} clients for "{text}"')
def step_searches(context, who, pronoun, text):
    sales.search(context.world, context.world.person(who), text)


@then('{viewer:Person} finds only "{name:SalesName}"')
def step_finds_only(context, viewer, name):
    found = sales.names_in(context.world.it(sales.SEARCH))
    assert_that(found, contains_exactly(name), context.world.person(viewer).sales.evidence())
