"""Sales: clients, deals, approvals, payments, commissions, notifications, pipeline and audit."""

import re
from decimal import Decimal

from behave import given, step, then, when
from hamcrest import (
    all_of,
    any_of,
    assert_that,
    contains_inanyorder,
    empty,
    equal_to,
    has_entries,
    has_item,
    has_items,
    is_not,
)

from support.data.money import parse_money
from support.http.client import describe
from support.http.polling import eventually
from support.matchers.answers import is_problem, is_problem_with_status, names_field
from support.matchers.money import is_money
from support.phrases.sales import STAGE
from support.tasks import sales as flows

NOTICE_DELAY_S = 2.0  # the contract's "within 2 s" for notifications
SLACK_S = 1.0         # round trips and polling granularity


# -- helpers -------------------------------------------------------------------------------------
def _owner(world):
    return world.it("deal owner")


def _deal_now(world):
    owner = _owner(world)
    return owner.sales.get_deal(world.it("deal")["id"]), owner.sales


def _keep_deal(world, owner, deal):
    world.mention("deal owner", owner)
    return world.mention("deal", owner.remember("deal", deal))


def _answers(world):
    try:
        return world.it("answers")
    except AssertionError:
        return {}


def _tried(world, who, response):
    answers = dict(_answers(world))
    answers.setdefault(who.name, []).append(response)
    world.mention("answers", answers)
    return response


def _answers_of(world, name):
    answers = _answers(world).get(name)
    if not answers:
        raise AssertionError(f"{name} has not tried anything yet")
    return answers


def _refused(world, name, slug):
    for answer in _answers_of(world, name):
        assert_that(answer, is_problem(slug), f"{name}'s attempt")


def _open(world, owner, amount, discount=None):
    deal = flows.open_deal(world, owner, amount, discount=discount)
    return _keep_deal(world, owner, deal)


def _record(world, payer, amount, **options):
    payment = payer.sales.record_payment(world.it("deal")["id"], amount, **options)
    return world.mention("payment", payer.remember("payment", payment))


# -- deals -------------------------------------------------------------------------------------
@given('{who:Person} has opened the deal "{title}" worth {amount:Money}')
def step_has_opened_deal(context, who, title, amount):
    owner = context.world.person(who)
    _keep_deal(context.world, owner, flows.open_deal(context.world, owner, amount.as_api(), title=title))


@given("{who:Person} has won a deal worth {amount:Money}")
def step_has_won_deal(context, who, amount):
    owner = context.world.person(who)
    _keep_deal(context.world, owner, flows.deal_at(context.world, owner, "won", amount.as_api()))


@given("{who:Person} has a deal at the {stage:SalesStage} stage")
def step_has_deal_at_stage(context, who, stage):
    owner = context.world.person(who)
    _keep_deal(context.world, owner, flows.deal_at(context.world, owner, stage))


@given("{who:Person} has a deal of {amount:Money} with a {discount:SalesPercent} discount at the "
       "{stage:SalesStage} stage")
def step_has_discounted_deal_at_stage(context, who, amount, discount, stage):
    owner = context.world.person(who)
    deal = _open(context.world, owner, amount.as_api(), discount)
    _keep_deal(context.world, owner, flows.bring_to(owner.sales, deal, stage))


@given("{who:Person} has these deals:")
def step_has_these_deals(context, who):
    owner = context.world.person(who)
    for row in context.table:
        flows.deal_at(context.world, owner, row["stage"], parse_money(row["amount"]).as_api(),
                      flows.percent(row["discount"]))


@when('{who:Person} opens a deal of "{written}"')
def step_opens_deal_of(context, who, written):
    _open(context.world, context.world.person(who), written)


@when('{who:Person} opens a deal of "{written}" with a {discount:SalesPercent} discount')
def step_opens_deal_with_discount(context, who, written, discount):
    _open(context.world, context.world.person(who), written, discount)


@when('{who:Person} tries to open a deal of "{written}"')
def step_tries_to_open_deal_of(context, who, written):
    owner, world = context.world.person(who), context.world
    client = flows.add_client(world, owner)
    _tried(world, owner, owner.sales.attempt(owner.sales.create_deal, client_id=client["id"],
                                             title=world.build.deal_title(), amount=written))


@when("{who:Person} tries to open a deal worth {number:d} written as a plain number")
def step_tries_to_open_deal_plain_number(context, who, number):
    owner, world = context.world.person(who), context.world
    client = flows.add_client(world, owner)
    _tried(world, owner, owner.sales.attempt(owner.sales.create_deal, client_id=client["id"],
                                             title=world.build.deal_title(), amount=number))


@then('the deal shows "{amount}" as its amount and "{net}" as its net amount, with "{paid}" paid')
def step_deal_shows_amounts(context, amount, net, paid):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(amount=amount, net_amount=net, paid_amount=paid), sales.evidence())


@then("the deal is refused as invalid, naming its amount")
def step_deal_refused_naming_amount(context):
    name = context.world.spotlight.name
    for answer in _answers_of(context.world, name):
        assert_that(answer, all_of(is_problem("validation-failed"), names_field("amount")))


@then("{who:Person} has no deals")
def step_has_no_deals(context, who):
    sales = context.world.person(who).sales
    assert_that(sales.list_deals(page_size=100), has_entries(items=empty(), total=0), sales.evidence())


# -- stages ------------------------------------------------------------------------------------
@step("the deal is at the {stage:SalesStage} stage")
def step_deal_is_at_stage(context, stage):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(stage=stage), sales.evidence())


@when("{who:Person} moves it to {stages:SalesStages}")
def step_moves_it(context, who, stages):
    mover, world = context.world.person(who), context.world
    for stage in stages:
        world.mention("deal", mover.sales.transition(world.it("deal")["id"], stage))


@when("{who:Person} tries to move it to {stage:SalesStage}")
def step_tries_to_move(context, who, stage):
    mover, world = context.world.person(who), context.world
    _tried(world, mover, mover.sales.attempt(mover.sales.transition, world.it("deal")["id"], stage))


@then("the move is refused as an invalid transition")
def step_move_refused_invalid(context):
    _refused(context.world, context.world.spotlight.name, "invalid-transition")


@then("the move is refused because approval is required")
def step_move_refused_approval(context):
    _refused(context.world, context.world.spotlight.name, "approval-required")


@when('{who:Person} tries to rename it "{title}"')
def step_tries_to_rename(context, who, title):
    editor, world = context.world.person(who), context.world
    _tried(world, editor, editor.sales.attempt(editor.sales.update_deal, world.it("deal")["id"], title=title))


@then("the change is refused because the deal is no longer open")
def step_change_refused_not_open(context):
    _refused(context.world, context.world.spotlight.name, "invalid-state")


@then("the deal keeps its title")
def step_deal_keeps_title(context):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(title=context.world.it("deal")["title"]), sales.evidence())


# -- approvals ---------------------------------------------------------------------------------
@then("the deal's approval is {approval:SalesApproval}")
def step_deal_approval_is(context, approval):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(approval=approval), sales.evidence())


@given("{who:Person} has {decision:w} its discount")
def step_has_decided(context, who, decision):
    decider, world = context.world.person(who), context.world
    verdict = {"approved": "approve", "rejected": "reject"}[decision]
    world.mention("deal", decider.sales.decide_approval(world.it("deal")["id"], verdict))


@when("{who:Person} approves its discount")
def step_approves(context, who):
    decider, world = context.world.person(who), context.world
    world.mention("deal", decider.sales.decide_approval(world.it("deal")["id"], "approve"))


@when("{who:Person} tries to approve its discount")
def step_tries_to_approve(context, who):
    decider, world = context.world.person(who), context.world
    _tried(world, decider, decider.sales.attempt(decider.sales.decide_approval, world.it("deal")["id"], "approve"))


@when("{who:Person} raises its discount to {discount:SalesPercent}")
def step_raises_discount(context, who, discount):
    editor, world = context.world.person(who), context.world
    world.mention("deal", editor.sales.update_deal(world.it("deal")["id"], discount_percent=discount))


# -- refusals by role or ownership -------------------------------------------------------------------
@then("{who:Person} is refused as not allowed")
@then("{who:Person} is refused as not allowed each time")
def step_refused_not_allowed(context, who):
    _refused(context.world, context.world.person(who).name, "forbidden")


@then("{crew:SalesCrew} are refused as not allowed")
def step_crew_refused(context, crew):
    for name in crew:
        _refused(context.world, name, "forbidden")


# -- concurrency ---------------------------------------------------------------------------------
@when("{first:Person} and {second:Person} move the deal to {stage:SalesStage} at the same moment")
def step_move_at_same_moment(context, first, second, stage):
    world = context.world
    movers = [world.actor(first), world.actor(second)]
    deal_id = world.it("deal")["id"]
    world.mention("version before", _deal_now(world)[0]["version"])
    for mover in movers:  # signed in and connected, so that both moves leave together
        mover.sales.get_deal(deal_id)
    results = flows.simultaneously(
        [(mover.name, mover.sales, lambda sales, to=stage: sales.transition(deal_id, to)) for mover in movers])
    world.mention("race", results)


@then("exactly one of the two moves succeeds and the other is refused as an invalid transition")
def step_exactly_one_move(context):
    results = context.world.it("race")
    winners = [result for result in results if result.response.status_code == 200]
    story = "; ".join(f"{result.who}: {result.response.status_code}" for result in results)
    assert len(winners) == 1, f"Expected exactly one of the two moves to succeed, got {story}"
    for result in results:
        if result is not winners[0]:
            assert_that(result.response, is_problem("invalid-transition"), f"{result.who}'s move")


@then("the deal is at the {stage:SalesStage} stage, one version later")
def step_stage_one_version_later(context, stage):
    deal, sales = _deal_now(context.world)
    before = context.world.it("version before")
    assert_that(deal, has_entries(stage=stage, version=before + 1), sales.evidence())


@given('{who:Person} has renamed the deal "{title}"')
def step_has_renamed(context, who, title):
    editor, world = context.world.person(who), context.world
    editor.sales.update_deal(world.it("deal")["id"], title=title)


@when('{who:Person} renames it "{title}" based on {pronoun:w} earlier reading')
def step_renames_on_old_reading(context, who, title, pronoun):
    editor, world = context.world.person(who), context.world
    earlier = editor.recall("deal")
    _tried(world, editor, editor.sales.attempt(editor.sales.update_deal, earlier["id"], version=earlier["version"],
                                               title=title))


@then("the change is refused as out of date")
def step_change_out_of_date(context):
    _refused(context.world, context.world.spotlight.name, "precondition-failed")


@then('the deal is called "{title}"')
def step_deal_is_called(context, title):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(title=title), sales.evidence())


CHANGES = {
    r'renames it "(?P<title>.+)"': lambda sales, deal_id, m: sales.update_deal(deal_id, title=m["title"]),
    r"approves its discount": lambda sales, deal_id, m: sales.decide_approval(deal_id, "approve"),
    rf"moves it to (?P<stage>{STAGE})": lambda sales, deal_id, m: sales.transition(deal_id, m["stage"]),
    r"records a payment of (?P<amount>.+)": lambda sales, deal_id, m: sales.record_payment(
        deal_id, parse_money(m["amount"]).as_api()),
}


def _change(text):
    for pattern, make in CHANGES.items():
        match = re.fullmatch(pattern, text.strip())
        if match:
            return make, match
    raise AssertionError(f'"{text}" is not a change this suite knows (known: {", ".join(CHANGES)})')


@when("these changes are made to the deal, one after another:")
def step_changes_one_after_another(context):
    world = context.world
    owner, deal_id = _owner(world), world.it("deal")["id"]
    steps = []
    for row in context.table:
        make, match = _change(row["change"])
        before = owner.sales.get_deal(deal_id)["version"]
        make(world.actor(row["who"]).sales, deal_id, match)
        after = owner.sales.get_deal(deal_id)
        steps.append((f'{row["who"]} {row["change"]}', before, after["version"], owner.sales.deal_tag(),
                      owner.sales.evidence()))
    world.mention("version steps", steps)


@then("each change raised the deal's version by exactly one")
def step_each_change_raised_version(context):
    for change, before, after, tag, evidence in context.world.it("version steps"):
        assert after == before + 1, f"After '{change}' the version went from {before} to {after}. {evidence}"
        assert tag == f'"{after}"', f"After '{change}' the deal's tag is {tag!r}, not '\"{after}\"'. {evidence}"


# -- payments ----------------------------------------------------------------------------------
@when("{who:Person} records a payment of {amount:Money} for it")
def step_records_payment(context, who, amount):
    _record(context.world, context.world.person(who), amount.as_api())


@given("{who:Person} has recorded a payment of {amount:Money} for it")
def step_has_recorded_payment(context, who, amount):
    _record(context.world, context.world.person(who), amount.as_api())


@given("{who:Person} has recorded a payment of {amount:Money} for it received {moment}")
def step_has_recorded_payment_received(context, who, amount, moment):
    _record(context.world, context.world.person(who), amount.as_api(), received_at=flows.received_moment(moment))


@given('{who:Person} has recorded a payment of {amount:Money} for it under the reference "{reference}"')
def step_has_recorded_payment_with_reference(context, who, amount, reference):
    payer = context.world.person(who)
    first = _record(context.world, payer, amount.as_api(), idempotency_key=reference)
    context.world.mention("first payment", first)


@when('{who:Person} records a payment of {amount:Money} for it under the reference "{reference}" again')
def step_records_payment_again(context, who, amount, reference):
    _record(context.world, context.world.person(who), amount.as_api(), idempotency_key=reference)


@when('{who:Person} tries to record a payment of {amount:Money} for it under the reference "{reference}"')
def step_tries_payment_with_reference(context, who, amount, reference):
    payer, world = context.world.person(who), context.world
    _tried(world, payer, payer.sales.attempt(payer.sales.record_payment, world.it("deal")["id"], amount.as_api(),
                                             idempotency_key=reference))


@when("{who:Person} tries to record a payment of {amount:Money} for it")
def step_tries_payment(context, who, amount):
    payer, world = context.world.person(who), context.world
    _tried(world, payer, payer.sales.attempt(payer.sales.record_payment, world.it("deal")["id"], amount.as_api()))


@when("{crew:SalesCrew} each try to record a payment of {amount:Money} for it")
def step_crew_tries_payment(context, crew, amount):
    world = context.world
    for name in crew:
        payer = world.actor(name)
        _tried(world, payer, payer.sales.attempt(payer.sales.record_payment, world.it("deal")["id"], amount.as_api()))


@then("the payment is refused because the deal is not won")
def step_payment_refused_not_won(context):
    _refused(context.world, context.world.spotlight.name, "invalid-state")


@then("the payment is refused as an overpayment")
def step_payment_refused_overpayment(context):
    for answer in _answers_of(context.world, context.world.spotlight.name):
        assert_that(answer, is_problem("validation-failed"))
        assert_that(answer.json().get("errors"), has_item(has_entries(code="overpayment")),
                    f"the errors of the refusal: {answer.text}")


@then("the payment is refused because its reference was already used")
def step_payment_refused_reference_used(context):
    _refused(context.world, context.world.spotlight.name, "idempotency-key-reused")


@then('the deal shows "{paid}" paid')
def step_deal_shows_paid(context, paid):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(paid_amount=paid), sales.evidence())


@then('the deal is partially paid, with "{paid}" paid')
def step_deal_partially_paid(context, paid):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(payment_status="partially_paid", paid_amount=paid), sales.evidence())


@then("the deal is paid in full")
def step_deal_paid_in_full(context):
    deal, sales = _deal_now(context.world)
    assert_that(deal, has_entries(payment_status="paid", paid_amount=deal["net_amount"]), sales.evidence())


@then("{pronoun:w} is given back the payment recorded first")
def step_given_back_first_payment(context, pronoun):
    world = context.world
    payer = world.spotlight
    assert_that(world.it("payment"), equal_to(world.it("first payment")), payer.sales.evidence())


@then('the deal holds that single payment, with "{paid}" paid')
def step_deal_holds_single_payment(context, paid):
    world = context.world
    deal, sales = _deal_now(world)
    assert_that(deal, has_entries(paid_amount=paid), sales.evidence())
    payments = sales.list_payments(deal["id"], page_size=100)
    assert_that(payments, has_entries(total=1, items=contains_inanyorder(
        has_entries(id=world.it("first payment")["id"]))), sales.evidence())


@then("the payments of {crew:SalesCrew} are recorded")
def step_crew_payments_recorded(context, crew):
    for name in crew:
        for answer in _answers_of(context.world, name):
            assert answer.status_code == 201, f"{name}'s payment was not recorded: {describe(answer)}"


@when("{crew:SalesCrew} each look at the payments on the deal")
def step_crew_look_at_payments(context, crew):
    world = context.world
    for name in crew:
        reader = world.actor(name)
        _tried(world, reader, reader.sales.attempt(reader.sales.list_payments, world.it("deal")["id"]))


@then("{crew:SalesCrew} see the payment of {amount:Money}")
def step_crew_see_payment(context, crew, amount):
    currency = _owner(context.world).tenant.currency
    for name in crew:
        for answer in _answers_of(context.world, name):
            assert answer.status_code == 200, f"{name} could not see the payments: {describe(answer)}"
            assert_that(answer.json(), has_entries(total=1, items=has_item(
                has_entries(amount=is_money(amount.amount, currency)))), f"{name}'s view of the payments")


# -- commissions -------------------------------------------------------------------------------
@then("{who:Person} earns {amount:Money} commission on it this quarter")
def step_earns_commission(context, who, amount):
    earner = context.world.person(who)
    money = is_money(amount.amount, earner.tenant.currency)
    on_deal = has_item(has_entries(deal_id=context.world.it("deal")["id"], amount=money))
    assert_that(earner.sales.commission_statement(), has_entries(total=money, lines=on_deal),
                earner.sales.evidence())


@then("{who:Person} earns {commission:Money} commission at {rate:SalesPercent} on that payment")
def step_earns_commission_at_rate(context, who, commission, rate):
    earner, world = context.world.person(who), context.world
    currency, payment = earner.tenant.currency, world.it("payment")
    statement = earner.sales.commission_statement()
    line = has_entries(payment_id=payment["id"], deal_id=world.it("deal")["id"],
                       base=payment["amount"], amount=is_money(commission.amount, currency))
    assert_that(statement, has_entries(currency=currency, total=is_money(commission.amount, currency),
                                       lines=has_item(line)), earner.sales.evidence())
    [found] = [item for item in statement["lines"] if item.get("payment_id") == payment["id"]]
    assert isinstance(found["rate"], str) and Decimal(found["rate"]) == flows.rate_of(rate), (
        f"The rate of the line is {found['rate']!r}, not {flows.rate_of(rate)}. {earner.sales.evidence()}")


@then("{who:Person}'s statement for this quarter lists {first:Money} and {second:Money} for the deal, "
      "{total:Money} in all")
def step_statement_lists_two(context, who, first, second, total):
    earner, world = context.world.person(who), context.world
    currency = earner.tenant.currency
    statement = earner.sales.commission_statement()
    lines = flows.statement_lines_for(statement, world.it("deal")["id"])
    assert_that([line.get("amount") for line in lines], contains_inanyorder(
        is_money(first.amount, currency), is_money(second.amount, currency)), earner.sales.evidence())
    assert_that(statement, has_entries(total=is_money(total.amount, currency)), earner.sales.evidence())


@then("{who:Person}'s statement for {period:SalesPeriod} holds only the payment of {paid:Money}, "
      "earning {commission:Money}")
def step_statement_for_period(context, who, period, paid, commission):
    earner = context.world.person(who)
    currency = earner.tenant.currency
    statement = earner.sales.commission_statement(period=period)
    assert_that(statement, has_entries(
        period=period, owner_id=earner.own_id(), total=is_money(commission.amount, currency),
        lines=contains_inanyorder(has_entries(base=is_money(paid.amount, currency),
                                              amount=is_money(commission.amount, currency)))),
        earner.sales.evidence())


@when("{who:Person} asks for {owner:Person}'s commission statement")
def step_asks_for_statement(context, who, owner):
    world = context.world
    owner_id = world.actor(owner).own_id()
    asker = world.actor(who)
    _tried(world, asker, asker.sales.attempt(asker.sales.commission_statement, owner_id=owner_id))


# -- clients and lists -------------------------------------------------------------------------
@given('{who:Person} has the client "{name}" with an open deal')
def step_has_client_with_open_deal(context, who, name):
    owner, world = context.world.person(who), context.world
    client = flows.add_client(world, owner, name)
    _keep_deal(world, owner, flows.open_deal(world, owner, "1000.00", client=client))


@given('{who:Person} has the client "{name}" with the email "{email}"')
def step_has_client_with_email(context, who, name, email):
    flows.add_client(context.world, context.world.person(who), name, email)


def _look(world, viewer, **filters):
    lists = {"clients": viewer.sales.list_clients(page_size=100, **filters),
             "deals": viewer.sales.list_deals(page_size=100, **filters)}
    world.mention("lists", lists)


@when("{who:Person} looks at {pronoun:w} clients and deals")
def step_looks_at_own_lists(context, who, pronoun):
    _look(context.world, context.world.person(who))


@when("{who:Person} looks at the clients and deals of {other:Person}")
def step_looks_at_lists_of(context, who, other):
    world = context.world
    other_id = world.actor(other).own_id()
    _look(world, world.actor(who), owner_id=other_id)


@then('{pronoun:w} finds only "{name}" and its deal')
def step_finds_only_own(context, pronoun, name):
    world = context.world
    viewer, lists = world.spotlight, world.it("lists")
    assert_that(lists["clients"], has_entries(total=1, items=contains_inanyorder(has_entries(name=name))),
                viewer.sales.evidence())
    assert_that(lists["deals"], has_entries(total=1, items=contains_inanyorder(
        has_entries(id=viewer.recall("deal")["id"]))), viewer.sales.evidence())


@then("{pronoun:w} finds no clients and no deals")
def step_finds_nothing(context, pronoun):
    lists = context.world.it("lists")
    for kind in ("clients", "deals"):
        assert_that(lists[kind], has_entries(items=empty(), total=0), f"the {kind} list")


@then('{pronoun:w} finds both "{first}" and "{second}" with their deals')
def step_finds_both(context, pronoun, first, second):
    world = context.world
    lists = world.it("lists")
    deal_ids = [world.actors[name].recall("deal")["id"] for name in ("Rita", "Ravi")]
    assert_that(lists["clients"]["items"], has_items(has_entries(name=first), has_entries(name=second)),
                "the clients list")
    assert_that(lists["deals"]["items"], has_items(*[has_entries(id=deal_id) for deal_id in deal_ids]),
                "the deals list")


@when("{who:Person} tries to open {other:Person}'s client and deal")
def step_tries_to_open_others(context, who, other):
    world = context.world
    theirs, viewer = world.actor(other), world.actor(who)
    _tried(world, viewer, viewer.sales.attempt(viewer.sales.get_client, theirs.recall("client")["id"]))
    _tried(world, viewer, viewer.sales.attempt(viewer.sales.get_deal, theirs.recall("deal")["id"]))


@when("{who:Person} tries to open the deal")
def step_tries_to_open_deal(context, who):
    viewer, world = context.world.person(who), context.world
    _tried(world, viewer, viewer.sales.attempt(viewer.sales.get_deal, world.it("deal")["id"]))


@when("{who:Person} tries to look at the clients and deals")
def step_tries_to_look(context, who):
    viewer, world = context.world.person(who), context.world
    _tried(world, viewer, viewer.sales.attempt(viewer.sales.list_clients))
    _tried(world, viewer, viewer.sales.attempt(viewer.sales.list_deals))


@when('{who:Person} searches {pronoun:w} clients for "{search}"')
def step_searches_clients(context, who, pronoun, search):
    viewer = context.world.person(who)
    context.world.mention("search", viewer.sales.list_clients(q=search, page_size=100))


@then('{pronoun:w} finds only "{name}"')
def step_finds_only(context, pronoun, name):
    found = context.world.it("search")
    assert_that(found, has_entries(total=1, items=contains_inanyorder(has_entries(name=name))),
                context.world.spotlight.sales.evidence())


@when('{who:Person} tries to delete the client "{name}"')
def step_tries_to_delete_client(context, who, name):
    owner, world = context.world.person(who), context.world
    client = owner.recall("client")
    assert client["name"] == name, f"{owner.name}'s client is {client['name']}, not {name}"
    _tried(world, owner, owner.sales.attempt(owner.sales.delete_client, client["id"]))


@then("the deletion is refused as a conflict")
def step_deletion_refused(context):
    for answer in _answers_of(context.world, context.world.spotlight.name):
        assert_that(answer, is_problem_with_status(409))


@then('"{name}" is still among {who:Person}\'s clients')
def step_still_among_clients(context, name, who):
    owner = context.world.person(who)
    client = owner.sales.get_client(owner.recall("client")["id"])
    assert_that(client, has_entries(name=name), owner.sales.evidence())


# -- notifications -----------------------------------------------------------------------------
def _notices(person, kind, deal_id, *, unread=None):
    items = person.sales.notifications(unread=unread, page_size=100)["items"]
    return [item for item in items if item.get("type") == kind and item.get("deal_id") == deal_id]


def _await_notice(world, name, kind):
    person, deal_id = world.actor(name), world.it("deal")["id"]

    def told():
        found = _notices(person, kind, deal_id)
        assert found, f"{name} has no '{kind}' notification about the deal yet. {person.sales.evidence()}"
        return found

    found = eventually(told, within=NOTICE_DELAY_S + SLACK_S, awaiting=f"{name} to be told '{kind}'")
    assert_that(found, contains_inanyorder(has_entries(read=False)),
                f"{name} should have exactly one unread '{kind}' notification about the deal")
    world.mention("notification", found[0])
    world.mention("notified", person)


@step('within 2 seconds {who:Person} is told "{kind}" about the deal')
def step_told_within(context, who, kind):
    _await_notice(context.world, context.world.person(who).name, flows.NOTIFICATION_WORDS[kind])


@then('within 2 seconds {crew:SalesCrew} are each told "{kind}" about the deal')
def step_crew_told_within(context, crew, kind):
    for name in crew:
        _await_notice(context.world, name, flows.NOTIFICATION_WORDS[kind])


def _not_told(world, name, kind):
    person = world.actor(name)
    assert_that(_notices(person, flows.NOTIFICATION_WORDS[kind], world.it("deal")["id"]), empty(),
                f"{name} should not be told '{kind}'. {person.sales.evidence()}")


@then('neither {first:Person} nor {second:Person} is told "{kind}" about it')
def step_neither_told(context, first, second, kind):
    for name in (first, second):
        _not_told(context.world, name, kind)


@then('{who:Person} is not told "{kind}" about it')
def step_not_told(context, who, kind):
    _not_told(context.world, who, kind)


@when("{who:Person} marks that notification as read")
def step_marks_read(context, who):
    context.world.person(who).sales.mark_read(context.world.it("notification")["id"])


@then("it is shown to {pronoun:w} as read")
def step_shown_as_read(context, pronoun):
    person, notice = context.world.it("notified"), context.world.it("notification")
    items = person.sales.notifications()["items"]
    assert_that(items, has_item(has_entries(id=notice["id"], read=True)), person.sales.evidence())


@then("it is no longer among {pronoun:w} unread notifications")
def step_not_among_unread(context, pronoun):
    person, notice = context.world.it("notified"), context.world.it("notification")
    items = person.sales.notifications(unread=True)["items"]
    assert_that(items, is_not(has_item(has_entries(id=notice["id"]))), person.sales.evidence())


# -- pipeline ----------------------------------------------------------------------------------
@when("{who:Person} reads the pipeline report")
def step_reads_pipeline(context, who):
    reader = context.world.person(who)
    context.world.mention("report", reader.sales.pipeline())


@when("{who:Person} tries to read the pipeline report")
def step_tries_pipeline(context, who):
    reader, world = context.world.person(who), context.world
    _tried(world, reader, reader.sales.attempt(reader.sales.pipeline))


@then("it shows these stages:")
def step_pipeline_shows(context):
    world = context.world
    report, reader = world.it("report"), world.spotlight
    currency = reader.tenant.currency
    expected = {row["stage"]: has_entries(count=int(row["deals"]),
                                          net_amount=is_money(parse_money(row["net"]).amount, currency))
                for row in context.table}
    assert_that(report, has_entries(currency=currency, stages=has_entries(**expected)), reader.sales.evidence())
    assert_that(sorted(report["stages"]), equal_to(sorted(expected)), "the stages of the report")


# -- audit -------------------------------------------------------------------------------------
def _audit_event(world, reader_name, awaiting, **filters):
    reader = world.actor(reader_name)

    def found():
        events = reader.sales.audit_events(page_size=100, **filters)["items"]
        matching = [event for event in events if all(event.get(k) == v for k, v in filters.items())]
        assert matching, f"no audit event with {filters} yet. {reader.sales.evidence()}"
        return matching

    return eventually(found, within=NOTICE_DELAY_S + SLACK_S, awaiting=awaiting)


@then('{reader:Person} finds a successful "{action}" event by {who:Person} on the deal')
def step_finds_success_event(context, reader, action, who):
    world = context.world
    transition = world.actor(who).sales.last_response
    actor_id, deal_id = world.actor(who).own_id(), world.it("deal")["id"]
    events = _audit_event(world, reader, f"a {action} event", action=action, actor_id=actor_id,
                          resource_id=deal_id, outcome="success")
    request_ids = {event.get("request_id") for event in events}
    sent = transition.request.headers.get("x-request-id")
    assert_that(request_ids, has_item(sent), "the audit event's request id")


@then("{reader:Person} finds a denied event by {who:Person}")
def step_finds_denied_event(context, reader, who):
    world = context.world
    refused = _answers_of(world, world.actor(who).name)[-1]
    events = _audit_event(world, reader, "a denied event", actor_id=world.actor(who).own_id(), outcome="denied")
    assert_that([event.get("request_id") for event in events],
                has_item(refused.request.headers.get("x-request-id")), "the denied event's request id")


@when("{who:Person} tries to change and to erase the audit trail and its events")
def step_tries_to_tamper(context, who):
    admin, world = context.world.person(who), context.world
    before = admin.sales.audit_events(page_size=100)["items"]
    assert before, f"There are no audit events to tamper with. {admin.sales.evidence()}"
    world.mention("audit before", before)
    attempts = {}
    for method in ("PUT", "PATCH", "DELETE"):
        attempts[f"{method} on the trail"] = admin.sales.attempt(admin.sales.tamper_with_audit, method)
        attempts[f"{method} on an event"] = admin.sales.attempt(admin.sales.tamper_with_audit, method,
                                                                before[0]["id"])
    world.mention("tampering", attempts)


@then("every attempt is refused")
def step_every_tamper_refused(context):
    for attempt, answer in context.world.it("tampering").items():
        if attempt.endswith("on the trail"):
            assert_that(answer, is_problem("method-not-allowed"), attempt)
        else:  # an event's own address may not exist as a route at all: then it is simply not found
            assert_that(answer, any_of(is_problem("method-not-allowed"), is_problem("not-found")), attempt)


@then("the events written before are all still there, unchanged")
def step_events_unchanged(context):
    world = context.world
    admin = world.spotlight
    after = admin.sales.audit_events(page_size=100)["items"]
    for event in world.it("audit before"):
        assert_that(after, has_item(equal_to(event)), admin.sales.evidence())
