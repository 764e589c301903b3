"""Sales: deals, their stages and approvals, concurrent changes, and how refusals are judged.

Clients and who sees what are in `sales_clients.py`, payments and commissions in `sales_payments.py`,
notifications, the pipeline and the audit trail in `sales_reports.py`.
"""

from behave import given, step, then, when
from hamcrest import (
    assert_that,
    contains_exactly,
    contains_inanyorder,
    equal_to,
    has_entries,
    has_item,
    only_contains,
)

from support.matchers.answers import is_problem, is_success
from support.matchers.conventions import tells_its_version
from support.tasks import sales


# -- deals ----------------------------------------------------------------------------------------------
@given('{who:Person} has opened the deal "{title}" worth {amount:Money}')
def step_has_opened_deal(context, who, title, amount):
    sales.open_deal(context.world, context.world.person(who), amount.as_api(), title=title)


@given("{who:Person} has won a deal worth {amount:Money}")
@given("{who:Person} has a deal at the {stage:SalesStage} stage")
@given("{who:Person} has a deal of {amount:Money} with a {discount:SalesPercent} discount at the {stage:SalesStage} "
       "stage")
def step_has_deal(context, who, amount=None, discount=None, stage="won"):
    sales.deal_at(context.world, context.world.person(who), stage, sales.api_amount(amount), discount)


@given("{who:Person} has these deals:")
def step_has_these_deals(context, who):
    rows = [(row["stage"], row["amount"], row["discount"]) for row in context.table]
    sales.these_deals(context.world, context.world.person(who), rows)


@given("{who:Person} has deals at the {stages:SalesStageList} stages")
def step_has_deals_at(context, who, stages):
    sales.deals_at(context.world, context.world.person(who), stages)


@when('{who:Person} {must:SalesOpens} a deal of "{written}"')
@when('{who:Person} {must:SalesOpens} a deal of "{written}" with a {discount:SalesPercent} discount')
def step_opens_deal(context, who, must, written, discount=None):
    sales.open_or_try(context.world, context.world.person(who), written, discount=discount, must=must)


@when("{who:Person} {must:SalesOpens} deals of {amounts:SalesQuotedList}")
def step_opens_deals(context, who, must, amounts):
    sales.open_deals(context.world, context.world.person(who), amounts, must=must)


@when("{who:Person} tries to open a deal worth {number:d} written as a plain number")
@when('{who:Person} tries to open a deal of "{written}" with a discount of {number:d} written as a plain number')
def step_tries_plain_number(context, who, number, written=None):
    amount, discount = (number, None) if written is None else (written, number)
    sales.try_deal(context.world, context.world.person(who), amount, discount=discount)


@when('{who:Person} opens a deal of "{written}" for {owner:Person}\'s client')
def step_opens_deal_for(context, who, written, owner):
    world = context.world
    sales.open_deal_for_client_of(world, world.person(who), world.actor(owner), written)


@when("{who:Person} tries to open a deal for {owner:Person}'s client in {pronoun:SalesPronoun} own name")
def step_tries_deal_in_own_name(context, who, owner, pronoun):
    sales.open_in_own_name(context.world, context.world.person(who))


@when("{who:Person} tries to open the deal")
def step_tries_to_open_deal(context, who):
    sales.try_to_read_deal(context.world, context.world.person(who))


@when("{who:Person} tries to take the deal over")
def step_tries_to_take_over(context, who):
    sales.take_over(context.world, context.world.person(who))


@then("the deal belongs to {who:Person}")
@then("the deal still belongs to {who:Person}")
def step_deal_belongs_to(context, who):
    deal, driver = sales.deal_now(context.world)
    owner_ids = [sales.the_deal(context.world).owner_id, deal.owner_id]
    assert_that(owner_ids, only_contains(context.world.actor(who).own_id()), driver.evidence())


@then("{who:Person} finds the deal among {pronoun:SalesPronoun} deals")
def step_finds_the_deal(context, who, pronoun):
    assert_that(sales.deal_ids(context.world.person(who)), has_item(sales.the_deal(context.world).id), f"{who}'s deals")


@then("{who:Person} still has only that deal")
def step_only_that_deal(context, who):
    found = sales.deal_ids(context.world.person(who))
    assert_that(found, contains_exactly(sales.the_deal(context.world).id), f"{who}'s deals")


@then("{pronoun:SalesPronoun} deals are worth {amounts:SalesQuotedList}")
def step_deals_worth(context, pronoun, amounts):
    found = [now.amount for _, now in sales.deals_now(context.world)]
    assert_that(found, contains_exactly(*amounts), "the amounts of the deals as their owner reads them")


@then('the deal shows "{amount}" as its amount and "{net}" as its net amount, with "{paid}" paid')
def step_deal_shows_amounts(context, amount, net, paid):
    deal, driver = sales.deal_now(context.world)
    currency = context.world.it(sales.DEAL_OWNER).tenant.currency
    assert_that(deal.body, has_entries(currency=currency, amount=amount, net_amount=net, paid_amount=paid),
                driver.evidence())


@then('the deal shows "{paid}" paid')
def step_deal_shows_paid(context, paid):
    deal, driver = sales.deal_now(context.world)
    assert_that(deal.body, has_entries(paid_amount=paid), driver.evidence())


@step('the deal is {status:SalesPaymentStatus}, with "{paid}" paid')
def step_deal_payment_status(context, status, paid):
    deal, driver = sales.deal_now(context.world)
    assert_that(deal.body, has_entries(payment_status=status, paid_amount=paid), driver.evidence())


# -- stages ---------------------------------------------------------------------------------------------
@step("the deal is at the {stage:SalesStage} stage")
def step_deal_is_at_stage(context, stage):
    deal, driver = sales.deal_now(context.world)
    assert_that(deal.body, has_entries(stage=stage), driver.evidence())


@when("{who:Person} {must:SalesMoves} it to {stages:SalesStages}")
def step_moves_it(context, who, must, stages):
    sales.move(context.world, context.world.person(who), stages, must=must)


@when("{who:Person} tries each of these moves on a deal of {pronoun:SalesPronoun} own:")
def step_tries_moves(context, who, pronoun):
    moves = [(row["from"], row["to"]) for row in context.table]
    sales.try_moves(context.world, context.world.person(who), moves)


@then("each move is refused as an invalid transition, and each deal stays where it was")
def step_each_move_refused(context):
    for tried, now in sales.moves_now(context.world):
        assert_that(tried.answer, is_problem("invalid-transition"), tried.label)
        assert_that(now.body, has_entries(stage=tried.from_stage, version=tried.deal.version), f"after {tried.label}")


@when("{who:Person} moves each of them to {stage:SalesStage}")
def step_moves_each(context, who, stage):
    sales.move_each(context.world, context.world.person(who), stage)


@when('{who:Person} tries to rename each of them "{title}"')
def step_renames_each(context, who, title):
    sales.rename_each(context.world, context.world.person(who), title)


@then("each of them is at the {stage:SalesStage} stage")
@then("each of them keeps its title")
def step_each_of_them(context, stage=None):
    for before, now in sales.deals_now(context.world):
        assert_that(now.body, has_entries(stage=stage) if stage else has_entries(title=before.title), before.id)


@then('the deal is called "{title}"')
def step_deal_is_called(context, title):
    deal, driver = sales.deal_now(context.world)
    assert_that(deal.body, has_entries(title=title), driver.evidence())


# -- approvals ------------------------------------------------------------------------------------------
@then("the deal's approval is {approval:SalesApproval}")
def step_deal_approval_is(context, approval):
    deal, driver = sales.deal_now(context.world)
    assert_that(deal.body, has_entries(approval=approval), driver.evidence())


@given("{who:Person} has set {tenant:w}'s discount approval threshold to {threshold:SalesPercent}")
def step_has_set_threshold(context, who, tenant, threshold):
    sales.set_threshold(context.world.person(who), tenant, threshold)


@step("{people:SalesPeople} {decision:SalesDecision} its discount")
def step_decides(context, people, decision):
    verdict, must = decision
    sales.decide(context.world, sales.people(context.world, people), verdict, must=must)


@when("{who:Person} raises its discount to {discount:SalesPercent}")
def step_raises_discount(context, who, discount):
    sales.raise_discount(context.world, context.world.person(who), discount)


# -- refusals -------------------------------------------------------------------------------------------
@then("{people:SalesPeople} is refused {reason:SalesRefusal}")
@then("{people:SalesPeople} is refused each time {reason:SalesRefusal}")
@then("{people:SalesPeople} are refused {reason:SalesRefusal}")
def step_people_refused(context, people, reason):
    for person in sales.people(context.world, people):
        for answer in sales.attempts_of(person):
            assert_that(answer, reason, f"{person.name}'s attempt")


@then("the {act:SalesAct} is refused {reason:SalesRefusal}")
def step_act_refused(context, act, reason):
    person = context.world.spotlight
    for answer in sales.attempts_of(person):
        assert_that(answer, reason, f"{person.name}'s {act}")


# -- concurrent and out-of-date changes ------------------------------------------------------------------------
@when("{people:SalesPeople} move the deal to {stage:SalesStage} at the same moment")
def step_move_at_same_moment(context, people, stage):
    sales.race(context.world, sales.people(context.world, people), stage)


@then("exactly one of the two moves succeeds and the other is refused as an invalid transition")
def step_exactly_one_move(context):
    answers = context.world.it(sales.RACE)
    assert_that(answers, contains_inanyorder(is_success(), is_problem("invalid-transition")), "the two moves")


@then("the deal is at the {stage:SalesStage} stage, one version later")
def step_stage_one_version_later(context, stage):
    deal, driver = sales.deal_now(context.world)
    before = context.world.it(sales.VERSION_BEFORE)
    assert_that(deal.body, has_entries(stage=stage, version=before + 1), driver.evidence())


@given('{who:Person} has renamed the deal "{title}"')
def step_has_renamed(context, who, title):
    sales.rename(context.world, context.world.person(who), title)


@when('{who:Person} renames it "{title}" based on {latest:SalesReading}')
def step_renames_on_reading(context, who, title, latest):
    sales.rename_on_reading(context.world, context.world.person(who), title, latest=latest)


@when("{who:Person} {must:SalesMoves} it to {stage:SalesStage} based on {latest:SalesReading}")
def step_moves_on_reading(context, who, must, stage, latest):
    sales.move_on_reading(context.world, context.world.person(who), stage, latest=latest, must=must)


@when("these changes are made to the deal, one after another:")
def step_changes_one_after_another(context):
    sales.make_changes(context.world, [(row["who"], row["change"]) for row in context.table])


@then("each change raised the deal's version by exactly one")
def step_each_change_raised_version(context):
    steps = [(change.what, change.after - change.before) for change in context.world.it(sales.CHANGES)]
    assert_that(steps, equal_to([(what, 1) for what, _ in steps]), "each change and how far it raised the version")


@then("every answer about the deal told its version at that moment")
def step_every_answer_told_version(context):
    for change in context.world.it(sales.CHANGES):
        for what, answer in change.answers:
            assert_that(answer, tells_its_version(), what)
