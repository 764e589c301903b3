"""Sales: deals, payments and the commission they earn."""

from behave import given, then, when
from hamcrest import assert_that, has_entries, has_item

from support.cast import register_person_type
from support.matchers import is_money
from support.money import register_money_type

register_money_type()
register_person_type()


def _open_deal(world, owner, amount, title=None):
    client = owner.sales.create_client(**vars(world.build.client()))
    deal = owner.sales.create_deal(client_id=client["id"], title=title or world.build.deal_title(),
                                   amount=amount.as_api())
    return world.mention("deal", owner.remember("deal", deal))


@given('{who:Person} has opened the deal "{title}" worth {amount:Money}')
def step_has_opened_deal(context, who, title, amount):
    _open_deal(context.world, context.world.person(who), amount, title)


@given("{who:Person} has won a deal worth {amount:Money}")
def step_has_won_deal(context, who, amount):
    owner = context.world.person(who)
    deal = _open_deal(context.world, owner, amount)
    context.world.mention("deal", owner.remember("deal", owner.sales.advance(deal["id"], "won")))


@when("{who:Person} records a payment of {amount:Money} for it")
def step_records_payment(context, who, amount):
    payer = context.world.person(who)
    payer.remember("payment", payer.sales.record_payment(context.world.it("deal")["id"], amount.as_api()))


@then("the deal is paid in full")
def step_deal_paid_in_full(context):
    sales = context.world.spotlight.sales
    deal = sales.get_deal(context.world.it("deal")["id"])
    assert_that(deal, has_entries(payment_status="paid", paid_amount=deal["net_amount"]), sales.evidence())


@then("{who:Person} earns {amount:Money} commission on it this quarter")
def step_earns_commission(context, who, amount):
    earner = context.world.person(who)
    money = is_money(amount.amount, earner.tenant.currency)
    on_deal = has_item(has_entries(deal_id=context.world.it("deal")["id"], amount=money))
    assert_that(earner.sales.commission_statement(), has_entries(total=money, lines=on_deal),
                earner.sales.evidence())
