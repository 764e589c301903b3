"""Operations: health, metrics, the conventions every service keeps (contract §1, §6), limits, resilience."""

from __future__ import annotations

import uuid

from behave import given, then, when
from hamcrest import assert_that, contains_exactly, has_entries, has_item
from httpx import Response

from support.drivers.burst import LightCaller, Limit, burst, plain_client
from support.drivers.raw import (
    FORMS,
    MIB,
    ORDINARY_LIMIT,
    READ_ONLY_PLACES,
    SIZE_MARGIN,
    UPLOAD_LIMIT,
    awkward_requests,
    data_file,
    raw_driver,
)
from support.http.client import describe
from support.matchers.answers import (
    is_problem,
    reports_broken_rules,
    reports_health,
    reports_some_broken_rule,
    retry_after_fault,
)
from support.matchers.api_description import describes_its_interface
from support.matchers.conventions import (
    all_of_them,
    error_faults,
    header_faults,
    leaks,
    looks_sequential,
    timestamp_fault,
)
from support.matchers.metrics import counted, metrics_faults
from support.runner.faults import bring_back, crash, managed
from support.screenplay.notes import Note

SERVICES = ("identity", "sales", "anomaly")
# Who of the cast works with which service in these scenarios.
WORKS_WITH = {"identity": "Alice", "sales": "Rita", "anomaly": "Ana"}
# The reasons a mistake is reported with, in the words of the feature files -> the contract's slug.
REASONS = {
    "an unsupported format": "unsupported-media-type",
    "too large": "payload-too-large",
    "a place that does not exist": "not-found",
    "an action that place does not allow": "method-not-allowed",
}
READS_SEEN = "reads counted"
DESCRIPTION: Note[Response] = Note("description of its interface")


def _raw(context, who, service):
    """A raw driver for a person (or None: nobody) on a service; closed when the scenario ends."""
    person = context.world.person(who) if who else None
    driver = raw_driver(context.world.config, service, token=person.access_token if person else None,
                        tenant_slug=person.tenant.slug if person else "")
    context.add_cleanup(driver.close)
    return driver


def _answer(context, driver, response):
    context.world.mention("raw", driver)
    return context.world.mention("answer", response)


def _check_service(service, record=None):
    assert service in SERVICES, f"there is no {service} service (known: {', '.join(SERVICES)})"
    if record is not None:
        taken = FORMS[service].record
        assert taken == record, f"the {service} service takes new {taken}s in these scenarios, not {record}s"


# -- health (smoke) ------------------------------------------------------------------------------
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


# -- the description of each interface -------------------------------------------------------------
@when("the operator reads how the {service:w} service describes its interface")
def step_operator_reads_description(context, service):
    health = context.world.health(service)
    context.world.mention(DESCRIPTION, health.attempt(health.description))


@then("it is a valid OpenAPI description")
def step_valid_openapi(context):
    assert_that(context.world.it(DESCRIPTION), describes_its_interface())


# -- mistakes ------------------------------------------------------------------------------------
@when("{who:Person} sends the {service:w} service a new {record:w} written in plain text")
def step_sends_plain_text(context, who, service, record):
    _check_service(service, record)
    driver = _raw(context, who, service)
    _answer(context, driver, driver.send_as_plain_text())


@when("{who:Person} sends the {service:w} service a new {record:w} that breaks off in the middle")
def step_sends_broken_off(context, who, service, record):
    _check_service(service, record)
    driver = _raw(context, who, service)
    _answer(context, driver, driver.send_broken_off())


@when("{who:Person} sends the {service:w} service a new {record:w} of just over 1 MiB")
def step_sends_just_over(context, who, service, record):
    _check_service(service, record)
    driver = _raw(context, who, service)
    _answer(context, driver, driver.send_of_size(ORDINARY_LIMIT + SIZE_MARGIN))


@then("the same request at just under 1 MiB is not refused for its size")
def step_just_under_not_refused(context):
    driver = context.world.it("raw")
    answer = driver.send_of_size(ORDINARY_LIMIT - SIZE_MARGIN)
    assert answer.status_code != 413, f"A body of {ORDINARY_LIMIT - SIZE_MARGIN} bytes, under 1 MiB, was refused " \
                                      f"for its size: {driver.evidence()}"
    assert answer.status_code < 500, f"A body just under 1 MiB broke the service: {driver.evidence()}"


@when("{who:Person} uploads a data file of {size} as a dataset")
def step_uploads_data_file(context, who, size):
    sizes = {"2 MiB": 2 * MIB, "just over 10 MiB": UPLOAD_LIMIT + SIZE_MARGIN}
    assert size in sizes, f"no data file of {size} is known (known: {', '.join(sizes)})"
    person = context.world.person(who)
    driver = _raw(context, who, "anomaly")
    content, rows = data_file(sizes[size], seed=context.world.seed)
    person.remember("data file rows", rows)
    _answer(context, driver, driver.upload_data_file("plant-readings", content))


@then("{pronoun:w} dataset holds every row of the file")
def step_dataset_holds_every_row(context, pronoun):
    person, driver = context.world.spotlight, context.world.it("raw")
    answer = context.world.it("answer")
    assert answer.status_code == 201, f"The data file was not taken in: {driver.evidence()}"
    stored = person.anomaly.get_dataset(str(answer.json()["id"]))
    assert_that(stored, has_entries(row_count=person.recall("data file rows")), person.anomaly.evidence())


@when("{who:Person} asks the {service:w} service for a place it does not have")
def step_asks_for_unknown_place(context, who, service):
    _check_service(service)
    driver = _raw(context, who, service)
    _answer(context, driver, driver.visit_unknown_place())


@when("{who:Person} tries to delete {place} on the {service:w} service")
def step_tries_to_delete_place(context, who, place, service):
    _check_service(service)
    known = READ_ONLY_PLACES[service].words
    assert place == known, f"the {service} service's read-only place here is {known!r}, not {place!r}"
    driver = _raw(context, who, service)
    _answer(context, driver, driver.misuse_read_only_place())


@then("the mistake is reported as unreadable data")
def step_reported_unreadable(context):
    assert_that(context.world.it("answer"), reports_some_broken_rule())


@then("the mistake is reported as {reason}")
def step_reported_as(context, reason):
    assert reason in REASONS, f"no mistake is reported as {reason!r} (known: {', '.join(REASONS)})"
    assert_that(context.world.it("answer"), is_problem(REASONS[reason]))


@when("they send their services a series of awkward and hostile requests")
def step_send_awkward_requests(context):
    sent = []
    for service, who in WORKS_WITH.items():
        person = context.world.person(who)
        driver = _raw(context, who, service)
        sent += [(f"{service}: {label}", answer) for label, answer in awkward_requests(driver, own_email=person.email)]
    context.world.mention("awkward answers", sent)


@then("every refusal is in the platform's documented form")
def step_every_refusal_documented(context):
    sent = context.world.it("awkward answers")
    refusals = [(label, answer) for label, answer in sent if answer.status_code >= 400]
    assert len(refusals) >= len(sent) // 2, f"Only {len(refusals)} of {len(sent)} awkward requests were refused"
    faults = [fault for label, answer in refusals for fault in error_faults(label, answer)
              if "shows" not in fault or "not a problem" in fault or "not the contract" in fault]
    broken = [f"{label}: the service failed ({answer.status_code}) instead of refusing the request"
              for label, answer in refusals if answer.status_code >= 500]
    assert not faults and not broken, "Refusals not in the documented form:\n  " + all_of_them(faults + broken)


@then("no refusal shows program traces, database statements, file locations or password hashes")
def step_no_refusal_leaks(context):
    sent = context.world.it("awkward answers")
    shown = [f"{label}: shows {', '.join(map(repr, leaks(answer)))} — {describe(answer)}"
             for label, answer in sent if answer.status_code >= 400 and leaks(answer)]
    assert not shown, "Refusals that show the platform's insides:\n  " + all_of_them(shown)


# -- fields ---------------------------------------------------------------------------------------
@when('{who:Person} sends the {service:w} service a new {record:w} that also has a "{field:w}"')
@when('{who:Person} sends the {service:w} service a new {record:w} that also has an "{field:w}"')
def step_sends_with_extra_field(context, who, service, record, field):
    _check_service(service, record)
    driver = _raw(context, who, service)
    body = {**driver.sound_record(), field: _extra_value(field)}
    _answer(context, driver, driver.send_record(body, intent=f"send a new {record} with {field}"))


@when('{who:Person} sends the {service:w} service a new {record:w} that also has a "{first:w}" and an "{second:w}"')
def step_sends_with_two_extra_fields(context, who, service, record, first, second):
    _check_service(service, record)
    driver = _raw(context, who, service)
    body = {**driver.sound_record(), first: _extra_value(first), second: _extra_value(second)}
    _answer(context, driver, driver.send_record(body, intent=f"send a new {record} with {first} and {second}"))


def _extra_value(field):
    return str(uuid.uuid4()) if field.endswith("id") else "Nicky"


@then('the only broken rule reported is that "{field:w}" is not a known field')
def step_only_unknown_field(context, field):
    assert_that(context.world.it("answer"), reports_broken_rules({field: "unknown_field"}))


@then('the only broken rule reported is that "{field:w}" is read-only')
def step_only_read_only_field(context, field):
    assert_that(context.world.it("answer"), reports_broken_rules({field: "read_only_field"}))


@then('exactly two broken rules are reported: "{first:w}" is not a known field and "{second:w}" is read-only')
def step_two_broken_rules(context, first, second):
    assert_that(context.world.it("answer"), reports_broken_rules({first: "unknown_field", second: "read_only_field"}))


# -- lists ----------------------------------------------------------------------------------------
@given('{who:Person} has added the clients "{first}", "{second}" and "{third}" in that order')
def step_has_added_clients_in_order(context, who, first, second, third):
    person = context.world.person(who)
    for name in (first, second, third):
        person.sales.create_client(**vars(context.world.build.client(name)))


@given("{who:Person} has added {count:d} clients")
def step_has_added_count_clients(context, who, count):
    person = context.world.person(who)
    for index in range(count):
        person.sales.create_client(**vars(context.world.build.client(f"Client {index + 1:02d}")))


@when("{who:Person} looks through {pronoun:w} clients")
def step_looks_through_clients(context, who, pronoun):
    person = context.world.person(who)
    person.remember("pages", [person.sales.list_clients(page_size=100)])


@when("{who:Person} looks through {pronoun:w} clients {size:d} at a time")
def step_looks_through_clients_by(context, who, pronoun, size):
    person = context.world.person(who)
    person.remember("pages", [person.sales.list_clients(page=page, page_size=size) for page in (1, 2)])


@when("{who:Person} looks through {pronoun:w} clients without choosing a page")
def step_looks_through_clients_default(context, who, pronoun):
    person = context.world.person(who)
    person.remember("pages", [person.sales.list_clients()])


def _names(page):
    return [item.get("name") for item in page.get("items", [])]


@then('{who:Person} sees "{first}", "{second}" and "{third}" in that order')
def step_sees_in_order(context, who, first, second, third):
    person = context.world.person(who)
    assert_that(_names(person.recall("pages")[0]), contains_exactly(first, second, third), person.sales.evidence())


@then('the first page holds "{first}" and "{second}" and the second holds "{third}"')
def step_pages_hold(context, first, second, third):
    person = context.world.spotlight
    pages = person.recall("pages")
    assert_that(_names(pages[0]), contains_exactly(first, second), f"page 1: {pages[0]}")
    assert_that(_names(pages[1]), contains_exactly(third), f"page 2: {pages[1]}")
    for number, page in enumerate(pages, start=1):
        assert_that(page, has_entries(page=number, page_size=2), f"page {number} does not say which page it is")


@then("each page tells {pronoun:w} there are {total:d} clients in all")
def step_each_page_tells_total(context, pronoun, total):
    for number, page in enumerate(context.world.spotlight.recall("pages"), start=1):
        assert_that(page, has_entries(total=total), f"page {number}")


@then("{who:Person} sees the first page of {size:d} clients out of {total:d}")
def step_sees_first_page_of(context, who, size, total):
    person = context.world.person(who)
    page = person.recall("pages")[0]
    assert_that(page, has_entries(page=1, page_size=size, total=total), person.sales.evidence())
    expected = [f"Client {index + 1:02d}" for index in range(size)]
    assert_that(_names(page), contains_exactly(*expected), person.sales.evidence())


@when("{who:Person} asks the {service:w} service for page {page:d} of a list with {size:d} records a page")
def step_asks_for_page(context, who, service, page, size):
    _check_service(service)
    driver = _raw(context, who, service)
    context.world.mention("page asked", (page, size))
    _answer(context, driver, driver.read_list(page=page, page_size=size))


@then("that page request is {outcome}")
def step_page_request_outcome(context, outcome):
    answer, driver = context.world.it("answer"), context.world.it("raw")
    page, size = context.world.it("page asked")
    if outcome == "served as asked":
        assert answer.status_code == 200, f"The page was not served: {driver.evidence()}"
        body = answer.json()
        assert_that(body, has_entries(page=page, page_size=size), driver.evidence())
        assert isinstance(body.get("items"), list) and len(body["items"]) <= size, driver.evidence()
        assert isinstance(body.get("total"), int), driver.evidence()
        return
    fields = {"refused for its page size": "page_size", "refused for its page": "page"}
    assert outcome in fields, f"unknown outcome {outcome!r}"
    assert_that(answer, reports_broken_rules({fields[outcome]: None}))


# -- request ids, caching and sniffing ----------------------------------------------------------------
@when("{who:Person} sends each service a request marked with a reference of {pronoun:w} own")
def step_sends_marked_requests(context, who, pronoun):
    sent = {}
    for service in SERVICES:
        driver = _raw(context, who, service)
        reference = f"ops-{service}-{uuid.uuid4().hex}"
        sent[reference] = driver.read_list(request_id=reference)
        sent[reference + "/health"] = driver.health(request_id=reference)
    context.world.mention("marked answers", sent)


@then("each answer carries exactly {pronoun:w} reference")
def step_answers_carry_reference(context, pronoun):
    faults = [f"{describe(answer)} carries {answer.headers.get('x-request-id')!r} instead of {key.split('/')[0]!r}"
              for key, answer in context.world.it("marked answers").items()
              if answer.headers.get("x-request-id") != key.split("/")[0]]
    assert not faults, "Answers without the caller's reference:\n  " + all_of_them(faults)


@when("{who:Person} sends each service two requests without any reference")
def step_sends_unmarked_requests(context, who):
    answers = []
    for service in SERVICES:
        driver = _raw(context, who, service)
        answers += [driver.read_list(without_request_id=True), driver.health(without_request_id=True),
                    driver.read_list(without_request_id=True)]
    context.world.mention("unmarked answers", answers)


@then("each answer carries a reference of its own, different from every other")
def step_answers_carry_fresh_references(context):
    answers = context.world.it("unmarked answers")
    missing = [describe(answer) for answer in answers
               if "x-request-id" in answer.request.headers or not answer.headers.get("x-request-id", "").strip()]
    assert not missing, "Answers without a reference of their own:\n  " + all_of_them(missing)
    references = [answer.headers["x-request-id"] for answer in answers]
    assert len(set(references)) == len(references), f"References were handed out twice: {references}"


@when("{who:Person} reads a list, makes a mistake and checks on the health of each service")
def step_reads_errs_checks(context, who):
    business, health = [], []
    for service in SERVICES:
        driver = _raw(context, who, service)
        business += [driver.read_list(), driver.read_list(page_size=0), driver.visit_unknown_place(),
                     driver.send_as_plain_text()]
        health += [driver.health(), driver.send("GET", "/health/ready", intent=f"ask {service} if ready")]
    context.world.mention("business answers", business)
    context.world.mention("health answers", health)


@then("every answer says its content type must not be guessed")
def step_every_answer_nosniff(context):
    answers = context.world.it("business answers") + context.world.it("health answers")
    faults = [fault for answer in answers for fault in header_faults(answer, business=False)]
    assert not faults, "Answers that let browsers guess their content:\n  " + all_of_them(faults)


@then("every business answer, refusals included, says it must not be stored")
def step_every_business_answer_no_store(context):
    answers = context.world.it("business answers")
    faults = [fault for answer in answers for fault in header_faults(answer, business=True)]
    assert not faults, "Business answers that may be stored:\n  " + all_of_them(faults)


# -- ids and times ------------------------------------------------------------------------------------
@when("{who:Person} adds two clients one right after the other")
def step_adds_two_clients(context, who):
    person = context.world.person(who)
    person.remember("clients", [person.sales.create_client(**vars(context.world.build.client())) for _ in range(2)])


@then("their ids are opaque texts that do not count up")
def step_ids_opaque(context):
    first, second = (client.get("id") for client in context.world.spotlight.recall("clients"))
    assert isinstance(first, str) and isinstance(second, str), f"ids {first!r} and {second!r} are not texts"
    assert first != second, f"two clients share the id {first!r}"
    assert not looks_sequential(first, second), \
        f"the ids {first!r} and {second!r} count up: the next one can be guessed"


@when("{first:Person} adds a client and {second:Person} creates a small dataset")
def step_adds_client_and_dataset(context, first, second):
    rep, analyst = context.world.person(first), context.world.person(second)
    rep.remember("client", rep.sales.create_client(**vars(context.world.build.client())))
    analyst.remember("dataset", analyst.anomaly.create_dataset(
        "Shift temperatures", columns=["temperature"], rows=[[21.5], [22.0], [21.8]]))


@then("{first:Person}'s record, her client and {second:Person}'s dataset tell their times in UTC")
def step_times_in_utc(context, first, second):
    rep, analyst = context.world.person(first), context.world.person(second)
    admin = context.world.admin_of(rep.tenant.name)
    user = admin.identity.get_user(rep.own_id())
    client, dataset = rep.recall("client"), analyst.recall("dataset")
    moments = {f"{rep.name}'s user created_at": user.get("created_at"),
               "client created_at": client.get("created_at"), "client updated_at": client.get("updated_at"),
               "dataset created_at": dataset.get("created_at")}
    faults = [fault for name, value in moments.items() if (fault := timestamp_fault(name, value))]
    assert not faults, "Times not told in UTC:\n  " + all_of_them(faults)


# -- metrics --------------------------------------------------------------------------------------------
@when("the operator reads the metrics of every service")
def step_reads_all_metrics(context):
    context.world.mention("metrics", {service: context.world.health(service).metrics() for service in SERVICES})


@then("each holds a request count by method, route and status and a histogram of durations")
def step_metrics_hold_counts(context):
    faults = [f"{service}: {fault}" for service, text in context.world.it("metrics").items()
              for fault in metrics_faults(text)]
    assert not faults, "Metrics missing:\n  " + all_of_them(faults)


@given("the operator has noted how many successful reads the {service:w} service has counted")
def step_notes_read_count(context, service):
    _check_service(service)
    context.world.mention(READS_SEEN, counted(context.world.health(service).metrics(), method="GET", status="200"))


@when("{who:Person} reads a list of the {service:w} service {times:d} times")
def step_reads_list_times(context, who, service, times):
    _check_service(service)
    driver = _raw(context, who, service)
    for _ in range(times):
        assert driver.read_list().status_code == 200, driver.evidence()


@then("the {service:w} service has counted at least {more:d} more successful reads")
def step_counted_more(context, service, more):
    before = context.world.it(READS_SEEN)
    text = context.world.health(service).metrics()
    after = counted(text, method="GET", status="200")
    assert after >= before + more, (f"The {service} service counted {after:g} successful GETs, "
                                    f"not at least {before:g} + {more}")


# -- rate limits ----------------------------------------------------------------------------------------
@when("{who:Person}'s script floods the {service:w} service with hundreds of requests at once "
      "while {other:Person} works as usual")
def step_floods_service(context, who, service, other):
    _check_service(service)
    noisy, calm = context.world.person(who), context.world.person(other)
    config = context.world.config
    list_path = "/api/v1/clients" if service == "sales" else "/api/v1/datasets"
    flood = LightCaller(config.base_url(service), f"{list_path}?page_size=1", noisy.access_token(),
                        timeout=config.timeouts.read)
    calm_token = calm.access_token()
    usual = plain_client(config.base_url(service), lambda: calm_token, config.timeouts)
    context.add_cleanup(flood.close)
    context.add_cleanup(usual.close)
    limit = Limit.configured(config.services[service].env)
    outcome = burst(flood, lambda: usual.get(list_path, params={"page_size": 1}), limit=limit)
    noisy.remember("flood", outcome)
    context.world.mention("flood", outcome)


@then("some of {who:Person}'s requests are refused with a request to slow down and a time to retry")
def step_some_slowed(context, who):
    outcome = context.world.it("flood")
    if not outcome.slowed and not outcome.conclusive:
        context.scenario.skip(reason="Inconclusive here: the platform answered the burst too slowly to go over "
                                     f"its rate limit ({outcome.summary()})")
        return
    assert outcome.slowed, f"No request was slowed down: {outcome.summary()}"
    faults = [fault for answer in outcome.slowed[:20] for fault in
              error_faults("slowed", answer) + ([] if is_problem("rate-limited").matches(answer)
                                                 else [f"not a rate-limited problem: {answer.text[:200]}"])]
    faults += [fault for answer in outcome.slowed if (fault := retry_after_fault(answer))][:5]
    assert not faults, f"{outcome.summary()}; refusals not as promised:\n  " + all_of_them(faults)


@then("every other request of hers is served")
@then("every other request of his is served")
def step_others_served(context):
    outcome = context.world.it("flood")
    odd = [describe(answer) for answer in outcome.answers if answer.status_code not in (200, 429)]
    assert not odd, f"{outcome.summary()}; unexpected answers:\n  " + all_of_them(odd[:5])


@then("every request of {who:Person}'s during the flood is served")
def step_bystander_served(context, who):
    outcome = context.world.it("flood")
    refused = [describe(answer) for answer in outcome.bystander if answer.status_code != 200]
    assert not refused, (f"{who} was not served during the other tenant's flood ({outcome.summary()}):\n  "
                         + all_of_them(refused))


# -- resilience ----------------------------------------------------------------------------------------
@given('{who:Person}\'s new client "{name}" was confirmed just before the {service:w} service crashed')
def step_client_then_crash(context, who, name, service):
    managed(context.world)
    person = context.world.person(who)
    person.remember("client", person.sales.create_client(**vars(context.world.build.client(name))))
    crash(context.world, service)


@given('{who:Person}\'s new dataset "{name}" was confirmed just before the {service:w} service crashed')
def step_dataset_then_crash(context, who, name, service):
    managed(context.world)
    person = context.world.person(who)
    rows = [[20.0 + index / 10, index % 3] for index in range(50)]
    person.remember("dataset", person.anomaly.create_dataset(name, columns=["temperature", "line"], rows=rows))
    crash(context.world, service)


@given("{admin:Person}'s new colleague {who:Person} was confirmed just before the {service:w} service crashed")
def step_colleague_then_crash(context, admin, who, service):
    managed(context.world)
    context.world.person(admin)
    context.world.actor(who)  # created by the tenant's admin on first mention
    crash(context.world, service)


@when("the {service:w} service is started again")
def step_service_started_again(context, service):
    bring_back(managed(context.world), service)


@when("the {service:w} service goes down")
def step_service_goes_down(context, service):
    crash(context.world, service)


@then('{who:Person} still finds "{name}" among {pronoun:w} clients with the details {other:w} gave')
def step_still_finds_client(context, who, name, pronoun, other):
    person = context.world.person(who)
    before = person.recall("client")
    assert before["name"] == name, f"{person.name}'s client is {before['name']!r}, not {name!r}"
    assert_that(person.sales.get_client(before["id"]),
                has_entries(name=before["name"], email=before["email"], country=before["country"]),
                person.sales.evidence())


@then('{who:Person} still finds the dataset "{name}" with all its rows')
def step_still_finds_dataset(context, who, name):
    person = context.world.person(who)
    before = person.recall("dataset")
    assert_that(person.anomaly.get_dataset(before["id"]),
                has_entries(name=name, row_count=before["row_count"], columns=before["columns"]),
                person.anomaly.evidence())


@then("{who:Person} can sign in to {tenant:w}")
def step_can_sign_in(context, who, tenant):
    person = context.world.person(who)
    assert person.tenant.name == tenant, f"{person.name} works at {person.tenant.name}, not {tenant}"
    person.sign_in()


@then('{who:Person} can still add the client "{name}" and find it among {pronoun:w} clients')
def step_can_still_add_client(context, who, name, pronoun):
    person = context.world.person(who)
    added = person.sales.create_client(**vars(context.world.build.client(name)))
    listing = person.sales.list_clients(page_size=100)
    assert_that(listing["items"], has_item(has_entries(id=added["id"], name=name)), person.sales.evidence())
