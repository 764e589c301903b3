"""Sales: notifications about deals, the pipeline report and the sales audit trail."""

from behave import step, then, when
from hamcrest import any_of, assert_that, contains_exactly, empty, equal_to, has_entries, has_item, is_not

from support.matchers.answers import is_problem
from support.tasks import sales
from support.tasks import sales_reports as reports


# -- notifications ------------------------------------------------------------------------------------------
@step('within 2 seconds {people:SalesPeople} is told "{kind:SalesNotice}" about the deal')
@step('within 2 seconds {people:SalesPeople} are each told "{kind:SalesNotice}" about the deal')
def step_told_within(context, people, kind):
    found = reports.await_notices(context.world, sales.people(context.world, people), kind)
    for person, notices in zip(sales.people(context.world, people), found, strict=True):
        assert_that(notices, contains_exactly(has_entries(read=False)), f"{person.name}'s '{kind}' notifications")


@then('{people:SalesPeople} is not told "{kind:SalesNotice}" about it')
@then('{people:SalesPeople} are not told "{kind:SalesNotice}" about it')
def step_not_told(context, people, kind):
    for person in sales.people(context.world, people):
        assert_that(reports.notices(person, kind, sales.the_deal(context.world).id), empty(), person.sales.evidence())


@when("{who:Person} {must:SalesMarks} that notification as read")
def step_marks_read(context, who, must):
    reports.mark_read(context.world, context.world.person(who), must=must)


@then("it is shown to {pronoun:SalesPronoun} as read")
def step_shown_as_read(context, pronoun):
    person, notice = context.world.it(reports.NOTIFIED), context.world.it(reports.NOTICE)
    seen = [item.body for item in reports.notifications_of(person)]
    assert_that(seen, has_item(has_entries(id=notice.id, read=True)), person.sales.evidence())


@then("it is no longer among {pronoun:SalesPronoun} unread notifications")
def step_no_longer_unread(context, pronoun):
    person, notice = context.world.it(reports.NOTIFIED), context.world.it(reports.NOTICE)
    unread = [item.id for item in reports.notifications_of(person, unread=True)]
    assert_that(unread, is_not(has_item(notice.id)), person.sales.evidence())


@then("it is still among {owner:Person}'s unread notifications")
def step_still_unread(context, owner):
    person, notice = context.world.actor(owner), context.world.it(reports.NOTICE)
    unread = [item.body for item in reports.notifications_of(person, unread=True)]
    assert_that(unread, has_item(has_entries(id=notice.id, read=False)), person.sales.evidence())


# -- the pipeline report ------------------------------------------------------------------------------------
@when("{people:SalesPeople} each read the pipeline report")
def step_read_pipeline(context, people):
    reports.read_pipelines(context.world, sales.people(context.world, people))


@when("{who:Person} tries to read the pipeline report")
def step_tries_pipeline(context, who):
    reports.try_pipeline(context.world.person(who))


@then("each of them is shown these stages:")
def step_pipeline_shows(context):
    rows = [(row["stage"], int(row["deals"]), row["net"]) for row in context.table]
    for reader, report in context.world.it(reports.REPORTS).items():
        assert_that(report.body, reports.pipeline_expected(context.world.actor(reader), rows), f"{reader}'s report")
        assert_that(sorted(report.stages), equal_to(sorted(stage for stage, _, _ in rows)), f"{reader}'s stages")


# -- the audit trail ----------------------------------------------------------------------------------------
@then('{reader:Person} finds a successful "{action}" event by {who:Person} on the deal')
def step_finds_success_event(context, reader, action, who):
    world = context.world
    events = reports.success_events(world, world.actor(reader), action, world.actor(who))
    assert_that([event.request_id for event in events], has_item(reports.request_id_of_last_call(world.actor(who))))


@then("{reader:Person} finds a denied event by {who:Person}")
def step_finds_denied_event(context, reader, who):
    world = context.world
    events = reports.denied_events(world, world.actor(reader), world.actor(who))
    assert_that([event.request_id for event in events], has_item(reports.request_id_of_refusal(world.actor(who))))


@when("{who:Person} tries to change and to erase the audit trail and its events")
def step_tries_to_tamper(context, who):
    reports.tamper(context.world, context.world.person(who))


@then("every attempt is refused")
def step_every_tamper_refused(context):
    for attempt, answer in context.world.it(reports.TAMPERING).items():
        on_the_trail = attempt.endswith("on the trail")  # an event's own address may simply not exist
        assert_that(answer, is_problem("method-not-allowed") if on_the_trail else any_of(
            is_problem("method-not-allowed"), is_problem("not-found")), attempt)


@then("the events written before are all still there, unchanged")
def step_events_unchanged(context):
    before, after = reports.audit_before_and_after(context.world)
    for event in before:
        assert_that([found.body for found in after], has_item(equal_to(event.body)), "the audit trail now")
