"""Scenarios skipped by the environment stay in the Allure report, with their reason as the message.

behave.ini sets `show_skipped = false` so the terminal lists only what ran. allure-behave 2.16.2 reads
the same switch and would then drop every skipped scenario, including those the environment cannot run
(a `@needs.restart` scenario against a deployment that cannot restart services). Those must stay in the
report, under "Skipped by the environment", and say why: allure-behave also drops the skip reason.
"""

from __future__ import annotations

from typing import Any

from allure_behave import listener as allure_listener
from allure_commons.model2 import StatusDetails

ENVIRONMENT_SKIP = "environment_skip_reason"  # attribute set on a behave Scenario by support.runner.hooks


def mark_skipped_by_environment(scenario: Any, reason: str) -> None:
    setattr(scenario, ENVIRONMENT_SKIP, reason)
    scenario.skip(reason=reason)


def apply() -> None:
    """Patch allure-behave once per process (idempotent)."""
    listener_class = allure_listener.AllureListener
    if getattr(listener_class, "_environment_skips_patched", False):
        return
    original_stop = listener_class.stop_scenario
    original_details = allure_listener.scenario_status_details

    def stop_scenario(self: Any, scenario: Any) -> None:
        if getattr(scenario, ENVIRONMENT_SKIP, None) is None:
            original_stop(self, scenario)
            return
        config = self.behave_config
        shown, config.show_skipped = config.show_skipped, True
        try:
            original_stop(self, scenario)
        finally:
            config.show_skipped = shown

    def scenario_status_details(scenario: Any) -> StatusDetails | None:
        reason = getattr(scenario, ENVIRONMENT_SKIP, None)
        return StatusDetails(message=reason) if reason else original_details(scenario)

    listener_class.stop_scenario = stop_scenario
    allure_listener.scenario_status_details = scenario_status_details
    listener_class._environment_skips_patched = True
