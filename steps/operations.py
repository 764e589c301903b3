"""Operations: health, metrics, the conventions of every service (§1, §6), rate limits, audit trails, resilience."""

from __future__ import annotations

from behave import given, then, when
from hamcrest import assert_that, contains_exactly, equal_to, has_entries, has_item

from support.matchers.answers import is_problem, reports_health
from support.matchers.conventions import (
    ListsOldestFirst,
    ReportsReadiness,
    ServedPage,
    each_answer,
    faultless,
    id_faults,
    leaks,
    search_faults,
    timestamp_fault,
    trail_faults,
)
from support.matchers.metrics import growth_faults, timing_faults
from support.runner.faults import bring_back, crash, managed
from support.tasks import operations as ops
from support.tasks import operations_audit as audit
from support.tasks.operations import SENT, table_rows
from support.tasks.operations_flood import FLOOD, flood


# -- what every scenario sent, judged by the sentence of its Then (support/phrases/operations.py: VERDICTS) -----
@then("{verdict:OpsVerdict}")
def step_verdict_on_answers(context, verdict):
    sent = context.world.it(SENT)
    assert_that(sent.answers, verdict or each_answer(sent.expected))

# -- health and metrics (§6) -------------------------------------------------------------------------------
@when("the operator checks on the {service:OpsService} service")
def step_operator_checks_service(context, service):
    context.world.mention(ops.CHECKED, service)

@then("it reports that it is live")
def step_reports_live(context):
    assert_that(ops.health(context.world, context.world.it(ops.CHECKED), "live"), reports_health("ok"))

@then("it reports that it is ready, naming the checks it made")
def step_reports_ready(context):
    assert_that(ops.health(context.world, context.world.it(ops.CHECKED), "ready"), ReportsReadiness())

@when("the operator reads the metrics of every service")
def step_reads_all_metrics(context):
    ops.every_metrics(context.world)

@given("the operator has noted the request count and durations of the {service:OpsService} service")
def step_notes_metrics(context, service):
    ops.note_metrics(context.world, service)

@when("{who:Person} reads a list of the {service:OpsService} service {reads:d} times and asks it {refusals:d} "
      "times for page 0")
def step_reads_and_refused(context, who, service, reads, refusals):
    batch = ops.read_and_refuse(context.world, context.world.person(who), service, reads, refusals)
    assert_that(batch.answers, each_answer(batch.expected))

@then("the {service:OpsService} service has counted {reads:d} more successful reads and {refusals:d} more "
      "refused ones of that list")
def step_counted_more(context, service, reads, refusals):
    before, after = context.world.it(ops.METRICS_BEFORE), ops.note_metrics(context.world, service, ops.METRICS_AFTER)
    assert_that(growth_faults(before, after, reads=reads, refusals=refusals), faultless(f"{service}'s counts grown"))

@then("it has timed at least {count:d} more requests")
def step_timed_more(context, count):
    before, after = context.world.it(ops.METRICS_BEFORE), context.world.it(ops.METRICS_AFTER)
    assert_that(timing_faults(before, after, at_least=count), faultless("the durations timed"))

# -- references, ids, moments, names and the interface (§1) --------------------------------------------------------
@when("they send each service every kind of request{marking:OpsMarking}")
def step_send_every_kind(context, marking):
    ops.every_kind_of_request(context.world, marking)

@when("{admin:Person} adds two colleagues, {rep:Person} two clients with a deal each and {analyst:Person} two "
      "datasets and two detectors")
def step_make_pairs(context, admin, rep, analyst):
    ops.make_pairs(context.world, *map(context.world.person, (admin, rep, analyst)))

@then("the ids of each kind are opaque texts that do not count up")
def step_ids_opaque(context):
    pairs = context.world.it(ops.PAIRS)
    assert_that([fault for kind, ids in pairs.items() for fault in id_faults(kind, *ids)], faultless("opaque ids"))

@when("{admin:Person} adds a colleague, {rep:Person} a client with a deal and {analyst:Person} a dataset and a "
      "detector")
def step_make_one_of_each(context, admin, rep, analyst):
    ops.make_one_of_each(context.world, *map(context.world.person, (admin, rep, analyst)))

@then("Acme, the colleague, the client, the deal, the dataset and the detector tell their times in UTC")
def step_times_in_utc(context):
    moments = context.world.it(ops.MOMENTS).items()
    assert_that([fault for name, value in moments if (fault := timestamp_fault(name, value))], faultless("UTC"))

@when('{admin:Person} adds the colleague "{colleague}", {rep:Person} the client "{client}" and {analyst:Person} '
      'the dataset "{dataset}"')
def step_name_in_scripts(context, admin, colleague, rep, client, analyst, dataset):
    people = map(context.world.person, (admin, rep, analyst))
    ops.name_in_scripts(context.world, *people, dict(colleague=colleague, client=client, dataset=dataset))

@when("the operator reads how the {service:OpsService} service describes its interface")
def step_reads_interface(context, service):
    ops.interface_description(context.world, service)

# -- mistakes and fields (§1) --------------------------------------------------------------------------------------
@when("these requests are sent {spoilt:OpsSpoilt}:")
def step_send_spoilt(context, spoilt):
    spoilt(context.world, table_rows(context.table))

@when('these requests are sent with a "{field:w}" added:')
def step_send_with_unknown_field(context, field):
    ops.send_with_field(context.world, table_rows(context.table), field)

@when("these requests are sent at just over {limit:OpsLimit} and at just under:")
def step_send_around_limit(context, limit):
    ops.send_around(context.world, table_rows(context.table), limit)

@then("each one just over is reported as too large")
def step_over_too_large(context):
    assert_that(context.world.it(ops.OVER).answers, each_answer(is_problem("payload-too-large")))

@when("these actions are tried:")
def step_try_actions(context):
    ops.try_actions(context.world, table_rows(context.table))

@when("{crew:OpsCrew} each ask their service for a place it does not have")
def step_ask_unknown_places(context, crew):
    ops.ask_for_unknown_places(context.world, crew)

@given("{who:Person} has trained a detector of shift temperatures")
def step_trained_detector(context, who):
    ops.records_for(context.world, context.world.person(who), ("trained",))

@then("{who:Person}'s deal is still at the lead stage, unpaid and unchanged")
def step_deal_unchanged(context, who):
    made, now = ops.deal_as_made(context.world, context.world.person(who))
    assert_that(now, has_entries(made, stage="lead", payment_status="unpaid"))

@when('{who:Person} sends the {service:OpsService} service a new client that also has a "{first:w}" and an '
      '"{second:w}"')
def step_send_two_wrong_fields(context, who, service, first, second):
    ops.send_two_wrong_fields(context.world, context.world.person(who), service, first, second)

@given("{admin:Person} of {tenant:w} keeps a client, a colleague and a dataset of {owner:w}'s own")
def step_keep_foreign_records(context, admin, tenant, owner):
    ops.keep_foreign_records(context.world, context.world.person(admin))

@when("{crew:OpsCrew} send their services a series of awkward and hostile requests")
def step_send_awkward_requests(context, crew):
    ops.send_awkward_requests(context.world, crew)

@then("no refusal shows program traces, database statements, file locations, password hashes or {owner:w}'s data")
def step_no_refusal_leaks(context, owner):
    foreign, answers = context.world.it(ops.FOREIGN), context.world.it(SENT).answers
    shown = [f"{label} shows {leaks(answer, foreign)}" for label, answer in answers.items() if leaks(answer, foreign)]
    assert_that(shown, faultless(f"refusals that show nothing of the platform's insides or of {owner}"))

# -- lists (§1) --------------------------------------------------------------------------------------------------
@given("{who:Person} has made {count:d} records of every kind the {service:OpsService} service lists, one after "
       "the other")
def step_make_for_lists(context, who, count, service):
    ops.make_for_lists(context.world, context.world.person(who), service, count)

@when("{who:Person} reads every list of the {service:OpsService} service {size:d} records at a time")
def step_read_every_list(context, who, service, size):
    ops.read_every_list(context.world, context.world.person(who), service, size)

@then("each list shows its records oldest first, each once, in pages of {size:d} that tell the total")
def step_lists_oldest_first(context, size):
    assert_that(context.world.it(ops.LISTS_READ), ListsOldestFirst())

@given('{who:Person} has added the clients "{first}", "{second}" and "{third}" in that order')
@given("{who:Person} has added {count:d} clients")
def step_has_added_clients(context, who, first=None, second=None, third=None, count=0):
    for name in [first, second, third] if first else [f"Client {index:02d}" for index in range(1, count + 1)]:
        ops.add_client(context.world, context.world.person(who), name)

@when("{who:Person} looks through {pronoun:w} clients {size:d} at a time")
@when("{who:Person} looks through {pronoun:w} clients without choosing a page")
def step_looks_through_clients(context, who, pronoun, size=None):
    sales = context.world.person(who).sales
    pages = [sales.list_clients(page=page, page_size=size) for page in (1, 2)] if size else [sales.list_clients()]
    context.world.person(who).remember(ops.PAGES, pages)

@then('the first page holds "{first}" and "{second}" and the second holds "{third}"')
def step_pages_hold(context, first, second, third):
    pages = context.world.spotlight.recall(ops.PAGES)
    assert_that([[item.name for item in page.items] for page in pages], contains_exactly([first, second], [third]))
    assert_that([(page.page, page.page_size) for page in pages], contains_exactly((1, 2), (2, 2)))

@then("each page tells {pronoun:w} there are {total:d} clients in all")
def step_each_page_tells_total(context, pronoun, total):
    assert_that([page.total for page in context.world.spotlight.recall(ops.PAGES)], contains_exactly(total, total))

@then("{who:Person} sees the first page of {size:d} clients out of {total:d}")
def step_sees_first_page_of(context, who, size, total):
    page = context.world.person(who).recall(ops.PAGES)[0]
    assert_that((page.page, page.page_size, page.total), contains_exactly(1, size, total))
    assert_that([item.name for item in page.items], contains_exactly(*(f"Client {n:02d}" for n in range(1, size + 1))))

@when("{who:Person} asks every list of the {service:OpsService} service for these pages:")
def step_ask_every_list(context, who, service):
    ops.ask_every_list(context.world, context.world.person(who), service, table_rows(context.table))

# -- rate limits (§3) --------------------------------------------------------------------------------------------
@when("{crew:OpsCrew} of {tenant:w} flood the {service:OpsService} service together while {who:Person} of "
      "{other:w} works as usual")
def step_flood(context, crew, tenant, service, who, other):
    flood(context.world, service, [context.world.person(name) for name in crew], context.world.person(who))

@then("{tenant:w} is served its allowance and then told to slow down and when to retry")
def step_slowed_down(context, tenant):
    assert_that(context.world.it(FLOOD).slowdown_faults(), faultless(f"{tenant} held back as promised"))

@then("every other request of {tenant:w}'s is served")
def step_others_served(context, tenant):
    outcome = context.world.it(FLOOD)
    assert_that(outcome.other_faults(), faultless(f"every other read served. {outcome.summary()}"))

@then("every request of {who:Person}'s during the flood is served")
def step_bystander_served(context, who):
    assert_that(context.world.it(FLOOD).bystander_faults(who), faultless(f"{who} served as usual"))

# -- audit trails (§4, every service) --------------------------------------------------------------------------------
@when("{who:Person} adds a client, opens a deal for it and moves the deal on to won")
def step_sales_changes(context, who):
    audit.sales_changes(context.world, context.world.person(who))

@when("{who:Person} records a payment of {amount:Money} for the deal")
def step_records_payment_for_deal(context, who, amount):
    audit.record_payment(context.world, context.world.person(who), amount.as_api())

@when('{admin:Person} adds the colleague "{name}" and renames her "{new_name}"')
def step_identity_changes(context, admin, name, new_name):
    audit.identity_changes(context.world, context.world.person(admin), name, new_name)

@when("{who:Person} creates a dataset and a detector and then deletes the dataset")
def step_anomaly_changes(context, who):
    audit.anomaly_changes(context.world, context.world.person(who))

@then("the {service:OpsService} trail holds exactly these successful events:")
def step_trail_holds_successes(context, service):
    expected = audit.expected_successes(context.world, table_rows(context.table))
    assert_that(trail_faults(audit.trail(context.world, service), expected), faultless(f"{service}'s trail"))

@when("{who:Person} tries to {attempts:OpsAttempts}")
def step_tries_refused(context, who, attempts):
    audit.try_refused(context.world, context.world.person(who), attempts)

@then("{who:Person} is refused each time as not allowed")
def step_refused_each_time(context, who):
    assert_that(ops.labelled(context.world.person(who).attempts), each_answer(is_problem("forbidden")))

@then("the {service:OpsService} trail holds exactly one denied event by {who:Person} for each of those attempts")
def step_trail_holds_denials(context, service, who):
    expected = audit.expected_denials(context.world, context.world.person(who))
    assert_that(trail_faults(audit.trail(context.world, service), expected), faultless(f"{service}'s trail"))

@when("someone signs in to {tenant:w} as {who:Person} with a wrong password twice and once with an email nobody has")
def step_fail_sign_ins(context, tenant, who):
    audit.fail_sign_ins(context.world, context.world.person(who), wrong_passwords=2)

@then('the identity trail holds exactly one denied "{action}" event for each of those sign-ins')
def step_trail_holds_login_failures(context, action):
    expected = audit.expected_login_failures(context.world, action)
    assert_that(trail_faults(audit.trail(context.world, "identity"), expected), faultless("identity's trail"))

@given("{rita:Person} has moved her deal to qualified, {ravi:Person} has added a client and {again:Person} was "
       "refused {owner:Person}'s deal")
def step_searchable_happenings(context, rita, ravi, again, owner):
    audit.searchable_happenings(context.world, context.world.person(rita), context.world.person(ravi))

@when("{who:Person} searches the sales trail:")
def step_search_trail(context, who):
    audit.search_trail(context.world, context.world.person(who), table_rows(context.table))

@then("each search finds what it names, leaves out what it does not, and holds nothing else")
def step_searches_right(context):
    searches = context.world.it(audit.SEARCHES)
    assert_that([fault for search in searches for fault in search_faults(search)], faultless("server-side searches"))

@when("{crew:OpsCrew} each ask every service for its audit trail")
def step_ask_for_trails(context, crew):
    audit.ask_for_trails(context.world, crew)

@then("{crew:OpsCrew} are shown every trail")
def step_shown_trails(context, crew):
    assert_that(audit.trail_answers_of(context.world, crew), each_answer(ServedPage(1, 20)))

@then("{crew:OpsCrew} are refused each trail as not allowed")
def step_refused_trails(context, crew):
    assert_that(audit.trail_answers_of(context.world, crew), each_answer(is_problem("forbidden")))

@given("every service's trail holds events of {tenant:w}'s")
def step_fill_trails(context, tenant):
    audit.fill_trails(context.world, context.world.admin_of(tenant))

@when("{who:Person} tries to change and to erase each service's trail and its events")
def step_tamper_with_trails(context, who):
    audit.tamper_with_trails(context.world, context.world.person(who))

@then("every event written before is still there, unchanged")
def step_events_unchanged(context):
    assert_that(audit.vanished_events(context.world, context.world.spotlight), faultless("append-only trails"))

# -- resilience (§1 durability, §2 cached keys): kept working for the resilience work --------------------------------
@given('{who:Person}\'s new {kind:OpsConfirmed} "{name}" was confirmed just before the {service:OpsService} '
       "service crashed")
def step_confirmed_then_crash(context, who, kind, name, service):
    ops.confirm_then_crash(context.world, context.world.person(who), kind, name, service)

@given("{admin:Person}'s new colleague {who:Person} was confirmed just before the {service:OpsService} service "
       "crashed")
def step_colleague_then_crash(context, admin, who, service):
    managed(context.world)
    context.world.person(admin)
    context.world.actor(who)  # created by the tenant's admin on first mention
    crash(context.world, service)

@when("the {service:OpsService} service is started again")
def step_service_started_again(context, service):
    bring_back(managed(context.world), service)

@when("the {service:OpsService} service goes down")
def step_service_goes_down(context, service):
    crash(context.world, service)

@then('{who:Person} still finds "{name}" among {pronoun:w} clients with the details {other:w} gave')
@then('{who:Person} still finds the dataset "{name}" with all its rows')
def step_still_finds(context, who, name, pronoun=None, other=None):
    before, now = ops.still_there(context.world.person(who), name)
    assert_that(now, equal_to(before))

@then("{who:Person} can sign in to {tenant:w}")
def step_can_sign_in(context, who, tenant):
    person = context.world.person(who)
    assert_that(person.tenant.name, equal_to(tenant))
    person.sign_in()

@then('{who:Person} can still add the client "{name}" and find it among {pronoun:w} clients')
def step_can_still_add_client(context, who, name, pronoun):
    person = context.world.person(who)
    added = ops.add_client(context.world, person, name)
    assert_that(person.sales.list_clients(page_size=100).ids(), has_item(added.id))
