"""Resilience: a database or a service away, a slow identity, recovery (contract §1 durability, §2, §6)."""

from __future__ import annotations

import time

from behave import given, then, when
from hamcrest import assert_that

from support.matchers.answers import is_problem, is_unauthenticated
from support.matchers.conventions import faultless
from support.runner import faults
from support.tasks import durability
from support.tasks import operations as ops
from support.tasks import resilience as res


# -- a database away -------------------------------------------------------------------------------------------
@given("the database of the {service:OpsService} service has gone away")
def step_database_gone(context, service):
    faults.take_database_away(context.world, service)


@when("the database of the {service:OpsService} service returns")
def step_database_returns(context, service):
    faults.give_database_back(context.world, service)


@then("it reports that it is not ready, naming its database")
def step_not_ready_database(context):
    answer = res.readiness(context.world, context.world.it(ops.CHECKED))
    assert_that(res.not_ready_for(answer, "database"), faultless("the readiness answer"))


@when('{who:Person} tries to add the client "{new}" and to find "{known}"')
def step_tries_sales(context, who, new, known):
    res.try_sales_while_away(context.world, context.world.person(who), new, known)


@given('{who:Person} tried to add the client "{new}" while the {service:OpsService} database was away')
def step_tried_while_away(context, who, new, service):
    faults.take_database_away(context.world, service)
    res.try_sales_while_away(context.world, context.world.person(who), new, new)


@then("both are refused as the service being unavailable for now, showing nothing of its insides")
def step_both_unavailable(context):
    assert_that(context.world.it(res.TRIED).faults("refused"), faultless("the answers while the database was away"))


@then("sales serves {who:Person} again without having been restarted")
def step_serves_again(context, who):
    assert_that(res.served_again(context.world, context.world.person(who), "sales"), faultless("the recovery"))


@then('{who:Person} finds "{kept}" among {pronoun:w} clients but not "{lost}"')
def step_finds_kept_not_lost(context, who, kept, pronoun, lost):
    assert_that(res.clients_kept(context.world.person(who), kept, lost), faultless(f"{who}'s clients"))


@when("{who:Person} tries to sign in")
def step_tries_sign_in(context, who):
    res.sign_in_attempt(context.world.person(who))


@then("{pronoun:w} is refused as the service being unavailable for now")
def step_refused_unavailable(context, pronoun):
    assert_that(context.world.spotlight.last_answer, is_problem(res.UNAVAILABLE))


# -- other services away or slow -----------------------------------------------------------------------------
@given("{who:Person} has signed out, and sales and anomaly have refused {pronoun:w} old pass")
def step_signed_out_refused(context, who, pronoun):
    person = context.world.person(who)
    res.signed_out_and_refused(context.world, person, person.tenant.name)


@then("{pronoun:w} old pass is still refused by sales and anomaly")
def step_still_refused(context, pronoun):
    for service, answer in res.old_pass_answers(context.world.spotlight).items():
        assert_that(answer, is_unauthenticated(), f"{service} while identity is down")


@then("{who:Person} can still work on {service:OpsService} and {other:Person} on {service2:OpsService}")
def step_both_still_work(context, who, service, other, service2):
    done = res.work_of(context.world, ((who, service), (other, service2)))
    assert_that(res.work_faults(done), faultless("the work done meanwhile"))


@when("identity answers sales and anomaly more slowly than they wait for it")
def step_identity_slow(context):
    for service in ("sales", "anomaly"):
        faults.slow_link_to_identity(context.world, service, res.SLOW_IDENTITY_S)


@then("{who:Person} on {service:OpsService} and {other:Person} on {service2:OpsService}, signed in afresh, are each "
      "answered within the deployment's wait for a dependency")
def step_answered_within(context, who, service, other, service2):
    done = res.work_of(context.world, ((who, service), (other, service2)), new_pass=True)
    budget = context.world.config.wait_budget("dependency_wait_s")
    assert_that(res.work_faults(done, within=budget), faultless("the work done while identity is slow"))


@then("identity and anomaly both report that they are ready")
def step_others_ready(context):
    assert_that(res.not_ready(context.world, ("identity", "anomaly")), faultless("identity and anomaly"))


# -- recovery time -------------------------------------------------------------------------------------------
@when("the {service:OpsService} service is started again, on the clock")
def step_started_on_clock(context, service):
    context.world.mention(res.STARTED, (service, time.monotonic()))
    faults.start_without_waiting(context.world, service)


@then("it is ready, and serves {who:Person}, within the deployment's recovery budget")
def step_recovered_within(context, who):
    service, started = context.world.it(res.STARTED)
    budget = context.world.config.wait_budget("recovery_s")
    recovery = res.measure_recovery(context.world, context.world.person(who), service, started, budget)
    res.report(recovery, budget)
    assert_that(res.recovery_faults(recovery, budget), faultless("the recovery"))


@given("{who:Person} has been at work on {service:OpsService} and {other:Person} on {service2:OpsService}")
def step_at_work(context, who, service, other, service2):
    done = res.work_of(context.world, ((who, service), (other, service2)))
    assert_that(res.work_faults(done), faultless("the work done before"))


@given("the {service:OpsService} service has crashed")
def step_service_crashed(context, service):
    faults.crash(context.world, service)


# -- a crash in the middle of a burst of writes ----------------------------------------------------------------
@when("{who:Person} and {other:Person} add clients together and the sales service crashes in the middle")
def step_burst_crash(context, who, other):
    res.burst_cut_by_crash(context.world, [context.world.person(who), context.world.person(other)])


@then("every client sales confirmed to them before the crash is kept, counted one by one")
def step_burst_kept(context):
    assert_that(res.burst_losses(context.world), faultless("the confirmed clients"))


# -- every kind of change confirmed just before a crash -------------------------------------------------------
@given("{change:DurableChange} was confirmed just before the {service:OpsService} service crashed")
def step_change_then_crash(context, change, service):
    durability.confirm_then_crash(context.world, change, service)


@then("that change is still in force, exactly as it was confirmed")
def step_change_in_force(context):
    assert_that(durability.still_in_force(context.world), faultless("the change confirmed before the crash"))


@when("{who:Person} sends the same payment again, with the same reference")
def step_payment_again(context, who):
    context.world.person(who)
    durability.repeat_payment(context.world)


@then("{pronoun:w} is answered with {other:w} first payment, and the deal still holds that one payment of "
      "{amount}")
def step_answered_first_payment(context, pronoun, other, amount):
    assert_that(durability.repeat_faults(context.world, amount), faultless("the payment sent again"))
