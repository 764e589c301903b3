"""Report metadata: environment.properties, executor.json, epics and requirement labels.

allure-behave 2.16.2 has no `add_label` hook implementation, so `allure.dynamic.epic()` and
friends are silently dropped. `LabelBridge` implements it against the formatter's listener;
`label_scenario()` (called from before_scenario) then adds epics and requirement labels.
"""

from __future__ import annotations

import json
import platform
import subprocess
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import allure
import allure_commons
import httpx
from allure_commons.model2 import Label

from signoff.catalogue import AREA_EPICS, catalogue_exists, load_catalogue
from signoff.errors import SignoffError
from signoff.results import REQUIREMENT_ID, REQUIREMENT_PREFIX
from support.runner.config import REPO_ROOT, ConfigError, SuiteConfig

REQUIREMENT_LABEL = "requirement"
REQUIREMENTS_PATH = REPO_ROOT / "data" / "requirements"
REPORT_NAME = "Platform acceptance"


# -- labels ----------------------------------------------------------------------------------
def labels_for(tags: Iterable[str]) -> list[tuple[str, str]]:
    """The extra (label, value) pairs a scenario's tags stand for: epics and requirements."""
    pairs: list[tuple[str, str]] = []
    for tag in dict.fromkeys(tags):
        if tag in AREA_EPICS:
            pairs.append(("epic", AREA_EPICS[tag]))
        elif REQUIREMENT_ID.match(tag):
            pairs.append((REQUIREMENT_LABEL, tag))
    return pairs


def label_scenario(tags: Iterable[str]) -> None:
    """Add epic / requirement labels to the running Allure test (no-op without one)."""
    for name, value in labels_for(tags):
        allure.dynamic.label(name, value)


class LabelBridge:
    """Implements allure's `add_label` hook for allure-behave, which lacks it."""

    @allure_commons.hookimpl
    def add_label(self, label_type: str, labels: Iterable[str]) -> None:
        for test in _running_tests():
            for value in labels:
                label = Label(name=str(label_type), value=str(value))
                if all((old.name, old.value) != (label.name, label.value) for old in test.labels):
                    test.labels.append(label)


_bridge = LabelBridge()


def install_label_bridge() -> None:
    if not allure_commons.plugin_manager.is_registered(_bridge):
        allure_commons.plugin_manager.register(_bridge, name="acceptance-label-bridge")


def _running_tests() -> list[Any]:
    from allure_behave.listener import AllureListener

    tests = []
    for plugin in allure_commons.plugin_manager.get_plugins():
        if isinstance(plugin, AllureListener) and plugin.current_scenario_uuid:
            test = plugin.logger.get_test(plugin.current_scenario_uuid)
            if test is not None:
                tests.append(test)
    return tests


# -- requirement catalogue -------------------------------------------------------------------
def load_requirement_ids(path: Path = REQUIREMENTS_PATH) -> frozenset[str] | None:
    """Ids of the catalogue (one YAML file, or a folder of per-area files), or None when there is none.

    The same loader as the sign-off's, so a catalogue the run accepts is one the sign-off can read.
    """
    if not catalogue_exists(path):
        return None
    try:
        return frozenset(requirement.id for requirement in load_catalogue(path))
    except SignoffError as exc:
        raise ConfigError(f"requirement catalogue: {exc}") from None


def check_requirement_tags(tagged: Iterable[tuple[str, str]], known: frozenset[str] | None) -> None:
    """Raise ConfigError naming the first `@REQ-` tag (with its location) not in the catalogue.

    Every catalogue id is a valid REQUIREMENT_ID, so a misspelt tag (`@REQ-sales-1`) is caught here too.
    """
    if known is None:
        return
    for tag, location in tagged:
        if tag.startswith(REQUIREMENT_PREFIX) and tag not in known:
            raise ConfigError(f"tag @{tag} at {location}: unknown requirement id "
                              f"(not in data/requirements/)")


def feature_tags(features: Iterable[Any]) -> list[tuple[str, str]]:
    """(tag, 'file:line') for every tag of every feature, rule, scenario, outline and examples."""
    found: list[tuple[str, str]] = []

    def visit(entity: Any) -> None:
        location = f"{getattr(entity, 'filename', '?')}:{getattr(entity, 'line', '?')}"
        found.extend((str(tag), location) for tag in getattr(entity, "tags", []))
        for examples in getattr(entity, "examples", []) or []:
            visit(examples)
        for child in getattr(entity, "run_items", []) or []:
            visit(child)

    for feature in features:
        visit(feature)
    return found


# -- environment.properties and executor.json ------------------------------------------------
def write_metadata(results_dir: Path, config: SuiteConfig, environ: Mapping[str, str], *,
                   run_id: str) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    properties = environment_properties(config, platform_version(config))
    (results_dir / "environment.properties").write_text(
        "".join(f"{key}={_escape(value)}\n" for key, value in properties.items()), encoding="utf-8")
    (results_dir / "executor.json").write_text(
        json.dumps(executor(environ, run_id=run_id), indent=2), encoding="utf-8")


def environment_properties(config: SuiteConfig, platform_version: str | None) -> dict[str, str]:
    properties = {"Environment": config.env_name, "Managed": str(config.managed).lower()}
    for name, service in config.services.items():
        properties[f"{name}.url"] = service.base_url
    properties.update({
        "Suite.version": suite_version(),
        "Platform.version": platform_version or "unknown",
        "Git.commit": git_commit(),
        "Python": platform.python_version(),
        "Seed": str(config.seed),
    })
    return properties


def executor(environ: Mapping[str, str], *, run_id: str) -> dict[str, str]:
    ci = environ.get("CI", "").lower() not in ("", "0", "false", "no")
    build_name = (environ.get("GITHUB_RUN_NUMBER") or environ.get("CI_PIPELINE_ID")
                  or environ.get("BUILD_NUMBER") or run_id)
    result = {
        "name": "CI" if ci else platform.node() or "local",
        "type": "ci" if ci else "local",
        "buildName": f"{REPORT_NAME} {build_name}",
        "reportName": REPORT_NAME,
    }
    url = _build_url(environ)
    if url:
        result["buildUrl"] = url
    return result


def suite_version() -> str:
    try:
        with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def platform_version(config: SuiteConfig) -> str | None:
    """info.version of identity's /openapi.json, if it answers."""
    url = config.services["identity"].base_url
    if not url:
        return None
    try:
        answer = httpx.get(f"{url}/openapi.json", timeout=config.timeouts.connect)
        return str(answer.json()["info"]["version"]) if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None


def git_commit() -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                                capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def _build_url(environ: Mapping[str, str]) -> str | None:
    if environ.get("GITHUB_RUN_ID") and environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{environ['GITHUB_REPOSITORY']}/actions/runs/{environ['GITHUB_RUN_ID']}"
    return environ.get("CI_PIPELINE_URL") or environ.get("BUILD_URL") or None


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


_RESULT_PATTERNS = ("*-result.json", "*-container.json", "*-attachment*", "environment.properties",
                    "executor.json", "categories.json", "api/*.json", "conformance/*.json", "latency/*.json",
                    "resources/*.json")


def clear_previous_results(results_dir: Path) -> int:
    """Remove an earlier run's Allure results, so that a report and a sign-off speak of one run only.

    Parallel workers sharing one folder pass `-D keep_results=true`: their runner clears it once.
    """
    removed = 0
    for pattern in _RESULT_PATTERNS:
        for path in results_dir.glob(pattern):
            if path.is_file():
                path.unlink()
                removed += 1
    return removed
