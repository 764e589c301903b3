"""Tenancy: tenants and their people, roles in identity, and isolation between tenants."""

from decimal import Decimal

from behave import given, then, when
from hamcrest import all_of, assert_that, has_entries, has_item, is_not

from support.data.builders import ghost_id_like
from support.http.client import describe
from support.matchers.answers import answers_like, breaks_rules, is_problem, never_existed_like, succeeded
from support.phrases.tenancy import LAST_ADMIN_CHANGES
from support.tasks.auth import add_colleague, found_tenant
from support.tasks.isolation import as_it_was, create, try_everything


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


# -- tenants: slugs, uniqueness, plan limits -------------------------------------------------------
SLUG_SHAPES = {
    "2 characters long": 2,
    "33 characters long": 33,
    "32 characters long": 32,
}


def _slug(context, shape):
    """A fresh slug of the described shape (seeded part + random part, like the World's slugs)."""
    fresh = context.world.build.slug("tenant")  # e.g. tenant-3f9a1c2b7d: a-z, 0-9 and a hyphen
    if shape not in SLUG_SHAPES:
        raise AssertionError(f"no slug shape is known as {shape!r}")
    length = SLUG_SHAPES[shape]
    return (fresh * 4)[:length] if length > 2 else fresh[-2:]


def _set_up_tenant(context, slug):
    world, operator = context.world, context.world.operator
    email = world.build.email("founder", slug.lower() if len(slug) > 2 else "example")
    admin = {"email": email, "name": "Fay Founder", "password": world.build.password(avoid="founder").reveal()}
    answer = operator.identity.attempt(operator.identity.create_tenant, name="Initech", slug=slug, plan="starter",
                                       currency="EUR", admin=admin)
    world.mention("tenant set-up", (slug, answer))


@when("the operator sets up a tenant whose slug is {shape}")
def step_sets_up_tenant(context, shape):
    _set_up_tenant(context, _slug(context, shape))


@when("the operator sets up another tenant with {tenant:w}'s slug")
def step_sets_up_with_taken_slug(context, tenant):
    _set_up_tenant(context, context.world.tenant(tenant).slug)


@then("the tenant is refused because of its slug")
def step_refused_for_slug(context):
    _, answer = context.world.it("tenant set-up")
    assert_that(answer, is_problem("validation-failed"))
    fields = [str(error.get("field", "")) for error in answer.json().get("errors", [])]
    assert any(name.split(".")[-1] == "slug" for name in fields), f"no error names the slug: {describe(answer)}"


@then("the tenant is set up with that slug")
def step_set_up_with_slug(context):
    slug, answer = context.world.it("tenant set-up")
    succeeded(answer, 201)
    assert_that(answer.json(), has_entries(slug=slug, plan="starter", currency="EUR"), describe(answer))


@then("the tenant is refused because the slug is taken")
def step_refused_slug_taken(context):
    _, answer = context.world.it("tenant set-up")
    assert_that(answer, is_problem("conflict"))


@given("{tenant:w} is on the {plan:w} plan")
def step_tenant_on_plan(context, tenant, plan):
    found_tenant(context.world, tenant, plan=plan)


@given("{admin:Person} has added {count:d} colleagues to {tenant:w}")
def step_has_added_colleagues(context, admin, count, tenant):
    boss = context.world.person(admin)
    for number in range(1, count + 1):
        succeeded(add_colleague(context.world, boss, f"colleague{number}"), 201)


@when("{admin:Person} adds one more colleague")
def step_adds_one_more(context, admin):
    context.world.mention("new colleague", add_colleague(context.world, context.world.person(admin), "latecomer"))


@then("that colleague is refused because the plan's limit is reached")
def step_refused_quota(context):
    assert_that(context.world.it("new colleague"), is_problem("quota-exceeded"))


@then("{tenant:w} shows {used:d} of its {limit:d} people in use")
def step_shows_people_in_use(context, tenant, used, limit):
    identity = context.world.admin_of(tenant).identity
    current = identity.current_tenant()
    assert_that(current, has_entries(usage=has_entries(users=used), limits=has_entries(users=limit)),
                identity.evidence())


# -- people: emails and the last admin ---------------------------------------------------------------
@when("{admin:Person} adds a colleague with {who:Person}'s email")
def step_adds_colleague_with_email(context, admin, who):
    email = context.world.person(who).email
    boss = context.world.person(admin)
    context.world.mention("new colleague", add_colleague(context.world, boss, "namesake", email=email))


@then("that colleague is refused because the email is taken")
def step_refused_email_taken(context):
    assert_that(context.world.it("new colleague"), is_problem("conflict"))


@then("that colleague is added")
def step_colleague_added(context):
    succeeded(context.world.it("new colleague"), 201)






@when("{who:Person} tries to {change:OwnAccountChange}")
def step_tries_change_to_self(context, who, change):
    person = context.world.person(who)
    identity = person.identity
    context.world.mention("change to a person",
                          identity.attempt(identity.update_user, person.own_id(), **LAST_ADMIN_CHANGES[change]))


@then("that change to {who:Person} is refused as a conflict")
def step_change_refused_conflict(context, who):
    assert_that(context.world.it("change to a person"), is_problem("conflict"))


@then("{who:Person} is still an active admin of {tenant:w}")
def step_still_active_admin(context, who, tenant):
    person = context.world.person(who)
    identity = person.identity
    assert_that(identity.get_user(person.own_id()), has_entries(active=True, roles=has_item("admin")),
                identity.evidence())


# -- roles in identity -------------------------------------------------------------------------------


@given("{who:Person} is a member of {tenant:w}")
def step_is_member(context, who, tenant):
    person = context.world.person(who)
    assert person.tenant.name == tenant, f"{person.name} works at {person.tenant.name}, not {tenant}"


@when("{who:Person} tries to {action:IdentityAction} in identity")
def step_tries_identity_action(context, who, action):
    person = context.world.person(who)
    identity = person.identity
    calls = {
        "add a colleague": lambda: add_colleague(context.world, person, "newcomer"),
        "look through Acme's people": lambda: identity.attempt(identity.list_users),
        "read identity's audit trail": lambda: identity.attempt(identity.audit_events),
        "change the discount threshold":
            lambda: identity.attempt(identity.update_settings, discount_approval_threshold="15"),
    }
    context.world.mention("identity answer", calls[action]())


@then("identity {verdict:w} it")
def step_identity_verdict(context, verdict):
    answer = context.world.it("identity answer")
    if verdict == "forbids":
        assert_that(answer, is_problem("forbidden"))
    elif verdict == "allows":
        assert answer.status_code in (200, 201), f"identity did not allow it: {describe(answer)}"
    else:
        raise AssertionError(f"identity cannot {verdict!r} anything; say 'allows' or 'forbids'")


@when("{admin:Person} sets {tenant:w}'s discount approval threshold to {percent} %")
def step_sets_threshold(context, admin, tenant, percent):
    context.world.person(admin).identity.update_settings(discount_approval_threshold=percent)


@then("{who:Person} reads a discount approval threshold of {percent} %")
def step_reads_threshold(context, who, percent):
    identity = context.world.person(who).identity
    value = identity.settings()["discount_approval_threshold"]
    assert isinstance(value, str) and Decimal(value) == Decimal(percent), (
        f"the threshold reads {value!r}, not {percent} as a decimal string. {identity.evidence()}")


@when("the operator tries to list and add clients and to list datasets and detectors")
def step_operator_tries_tenant_work(context):
    operator = context.world.operator
    sales, anomaly = operator.sales, operator.anomaly
    draft = context.world.build.client()
    context.world.mention("operator attempts", {
        "listing clients": sales.attempt(sales.list_clients),
        "adding a client": sales.attempt(sales.create_client, **vars(draft)),
        "listing datasets": anomaly.attempt(anomaly.list_datasets),
        "listing detectors": anomaly.attempt(anomaly.list_detectors),
    })


@then("every one of the operator's attempts is forbidden")
def step_operator_forbidden(context):
    for attempt, answer in context.world.it("operator attempts").items():
        assert_that(answer, is_problem("forbidden"), attempt)


# -- isolation of every kind of record --------------------------------------------------------------


@given("{tenant:w} has its own {kind:TenantRecord}")
def step_tenant_has_record(context, tenant, kind):
    assert tenant == "Acme", "records are made by Acme's cast"
    context.world.mention(f"own {kind}", create(context.world, kind))


@when("{who:Person} of {tenant:w} tries everything there is to do with Acme's {kind:TenantRecord}")
def step_tries_everything(context, who, tenant, kind):
    intruder = context.world.person(who)
    intruder.remember("intrusions", try_everything(context.world, intruder, context.world.it(f"own {kind}")))


@then("every one of {who:Person}'s attempts is answered as if that record had never existed")
def step_answered_as_never_existed_everything(context, who):
    for attempt, (answer, ghost) in context.world.person(who).recall("intrusions").items():
        assert_that(answer, all_of(is_problem("not-found"), never_existed_like(ghost)), attempt)


@then("Acme's {kind:TenantRecord} is just as it was")
def step_record_as_it_was(context, kind):
    now, before = as_it_was(context.world.it(f"own {kind}"))
    assert now == before, f"Acme's {kind} changed: it now holds {now}, not {before}"


@when('{who:Person} searches {tenant:w}\'s clients for "{text}"')
def step_searches_clients(context, who, tenant, text):
    sales = context.world.person(who).sales
    context.world.mention("search result", (sales, sales.list_clients(q=text, page_size=100)))


@then('{pronoun:w} finds "{name}" and nothing of Acme\'s')
def step_finds_only(context, pronoun, name):
    sales, found = context.world.it("search result")
    assert [item["name"] for item in found["items"]] == [name], sales.evidence()
    assert found["total"] == 1, sales.evidence()


@when("{who:Person} looks through all of {tenant:w}'s deals, datasets, detectors and people")
def step_looks_through_lists(context, who, tenant):
    person = context.world.person(who)
    sales, anomaly, identity = person.sales, person.anomaly, person.identity
    context.world.mention("listed ids", {
        str(item["id"])
        for listing in (sales.list_deals(page_size=100), anomaly.list_datasets(page_size=100),
                        anomaly.list_detectors(page_size=100), identity.list_users(page_size=100))
        for item in listing["items"]
    })


@then("none of Acme's records are among them")
def step_none_of_acme(context):
    world = context.world
    acme = {world.it("own deal").id, world.it("own dataset").id, world.it("own detector").id,
            world.it("own member of staff").id,
            world.admin_of("Acme").own_id()}
    leaked = acme & world.it("listed ids")
    assert not leaked, f"Globex's lists hold Acme's records {sorted(leaked)}"


REFERENCES = {"client": "client_id", "dataset": "dataset_id"}


@when("{who:Person} opens a Globex deal for Acme's client")
def step_opens_deal_for_foreign_client(context, who):
    sales = context.world.person(who).sales
    real = context.world.it("own client").id

    def attempt(client_id):
        return sales.attempt(sales.create_deal, client_id=client_id, title="Borrowed client", amount="1000.00")

    context.world.mention("reference attempts", (attempt(real), attempt(ghost_id_like(real))))


@when("{who:Person} trains a Globex detector on Acme's dataset")
def step_trains_on_foreign_dataset(context, who):
    person = context.world.person(who)
    anomaly = person.anomaly
    detector = anomaly.create_detector("Borrowed data", algorithm="robust_zscore", features=["x", "y"])
    real = context.world.it("own dataset").id

    def attempt(dataset_id):
        return anomaly.attempt(anomaly.start_training, detector["id"], dataset_id)

    context.world.mention("reference attempts", (attempt(real), attempt(ghost_id_like(real))))


@then("the request is refused for naming a {thing:w} it does not know")
def step_refused_unknown_reference(context, thing):
    answer, ghost = context.world.it("reference attempts")
    assert_that(answer, breaks_rules({"unknown_reference"}, field=REFERENCES[thing]))
    assert_that(answer, answers_like(ghost, f"a {thing} that never existed"))
