"""Tenancy: one tenant's data is invisible and untouchable for every other tenant."""

from behave import then, when
from hamcrest import all_of, assert_that, has_entries, has_item, is_not

from support.builders import ghost_id_like
from support.cast import register_person_type
from support.matchers import is_problem, never_existed_like

register_person_type()


def _meddle(sales, deal_id):
    """Read, rename and move a deal; the three answers, by what was tried."""
    return {
        "reading it": sales.attempt(sales.get_deal, deal_id),
        "renaming it": sales.attempt(sales.update_deal, deal_id, title="Taken over"),
        "moving it to the next stage": sales.attempt(sales.transition, deal_id, "qualified"),
    }


@when("{who:Person} of {tenant:w} tries to read it, rename it and move it to the next stage")
def step_tries_to_meddle(context, who, tenant):
    intruder, deal_id = context.world.person(who), context.world.it("deal")["id"]
    intruder.remember("attempts", _meddle(intruder.sales, deal_id))
    intruder.remember("ghost attempts", _meddle(intruder.sales, ghost_id_like(deal_id)))


@then("each attempt is answered as if the deal had never existed")
def step_answered_as_never_existed(context):
    intruder = context.world.spotlight
    for attempt, answer in intruder.recall("attempts").items():
        ghost = intruder.recall("ghost attempts")[attempt]
        assert_that(answer, all_of(is_problem("not-found"), never_existed_like(ghost)), attempt)


@then("the deal appears in none of {who:Person}'s lists")
def step_deal_in_none_of_lists(context, who):
    sales, deal_id = context.world.person(who).sales, context.world.it("deal")["id"]
    for listing in (sales.list_deals(page_size=100), sales.list_deals(stage="lead", page_size=100)):
        assert_that(listing["items"], is_not(has_item(has_entries(id=deal_id))), sales.evidence())


@then("{who:Person}'s deal is unchanged")
def step_deal_unchanged(context, who):
    owner = context.world.person(who)
    before = owner.recall("deal")
    assert_that(owner.sales.get_deal(before["id"]),
                has_entries(title=before["title"], stage=before["stage"], version=before["version"]),
                owner.sales.evidence())
