"""Performance: load profiles played by Acme's sales reps (and Globex's runaway script), judged against the
environment's budgets (support/tasks/load.py, support/load/)."""

from __future__ import annotations

from behave import then, when
from hamcrest import assert_that, empty, greater_than, greater_than_or_equal_to

from support.tasks import load
from support.tasks.load import LOAD


@when("{reps:d} sales reps of Acme work at once for {seconds:d} seconds")
def step_reps_work_at_once(context, reps, seconds):
    load.work_at_once(context.world, reps, seconds)


@when("Globex floods the platform while {reps:d} sales reps of Acme work for {seconds:d} seconds")
def step_globex_floods(context, reps, seconds):
    load.flood_while_working(context.world, reps, seconds)


@when("Acme's sales reps jump from {low:d} to {high:d} people for {seconds:d} seconds")
def step_spike(context, low, high, seconds):
    load.spike(context.world, low, high, seconds)


@when("{reps:d} sales reps of Acme work steadily for {minutes:d} minutes")
def step_steady_work(context, reps, minutes):
    load.steady_work(context.world, reps, minutes)


@when("ever more sales reps of Acme work at once, {step:d} more every {seconds:d} seconds up to {top:d}")
def step_capacity_steps(context, step, seconds, top):
    load.capacity_steps(context.world, step, seconds, top)


@then("the platform carries at least the environment's capacity floor at its knee")
def step_capacity_floor(context):
    assert_that(context.world.it(LOAD).capacity_faults(), empty(), "the capacity knee")


@then("Acme's work is answered within the environment's time budgets")
def step_within_budgets(context):
    assert_that(context.world.it(LOAD).budget_faults(), empty(), "Acme's work against the budgets (p95)")


@then("none of Acme's work fails")
def step_no_failures(context):
    assert_that(context.world.it(LOAD).error_faults(), empty(), "Acme's failed work")


@then("the platform serves Acme at least {rps:d} requests a second")
def step_throughput_floor(context, rps):
    outcome = context.world.it(LOAD)
    assert_that(outcome.throughput(), greater_than_or_equal_to(rps), outcome.summary())


@then("Globex is told to slow down")
def step_globex_slowed(context):
    assert_that(context.world.it(LOAD).slowed_down(load.FLOODING), greater_than(0), "Globex told to slow down")


@then("no service's memory keeps growing after warm-up")
def step_memory_flat(context):
    assert_that(context.world.it(LOAD).memory_faults(), empty(), "memory after warm-up")
