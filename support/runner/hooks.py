"""behave hooks of the acceptance suite (environment.py only re-exports these).

before_all loads the configuration, starts the managed platform and writes report metadata;
a configuration problem prints one line and aborts the run before the first scenario.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import allure
from behave import fixture, use_fixture
from faker import Faker

from support.http import conformance, latency
from support.http.exchanges import allure_test_running
from support.runner import allure_rules, allure_skips, evidence, reporting, retry, shuffle, watchdog
from support.runner.config import ConfigError, SuiteConfig, load_config
from support.runner.launcher import LaunchError, ManagedPlatform, default_logs_root, new_run_id, stop_on_termination
from support.screenplay.world import World

__all__ = ["after_all", "after_scenario", "before_all", "before_feature", "before_scenario"]

LOG_TAIL_LINES = 200
FAILED_STATUSES = frozenset({"failed", "error", "hook_error"})
NEEDS_PREFIX = "needs."
CAPABILITY_REASONS = {
    "restart": "it kills or restarts a service, which only a managed environment can do",
    "signing_key": "it mints tokens with the platform's signing key, which this environment does not hold",
    "database_faults": "it takes a service's database away and gives it back, which only a managed environment "
                       "that declares database_faults can do",
    "network_faults": "it slows or cuts the network path between two services, which only a managed environment "
                      "that declares network_faults (a link the suite controls) can do",
}

# Patch allure-behave as early as possible: behave builds the formatters after loading hooks.
allure_rules.apply()


def before_all(context: Any) -> None:
    context.run_started = time.monotonic()
    context.suite_config = None
    context.platform = None
    allure_skips.apply()
    reporting.install_label_bridge()
    stop_on_termination()
    try:
        config = load_config(context.config.userdata, os.environ)
        reporting.check_requirement_tags(
            reporting.feature_tags(_features(context)), reporting.load_requirement_ids())
        shuffle.apply(context)  # -D shuffle=SEED
    except ConfigError as exc:
        _abort(context, f"Configuration error: {exc}")
        return
    context.seed = config.seed
    context.run_id = new_run_id()
    print(f"Seed {config.seed} (override with -D seed=N)", file=sys.stderr)
    if config.managed:
        platform = ManagedPlatform(config, run_id=context.run_id, logs_root=default_logs_root())
        try:
            platform.start()
        except LaunchError as exc:
            _abort(context, f"Platform did not start: {exc}")
            return
        context.platform = platform
        config = config.with_platform(platform.base_urls, platform.signing_key_pem)
        print(f"Managed platform up ({_urls(config)}); logs in {platform.log_dir}", file=sys.stderr)
    context.suite_config = config
    samples = context.config.userdata.get("answer_samples")  # refreshes tests/suite/fixtures/answers/
    conformance.configure(enabled=config.conformance, samples=Path(samples) if samples else None)
    latency.restart()
    if not config.conformance:
        print("Answers are NOT checked against the contract's schemas (-D conformance=false)", file=sys.stderr)
    results_dir = _allure_results_dir(context)
    if results_dir is not None:
        if not _truthy(context.config.userdata.get("keep_results")):
            removed = reporting.clear_previous_results(results_dir)
            if removed:
                print(f"Cleared {removed} result files of an earlier run from {results_dir} "
                      "(keep them with -D keep_results=true)", file=sys.stderr)
        reporting.write_metadata(results_dir, config, os.environ, run_id=context.run_id)
        for problem in evidence.capture_api_documents(results_dir, config):
            print(f"API description not captured: {problem}", file=sys.stderr)


def before_feature(context: Any, feature: Any) -> None:
    """Opt-in retries (-D retry=N, @retry:N); capability needs are checked per scenario (tags are inherited)."""
    retry.apply(feature, context.config.userdata)


def before_scenario(context: Any, scenario: Any) -> None:
    config: SuiteConfig | None = getattr(context, "suite_config", None)
    if config is None:
        scenario.skip(reason="the run was aborted before it started")
        return
    watchdog.arm(scenario, config.scenario_time_limit)  # disarmed in after_scenario
    tags = [str(tag) for tag in scenario.effective_tags]
    reporting.label_scenario(sorted(tags))
    reason = missing_capability_reason(tags, config)
    if reason:
        allure_skips.mark_skipped_by_environment(scenario, reason)
        print(f"SKIPPED {scenario.name}: {reason}", file=sys.__stderr__)
        allure.dynamic.description(reason)  # allure-behave drops skip reasons; keep it visible
        return
    seed = scenario_seed(config.seed, scenario.name)
    random.seed(seed)
    Faker.seed(seed)
    use_fixture(scenario_world, context, config, seed)


@fixture
def scenario_world(context: Any, config: SuiteConfig, seed: int) -> Iterator[World]:
    """The scenario's World: built before its first step, closed (faults undone) after its last."""
    context.world = World(config, seed=seed, platform=context.platform)
    yield context.world
    context.world.close()
    context.world = None


def after_scenario(context: Any, scenario: Any) -> None:
    try:
        status = getattr(scenario.status, "name", str(scenario.status))
        if status in FAILED_STATUSES:
            attach_service_logs(getattr(context, "platform", None))
    finally:
        watchdog.disarm()


def after_all(context: Any) -> None:
    checker = conformance.active()
    results_dir = _allure_results_dir(context)
    if results_dir is not None and getattr(context, "suite_config", None) is not None:
        evidence.record_conformance(results_dir, checker, run_id=context.run_id)
        evidence.record_latency(results_dir, latency.active(), context.suite_config, run_id=context.run_id)
    if checker.enabled:
        print(checker.tally.summary(), file=sys.__stderr__)
    platform: ManagedPlatform | None = getattr(context, "platform", None)
    if platform is not None:
        platform.stop()
        # sys.__stderr__: behave captures (and drops) what a passing after_all writes to sys.stderr.
        print(f"Managed platform stopped; logs in {platform.log_dir}", file=sys.__stderr__)
    started = getattr(context, "run_started", None)
    if started is not None:
        print(f"Acceptance run took {time.monotonic() - started:.1f} s, platform start and stop included "
              "(behave's own 'Took' line below is not reliable in behave 1.3.3)", file=sys.__stderr__)



# -- helpers ---------------------------------------------------------------------------------
def _truthy(value: object) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def missing_capability_reason(tags: list[str], config: SuiteConfig) -> str | None:
    for tag in tags:
        if tag.startswith(NEEDS_PREFIX):
            capability = tag[len(NEEDS_PREFIX):]
            if capability not in config.capabilities:
                why = CAPABILITY_REASONS.get(capability, f"it needs '{capability}'")
                return (f"Skipped in environment '{config.env_name}': {why} "
                        f"(@{tag}; capabilities here: {', '.join(sorted(config.capabilities)) or 'none'})")
    return None


def scenario_seed(seed: int, scenario_name: str) -> int:
    """A per-scenario seed that depends only on the run seed and the scenario's name."""
    digest = hashlib.sha256(f"{seed}:{scenario_name}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def attach_service_logs(platform: ManagedPlatform | None) -> None:
    if platform is None or not allure_test_running():
        return
    for name in platform.config.services:
        allure.attach(platform.log_tail(name, LOG_TAIL_LINES), name=f"{name} log (last {LOG_TAIL_LINES} lines)",
                      attachment_type=allure.attachment_type.TEXT)


def _abort(context: Any, line: str) -> None:
    """Print one line and stop before the first scenario; behave then exits non-zero."""
    print(line, file=sys.stderr, flush=True)
    context.abort(reason="no scenario was run")


def _features(context: Any) -> list[Any]:
    runner = getattr(context, "_runner", None)
    return list(getattr(runner, "features", []) or [])


def _allure_results_dir(context: Any) -> Path | None:
    """The output folder of the allure formatter, if it is in use."""
    formats = list(context.config.format or [])
    outputs = list(context.config.outputs or [])
    for index, name in enumerate(formats):
        if "allure" in name.lower() and index < len(outputs) and getattr(outputs[index], "name", None):
            return Path(outputs[index].name)
    return None


def _urls(config: SuiteConfig) -> str:
    return ", ".join(f"{name} {service.base_url}" for name, service in config.services.items())
