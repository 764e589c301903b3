"""Flaky scenarios, and the sign-off's waivers for them.

A scenario is flaky when it passed in one attempt and failed or broke in another (a retry, or one of the
runs of a stability check). It is never a clean pass: the gate's criteria and the requirement verdicts
count it as not passed, unless the sign-off waives it with a reason (`flaky_waivers:` in
config/signoff.yaml, keyed by the scenario's title as the gate prints it: "Area / Feature / Story / Name").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from signoff.results import Scenario


def flaky(scenarios: Sequence[Scenario]) -> list[Scenario]:
    return [s for s in scenarios if s.flaky]


def apply_waivers(scenarios: Sequence[Scenario], waivers: Mapping[str, str]) -> tuple[list[Scenario], list[str]]:
    """The scenarios, each flaky one carrying its waiver if it has one; and the waivers that match no flaky
    scenario (stale, or mistyped), which the caller reports."""
    reasons = {title.strip(): reason.strip() for title, reason in waivers.items() if reason.strip()}
    used: set[str] = set()
    waived = []
    for scenario in scenarios:
        reason = reasons.get(scenario.title, "") if scenario.flaky else ""
        if reason:
            used.add(scenario.title)
            scenario = dataclasses.replace(scenario, waiver=reason)
        waived.append(scenario)
    return waived, sorted(set(waivers) - used)
