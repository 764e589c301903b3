"""Identity's tenant answers, read once into typed facts (contract §3, §4)."""

from decimal import Decimal

import pytest

from services.common.plans import PLAN_LIMITS, PlanLimits
from services.common.problems import ProblemError
from services.common.tenant_facts import TenantFacts, TenantSettings, read_settings, read_tenant


def test_a_tenant_answer_gives_currency_plan_and_stated_limits() -> None:
    document = {"id": "t", "currency": "JPY", "plan": "starter",
                "limits": {"users": 7, "detectors": 2, "dataset_rows": 99}}
    assert read_tenant(document) == TenantFacts("JPY", "starter", PlanLimits(users=7, detectors=2, dataset_rows=99))


def test_unstated_limits_are_the_plans_and_an_unknown_plan_is_starter() -> None:
    assert read_tenant({"currency": "EUR", "plan": "growth"}).limits == PLAN_LIMITS["growth"]
    assert read_tenant({"currency": "EUR", "plan": "platinum"}).limits == PLAN_LIMITS["starter"]


@pytest.mark.parametrize("document", [
    {"currency": "XXX", "plan": "growth"},
    {"plan": "growth"},
    {"currency": "EUR", "plan": "growth", "limits": {"users": 1}},
    {"currency": "EUR", "plan": "growth", "limits": {"users": "many", "detectors": 1, "dataset_rows": 1}},
])
def test_an_answer_that_breaks_the_contract_is_service_unavailable(document: dict) -> None:
    with pytest.raises(ProblemError) as refused:
        read_tenant(document)
    assert refused.value.status == 503 and refused.value.slug == "service-unavailable"


def test_settings_give_the_threshold_or_the_default() -> None:
    assert read_settings({"discount_approval_threshold": "12.5"}) == TenantSettings(Decimal("12.5"))
    assert read_settings({}) == TenantSettings(Decimal(20))
    with pytest.raises(ProblemError) as refused:
        read_settings({"discount_approval_threshold": "a lot"})
    assert refused.value.status == 503
