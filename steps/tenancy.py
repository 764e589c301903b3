"""Tenancy: who may do what, changes of roles, isolation between tenants, tenants, people and plans."""

from behave import given, then, when
from hamcrest import assert_that

from support.data.tables import table_of
from support.matchers.answers import answered_2xx
from support.tasks import isolation as iso
from support.tasks import tenancy as ten


# -- who may do what --------------------------------------------------------------------------------
@when("each role tries each of these:")
def step_each_role_tries(context):
    context.world.mention(ten.TRIED, ten.try_cells(context.world, ten.cells_of(*table_of(context.table))))


@then("each is allowed exactly where the table says yes, and refused everywhere else")
def step_allowed_as_the_table_says(context):
    ten.no_faults("cells of the table that do not hold", ten.table_faults(context.world.it(ten.TRIED)))


# -- changes of roles -------------------------------------------------------------------------------
@given("{who:Person} holds a pass that is {allowed:TenancyAllowance} to {what:Capability}")
def step_holds_a_pass(context, who, allowed, what):
    person = context.world.person(who)
    ten.hold_pass(person)
    ten.check_held_pass(context.world, person, what, allowed)


@given("{admin:Person} has also made {who:Person} {role:TenancyRole}")
@when("{admin:Person} also makes {who:Person} {role:TenancyRole}")
def step_gives_role(context, admin, who, role):
    ten.give_role(context.world.person(admin), context.world.person(who), role)


@when("{admin:Person} withdraws the {role:TenancyRoleName} role from {who:Person}")
def step_withdraws_role(context, admin, role, who):
    ten.take_role(context.world.person(admin), context.world.person(who), role)


@then("within 2 seconds the pass {who:Person} holds is {allowed:TenancyAllowance} to {what:Capability}")
def step_pass_in_time(context, who, allowed, what):
    ten.comes_true_in_time(context.world, context.world.person(who), what, allowed)


# -- isolation ------------------------------------------------------------------------------------------
@given("{tenant:w} has its own {kind:TenantRecord}")
def step_tenant_has_record(context, tenant, kind):
    ten.kind_made(context.world, kind, tenant)


@given("{tenant:w} has records of every kind")
def step_tenant_has_every_kind(context, tenant):
    for kind in iso.KINDS:
        ten.kind_made(context.world, kind, tenant)


@when("{who:Person} of {tenant:w} tries everything there is to do with Acme's {kind:TenantRecord}")
def step_tries_everything(context, who, tenant, kind):
    stock, intruder = iso.stock_of(context.world), context.world.person(who)
    context.world.mention(iso.INTRUSIONS, iso.intrude(stock, intruder, stock.shared(kind), "address"))


@when("{who:Person} of {tenant:w} names Acme's {kind:TenantRecord} in every request that names one")
def step_names_record(context, who, tenant, kind):
    stock, intruder = iso.stock_of(context.world), context.world.person(who)
    context.world.mention(iso.INTRUSIONS, iso.intrude(stock, intruder, stock.shared(kind), "body"))


@when("{who:Person} of {tenant:w} filters his lists by Acme's {kind:TenantRecord}")
def step_filters_by_record(context, who, tenant, kind):
    stock, intruder = iso.stock_of(context.world), context.world.person(who)
    context.world.mention(iso.INTRUSIONS, iso.intrude(stock, intruder, stock.shared(kind), "filter"))


@then("every one of {who:Person}'s attempts is answered as if that record had never existed")
def step_answered_as_never_existed(context, who):
    ten.no_faults(f"{who}'s attempts that tell Acme's record from one that never existed",
                  iso.intrusion_faults(context.world.it(iso.INTRUSIONS)))


@then("Acme's {kind:TenantRecord} is just as it was")
def step_record_as_it_was(context, kind):
    change = iso.as_it_was(iso.stock_of(context.world).shared(kind))
    assert change is None, change


@when("{who:Person} looks through every list of {tenant:w}'s")
def step_looks_through_every_list(context, who, tenant):
    intruder = context.world.person(who)
    context.world.mention(iso.LISTED, iso.look_through_everything(iso.stock_of(context.world), intruder))


@then("nothing of Acme's is in any of {who:Person}'s lists")
def step_nothing_of_acme_listed(context, who):
    stock = iso.stock_of(context.world)
    listed = context.world.mentions.read(iso.LISTED, None) or iso.look_through_everything(
        stock, context.world.person(who))
    ten.no_faults(f"{who}'s lists that show Acme's records", iso.leaks(listed, stock.home_ids()))


@given('{who:Person} has a client called "{name}"')
def step_has_client_called(context, who, name):
    iso.add_client_called(context.world, context.world.person(who), name)


@when('{who:Person} searches {tenant:w}\'s clients for "{text}"')
def step_searches_clients(context, who, tenant, text):
    person = context.world.person(who)
    context.world.mention(iso.FOUND, person.sales.list_clients(q=text, page_size=100))


@then('{pronoun:w} finds "{name}" and nothing of Acme\'s')
def step_finds_only(context, pronoun, name):
    found = context.world.it(iso.FOUND)
    assert [client.name for client in found.items] == [name] and found.total == 1, f"the search found {found.body}"


# -- tenants ------------------------------------------------------------------------------------------
@when("the operator sets up a tenant whose slug {shape:SlugShape}")
def step_sets_up_shaped(context, shape):
    ten.set_up_shaped(context.world, shape)


@when("the operator sets up a tenant with {whose:SlugOwner} slug")
def step_sets_up_with_taken_slug(context, whose):
    ten.set_up_tenant(context.world, ten.slug_of(context.world, whose or None))


@when('the operator sets up a tenant on the "{plan}" plan selling in "{currency}"')
def step_sets_up_on_plan(context, plan, currency):
    ten.set_up_tenant(context.world, context.world.build.slug("tenant"), plan=plan, currency=currency)


@then("{thing:TenancyAttempt} is refused {why:TenancyRefusal}")
def step_refused(context, thing, why):
    assert_that(ten.last_try(context.world), ten.refusal(why), f"{thing} was not refused {why}")


@then("that colleague is added")
@then("that change goes through")
def step_went_through(context):
    assert_that(ten.last_try(context.world), answered_2xx())


@then("the tenant is set up with that slug")
def step_set_up_with_slug(context):
    ten.set_up_as_asked(context.world)


@then("the tenant is set up on the {plan:w} plan selling in {currency:w}")
def step_set_up_on_plan(context, plan, currency):
    ten.set_up_as_asked(context.world, plan=plan, currency=currency)


@when("the operator sets up {tenant:w} with {admin:Person} as its first admin")
def step_sets_up_with_first_admin(context, tenant, admin):
    assert context.world.admin_of(tenant).name == admin, f"{admin} is not cast as {tenant}'s first admin"


@then("{admin:Person} signs in to {tenant:w} as its admin")
def step_signs_in_as_admin(context, admin, tenant):
    ten.no_faults(f"{admin} as {tenant}'s admin", ten.first_admin_faults(context.world, context.world.person(admin),
                                                                         tenant))


@then("{admin:Person} is the only person at {tenant:w}")
def step_only_person(context, admin, tenant):
    ten.no_faults(f"{admin} as the only person at {tenant}", ten.only_person_faults(context.world.person(admin)))


@given("{tenant:w} is on the {plan:TenancyPlan} plan")
def step_tenant_on_plan(context, tenant, plan):
    context.world.on_plan(tenant, plan)


@when("{who:Person} looks at {tenant:w}'s usage and limits")
def step_looks_at_usage(context, who, tenant):
    ten.tenant_as_seen(context.world, context.world.person(who))


@then("{pronoun:w} sees room for {people:TenancyFigure} people, {detectors:TenancyFigure} detectors and "
      "{rows:TenancyFigure} rows per dataset")
def step_sees_limits(context, pronoun, people, detectors, rows):
    ten.no_faults("the tenant as its people see it", ten.limits_faults(context.world, people, detectors, rows))


@then("{pronoun:w} sees {people:d} people, no detectors and no rows in use")
def step_sees_usage(context, pronoun, people):
    ten.no_faults("the tenant's usage", ten.usage_faults(context.world, people))


@when("{admin:Person} sets {tenant:w}'s discount approval threshold to {percent} %")
def step_sets_threshold(context, admin, tenant, percent):
    context.world.person(admin).identity.update_settings(discount_approval_threshold=percent)


@then("{who:Person} reads a discount approval threshold of {percent} %")
def step_reads_threshold(context, who, percent):
    ten.no_faults("the threshold", ten.threshold_faults(context.world.person(who), percent))


# -- people -----------------------------------------------------------------------------------------
@when("{admin:Person} adds a colleague who is {roles:TenancyRoles}")
def step_adds_colleague_with_roles(context, admin, roles):
    ten.add_colleague(context.world, context.world.person(admin), roles=roles)


@then("the colleague is an active member of Acme with exactly those roles")
def step_colleague_as_drafted(context):
    ten.no_faults("the new colleague", ten.added_as_drafted(context.world, context.world.admin_of("Acme")))


@when('{admin:Person} adds a colleague with the role "{role}"')
def step_adds_colleague_with_role(context, admin, role):
    ten.add_colleague(context.world, context.world.person(admin), roles=[role])


@when("{admin:Person} adds a colleague with {who:Person}'s email")
def step_adds_colleague_with_email(context, admin, who):
    ten.add_colleague(context.world, context.world.person(admin), email=context.world.person(who).email)


@when('{who:Person} changes her name to "{name}"')
def step_changes_own_name(context, who, name):
    person = context.world.person(who)
    person.identity.update_user(person.own_id(), name=name)


@then('{who:Person}\'s name reads "{name}"')
def step_name_reads(context, who, name):
    found = ten.person_state(context.world, context.world.person(who)).name
    assert found == name, f"{who}'s name reads {found!r}, not {name!r}"


@when("{who:Person} tries to {change:OwnAccountChange}")
def step_tries_change_to_self(context, who, change):
    person = context.world.person(who)
    ten.tries(context.world, person, person.identity.update_user, person.own_id(), **ten.OWN_CHANGES[change])


@when("{who:Person} tries to rename {other:Person}")
def step_tries_to_rename(context, who, other):
    person, colleague = context.world.person(who), context.world.member(other)
    ten.tries(context.world, person, person.identity.update_user, colleague.own_id(), name="Taken Over")


@then("{who:Person} is still only an active {role:TenancyRoleName}")
def step_still_only(context, who, role):
    person = ten.person_state(context.world, context.world.person(who))
    assert (person.active, person.roles) == (True, [role]), f"{who} is now {person.body}"


@then("{who:Person} is {admin:TenancyAdminStanding} admin of {tenant:w}")
def step_admin_standing(context, who, admin, tenant):
    person = ten.person_state(context.world, context.world.person(who))
    assert person.active is True and ("admin" in (person.roles or [])) == admin, f"{who} is now {person.body}"


@given("{admin:Person} has deactivated {who:Person}")
def step_has_deactivated(context, admin, who):
    context.world.person(admin).identity.update_user(context.world.person(who).own_id(), active=False)


# -- plans ------------------------------------------------------------------------------------------
@given("{admin:Person} has added colleagues until {tenant:w} has {people:TenancyFigure} people")
def step_fills_up(context, admin, tenant, people):
    ten.fill_up(context.world, context.world.person(admin), people)


@given("{admin:Person} has deactivated one of them")
def step_deactivated_one(context, admin):
    context.world.person(admin).identity.update_user(context.world.it(ten.COLLEAGUES)[0], active=False)


@when("{admin:Person} adds one more colleague")
def step_adds_one_more(context, admin):
    ten.add_colleague(context.world, context.world.person(admin))


@then("{tenant:w} shows {used:TenancyFigure} of its {limit:TenancyFigure} people in use")
def step_people_in_use(context, tenant, used, limit):
    found = ten.people_in_use(context.world.admin_of(tenant))
    assert found == (used, limit), f"{tenant} shows {found[0]} of its {found[1]} people in use"


@given("{who:Person} has set up {count:TenancyFigure} detectors")
def step_has_set_up_detectors(context, who, count):
    ten.create_detectors(context.world.person(who), count)


@when("{who:Person} tries to create one more detector")
def step_tries_one_more_detector(context, who):
    analyst = context.world.person(who)
    ten.tries(context.world, analyst, analyst.anomaly.create_detector, "One too many", algorithm="iqr",
              features=["temperature"])


@then("{tenant:w} has {count:TenancyFigure} detectors")
def step_has_detectors(context, tenant, count):
    found = iso.worker(context.world, tenant, "analyst").anomaly.list_detectors().total
    assert found == count, f"{tenant} has {found} detectors, not {count}"


@given("{who:Person} has uploaded {rows:TenancyFigure} readings as a dataset")
@when("{who:Person} uploads {rows:TenancyFigure} readings as a dataset")
def step_uploads_readings(context, who, rows):
    ten.upload_readings(context.world, context.world.person(who), rows)


@then("that upload is accepted with {rows:TenancyFigure} rows")
def step_upload_accepted(context, rows):
    ten.no_faults("the upload", ten.upload_faults(context.world, rows))


@then("{tenant:w} has no datasets")
def step_has_no_datasets(context, tenant):
    found = iso.worker(context.world, tenant, "analyst").anomaly.list_datasets()
    assert found.total == 0, f"{tenant} has datasets: {found.body}"
