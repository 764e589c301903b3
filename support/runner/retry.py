"""Opt-in retries: `-D retry=N` (all scenarios) or `@retry:N` (a scenario, Rule or Feature) re-runs a failed
scenario up to N more times, through behave's own `patch_scenario_with_autoretry`.

Applied in before_feature, after allure-behave has wrapped each scenario (in its `feature()` callback), so
every attempt is a test result of its own, with the same historyId: the report shows the retries, and the
sign-off judges a scenario that failed and then passed as *flaky*, never as a clean pass (signoff/results.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from behave.contrib.scenario_autoretry import patch_scenario_with_autoretry

from support.runner.tag_values import tag_value

USERDATA_KEY = "retry"
TAG_PREFIX = "retry:"


def retries_for(scenario: Any, default: int) -> int:
    text = tag_value(scenario, TAG_PREFIX)
    return default if text is None else _count(text, f"@{TAG_PREFIX}{text}")


def apply(feature: Any, userdata: Mapping[str, str]) -> None:
    default = _count(str(userdata.get(USERDATA_KEY, "0") or "0"), f"-D {USERDATA_KEY}")
    for scenario in feature.walk_scenarios():
        retries = retries_for(scenario, default)
        if retries:
            patch_scenario_with_autoretry(scenario, max_attempts=retries + 1)


def _count(text: str, where: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(f"{where}: the number of retries must be a whole number, got '{text}'") from None
    if value < 0:
        raise ValueError(f"{where}: the number of retries cannot be negative")
    return value
