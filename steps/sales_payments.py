"""Sales: payments on won deals and the commission they earn (contract §4 Payments, Commission; §1 money)."""

from behave import step, then, when
from hamcrest import (
    assert_that,
    contains_exactly,
    contains_inanyorder,
    equal_to,
    has_entries,
    has_item,
    is_not,
)

from support.matchers.answers import is_created, is_success
from support.matchers.money import is_money
from support.tasks import sales
from support.tasks import sales_payments as payments


# -- recording payments ---------------------------------------------------------------------------------
@step("{people:SalesPeople} {must:SalesRecords} a payment of {amount:Money} for it")
@step("{people:SalesPeople} {must:SalesRecords} a payment of {amount:Money} for it received {moment:SalesMoment}")
@step('{people:SalesPeople} {must:SalesRecords} a payment of {amount:Money} for it under the reference "{reference}"')
@step('{people:SalesPeople} {must:SalesRecords} a payment of {amount:Money} for it under the reference "{reference}" '
      "again")
def step_records_payment(context, people, must, amount, moment=None, reference=None):
    payers = sales.people(context.world, people)
    payments.record(context.world, payers, amount.as_api(), must=must, received_at=moment, reference=reference)


@when("half a minute has passed since that payment was recorded")
def step_half_a_minute_later(context):
    payments.wait_since_payment(context.world, 30.0)


@when("{who:Person} tries to record a payment of {number:d} written as a plain number")
def step_tries_plain_payment(context, who, number):
    payments.record(context.world, [context.world.person(who)], number, must=False)


@then("the payment is {amount:Money} {currency:w} for the deal, received {moment:SalesMoment} and recorded just now")
def step_payment_is(context, amount, currency, moment):
    payment = payments.payments(context.world)[-1]
    expected = payments.payment_expected(context.world, amount.as_api(), currency, moment)
    assert_that(payment.body, has_entries(expected), "the payment as recorded")


@then("the payments on the deal are that payment alone")
@then('the deal holds that single payment, with "{paid}" paid')
def step_single_payment(context, paid=None):
    listed, driver = payments.payments_on_deal(context.world)
    assert_that(listed.body, has_entries(total=1, items=contains_exactly(payments.payments(context.world)[-1].body)),
                driver.evidence())
    assert_that(sales.deal_now(context.world)[0].paid_amount, equal_to(paid or listed.items[0].amount), "paid")


@then("{payer:Person} is given back the payment recorded first")
def step_given_back_first(context, payer):
    first, again = payments.payments(context.world)[0], payments.payments(context.world)[-1]
    assert_that(again.body, equal_to(first.body), "the payment given back the second time")


@then("{who:Person}'s payment is a new one, on {owner:Person}'s deal")
def step_payment_new_one(context, who, owner):
    *earlier, new = payments.payments(context.world)
    assert_that(new.body, has_entries(deal_id=context.world.actor(owner).recall(sales.DEAL).id), f"{who}'s payment")
    assert_that([payment.id for payment in earlier], is_not(has_item(new.id)), "the earlier payments")


@then("the payments of {people:SalesPeople} are recorded")
def step_payments_recorded(context, people):
    for person in sales.people(context.world, people):
        for answer in sales.attempts_of(person):
            assert_that(answer, is_created(), f"{person.name}'s payment")


@when("{people:SalesPeople} each look at the payments on the deal")
def step_look_at_payments(context, people):
    payments.look_at_payments(context.world, sales.people(context.world, people))


@then("{people:SalesPeople} see the payment of {amount:Money}")
def step_see_payment(context, people, amount):
    seen = has_entries(total=1, items=contains_exactly(has_entries(amount=sales.money_of(context.world, amount))))
    for person in sales.people(context.world, people):
        for answer in sales.attempts_of(person):
            assert_that(answer, is_success(body=seen), f"{person.name}'s view")


# -- commission -------------------------------------------------------------------------------------------
@then("{who:Person} earns {amount:Money} commission on it this quarter")
def step_earns_commission(context, who, amount):
    earner = context.world.person(who)
    statement, money = earner.sales.commission_statement(), is_money(amount.amount, earner.tenant.currency)
    line = has_entries(deal_id=sales.the_deal(context.world).id, amount=money)
    assert_that(statement.body, has_entries(owner_id=earner.own_id(), total=money, lines=has_item(line)),
                earner.sales.evidence())


@then("{who:Person} earns {commission:Money} commission at {rate:SalesPercent} on that payment")
def step_earns_commission_at_rate(context, who, commission, rate):
    earner = context.world.person(who)
    line = payments.line_expected(context.world, earner, commission, rate)
    statement = earner.sales.commission_statement()
    assert_that(statement.body, has_entries(currency=earner.tenant.currency, total=line["amount"],
                                            lines=contains_exactly(has_entries(line))), earner.sales.evidence())


@then("{who:Person}'s statement for this quarter lists {first:Money} and {second:Money} for the deal, "
      "{total:Money} in all")
def step_statement_lists_two(context, who, first, second, total):
    earner = context.world.person(who)
    statement, currency = earner.sales.commission_statement(), earner.tenant.currency
    lines = payments.statement_lines(statement, sales.the_deal(context.world).id)
    assert_that(lines, contains_inanyorder(is_money(first.amount, currency), is_money(second.amount, currency)))
    assert_that(statement.total, is_money(total.amount, currency), earner.sales.evidence())


@then("{who:Person}'s statement for {period:SalesPeriod} holds only the payment of {paid:Money}, "
      "earning {commission:Money}")
def step_statement_for_period(context, who, period, paid, commission):
    earner = context.world.person(who)
    expected = payments.statement_expected(earner, period, paid, commission)
    assert_that(earner.sales.commission_statement(period=period).body, has_entries(expected), earner.sales.evidence())


@when("{who:Person} asks for {owner:Person}'s commission statement")
def step_asks_for_statement(context, who, owner):
    payments.try_statement(context.world.person(who), context.world.actor(owner))


@when("{people:SalesPeople} each read {owner:Person}'s commission statement for this quarter")
def step_read_statements(context, people, owner):
    world = context.world
    payments.read_statements(world, sales.people(world, people), world.actor(owner))


@then("each of them sees {who:Person} earn {amount:Money} on the deal")
def step_each_sees_earning(context, who, amount):
    earner, money = context.world.actor(who), sales.money_of(context.world, amount)
    line = has_entries(deal_id=sales.the_deal(context.world).id, amount=money)
    for reader, statement in context.world.it(payments.STATEMENTS).items():
        assert_that(statement.body, has_entries(owner_id=earner.own_id(), total=money, lines=has_item(line)), reader)
