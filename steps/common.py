"""Who is who: tenants and the people of the cast."""

from behave import given

from support.screenplay.cast import check_casting


@given("{tenant:w} sells in {currency:w}")
def step_tenant_sells_in(context, tenant, currency):
    context.world.sells_in(tenant, currency)


@given("{name:w} is a {role} at {tenant:w}")
@given("{name:w} is an {role} at {tenant:w}")
def step_person_is_cast(context, name, role, tenant):
    check_casting(name, role, tenant)
    context.world.actor(name)
