"""Operations: every service says whether it is alive and ready."""

from behave import then, when
from hamcrest import assert_that

from support.matchers import reports_health


@when("the operator checks on the {service:w} service")
def step_operator_checks_service(context, service):
    context.world.mention("service", context.world.health(service))


@then("it reports that it is live")
def step_reports_live(context):
    health = context.world.it("service")
    assert_that(health.attempt(health.live), reports_health("ok"))


@then("it reports that it is ready")
def step_reports_ready(context):
    health = context.world.it("service")
    assert_that(health.attempt(health.ready), reports_health("ready"))
