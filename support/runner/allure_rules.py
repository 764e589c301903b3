"""Fix for allure-behave 2.16.2 and `Rule:` blocks (allure-python issue #886).

The bug: `AllureFormatter.feature()` wraps (turns into Allure tests) only `feature.scenarios`,
which in behave 1.3 holds the scenarios outside any Rule; Rules live in `feature.rules`. The
scenarios inside a Rule never start a test, so their steps land in the previous scenario's
result (or in none: results lost, attachments on the wrong step), and a step table (attached as
`.table` with no open item) raises `KeyError: None`, which crashes the whole run.

The fix: wrap `feature.run_items` and recurse into Rules and outlines, so every scenario is one
test; let its labels/links see the Rule's tags and its title path the Rule's name.
Reproduced by tests/suite/fixtures/rules/ and tested by tests/suite/test_allure_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import allure_commons
from allure_behave import listener as allure_listener
from allure_behave.formatter import AllureFormatter
from allure_behave.utils import is_planned_scenario
from behave.model import Rule, Scenario, ScenarioOutline

_MARK = "_acceptance_rules_fix"


def apply() -> None:
    """Patch allure-behave once; calling it again does nothing."""
    if getattr(AllureFormatter, _MARK, False):
        return
    AllureFormatter._wrap_scenario = _wrap_scenario
    AllureFormatter.feature = _feature
    original_labels = allure_listener.scenario_labels
    original_links = allure_listener.scenario_links
    original_title_path = allure_listener.get_title_path
    allure_listener.scenario_labels = lambda scenario: original_labels(_WithRuleTags(scenario))
    allure_listener.scenario_links = lambda scenario, **kw: original_links(_WithRuleTags(scenario), **kw)
    allure_listener.get_title_path = lambda scenario: _title_path(original_title_path, scenario)
    setattr(AllureFormatter, _MARK, True)


def _feature(self: AllureFormatter, feature: Any) -> None:
    self._wrap_scenario(feature.run_items)


def _wrap_scenario(self: AllureFormatter, scenarios: Iterable[Any]) -> None:
    for item in scenarios:
        if isinstance(item, Rule):
            _wrap_scenario(self, item.scenarios)
            continue
        if isinstance(item, ScenarioOutline):
            _wrap_scenario(self, item.scenarios)
        elif not getattr(item, "_allure_wrapped", False):
            item.run = allure_commons.test(item.run, context={"scenario": item})
            item._allure_wrapped = True
        is_planned_scenario(item, self.testplan)


def rule_of(scenario: Scenario) -> Rule | None:
    node = getattr(scenario, "parent", None)
    while node is not None:
        if isinstance(node, Rule):
            return node
        node = getattr(node, "parent", None)
    return None


class _WithRuleTags:
    """A scenario view whose `tags` also hold the tags of its Rule (allure reads feature + scenario)."""

    def __init__(self, scenario: Scenario) -> None:
        self._scenario = scenario
        rule = rule_of(scenario)
        rule_tags = list(rule.tags) if rule is not None else []
        self.tags = rule_tags + [tag for tag in scenario.tags if tag not in rule_tags]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._scenario, name)


def _title_path(original: Any, scenario: Scenario) -> list[str]:
    path = list(original(scenario))
    rule = rule_of(scenario)
    if rule is not None and rule.name:
        path.append(rule.name)
    return path
