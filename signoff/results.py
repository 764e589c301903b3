"""Read allure-behave results: one Scenario per test case (latest attempt), plus run metadata."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from signoff.errors import SignoffError
from signoff.files import read_json
from signoff.statuses import NOT_DEMONSTRATED, Status

# The one way the suite and the sign-off recognise a requirement tag: @REQ-AREA-TOPIC-01.
REQUIREMENT_PREFIX = "REQ-"
REQUIREMENT_ID = re.compile(rf"^{REQUIREMENT_PREFIX}[A-Z0-9]+(?:-[A-Z0-9]+)*$")
NO_AREA = "(no area)"
_PROPERTY = re.compile(r"([^=:\s]+)\s*[=:]\s*(.*)")


@dataclass(frozen=True)
class Scenario:
    """The latest result of one scenario (one example row of an outline counts as one).

    `outcomes` holds every attempt's status, oldest first: retries (`--retry`) and the runs of a
    stability check (`--repeat`) write one result each into the same folder. A scenario that both
    passed and failed (or broke) is *flaky*: never a clean pass, unless the sign-off waives it.
    """

    key: str
    name: str
    full_name: str
    status: Status
    message: str
    start: int
    stop: int
    epic: str
    feature: str
    story: str
    severity: str
    tags: frozenset[str]
    requirements: frozenset[str]
    outcomes: tuple[Status, ...] = ()
    waiver: str = ""  # why the sign-off accepts this flaky scenario (config/signoff.yaml flaky_waivers)

    @property
    def area(self) -> str:
        return self.epic or NO_AREA

    @property
    def attempts(self) -> int:
        return len(self.outcomes) or 1

    @property
    def flaky(self) -> bool:
        """It passed in one attempt and failed or broke in another."""
        return Status.PASSED in self.outcomes and any(o in NOT_DEMONSTRATED for o in self.outcomes)

    @property
    def unwaived_flaky(self) -> bool:
        return self.flaky and not self.waiver

    @property
    def clean_pass(self) -> bool:
        """Passed, and (unless waived) in every attempt: what a criterion that wants "passed" counts."""
        return self.status == Status.PASSED and not self.unwaived_flaky

    @property
    def attempts_text(self) -> str:
        """``failed``; ``passed after 2 attempts (failed, passed)``; ``passed in all 20 attempts``."""
        if self.attempts == 1:
            return str(self.status)
        counts = Counter(self.outcomes)
        if len(counts) == 1:
            return f"{self.status} in all {self.attempts} attempts"
        if self.attempts <= 4:
            return f"{self.status} after {self.attempts} attempts ({', '.join(self.outcomes)})"
        tally = ", ".join(f"{n} {status}" for status, n in counts.most_common())
        return f"{self.status} after {self.attempts} attempts ({tally})"

    @property
    def status_text(self) -> str:
        """attempts_text, saying ``flaky:`` first for a flaky scenario (and its waiver, if it has one)."""
        if not self.flaky:
            return self.attempts_text
        return f"flaky: {self.attempts_text}" + (f"; waived: {self.waiver}" if self.waiver else "")

    @property
    def title(self) -> str:
        """Area / feature / story / name, the way a person finds it in the report's tree."""
        parts = [self.epic, self.feature, self.story, self.name]
        return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class RunMetadata:
    """What the run says about itself (environment.properties and executor.json)."""

    environment: dict[str, str] = field(default_factory=dict)
    executor: dict[str, Any] = field(default_factory=dict)

    def pick(self, *keys: str) -> str:
        """The first of `keys` that the run states, ignoring case (`Seed`, `seed` and `SEED` are one key)."""
        by_lower = {name.lower(): value for name, value in self.environment.items()}
        for key in keys:
            value = by_lower.get(key.lower())
            if value:
                return value
        return ""

    @property
    def build(self) -> str:
        name = self.executor.get("buildName") or ""
        return self.pick("build", "build.version", "platform.build", "version") or str(name)

    @property
    def commit(self) -> str:
        return self.pick("commit", "git.commit", "suite.commit", "platform.commit", "revision")

    @property
    def environment_name(self) -> str:
        return self.pick("environment", "env", "env_name", "suite.environment")

    @property
    def seed(self) -> str:
        return self.pick("seed", "suite.seed", "faker.seed")

    @property
    def run_facts(self) -> list[tuple[str, str]]:
        """How the parallel runner ran the suite (tools/parallel_behave.py writes these keys), when it says."""
        keys = (("Runs", "runs"), ("Order", "order"), ("Retries", "retries"), ("Shards", "shards"),
                ("Workers", "workers"))
        return [(label, self.pick(key)) for label, key in keys if self.pick(key)]

    @property
    def executor_name(self) -> str:
        parts = [self.executor.get("name"), self.executor.get("buildName")]
        return " · ".join(str(p) for p in parts if p)


@dataclass(frozen=True)
class RunResults:
    scenarios: tuple[Scenario, ...]
    metadata: RunMetadata
    source: Path

    def count(self, status: Status) -> int:
        return sum(1 for s in self.scenarios if s.status == status)

    def totals(self) -> dict[str, int]:
        counts: dict[str, int] = {status: self.count(status) for status in Status}
        counts["total"] = len(self.scenarios)
        return counts

    @property
    def started(self) -> int:
        return min((s.start for s in self.scenarios if s.start), default=0)

    @property
    def finished(self) -> int:
        return max((s.stop for s in self.scenarios if s.stop), default=0)


def load_results(results_dir: Path) -> RunResults:
    """Load a results folder; a missing or empty one is a SignoffError, never a traceback."""
    if not results_dir.is_dir():
        raise SignoffError(f"no Allure results at {results_dir}: run the suite first (behave) or pass --results")
    files = sorted(results_dir.glob("*-result.json"))
    if not files:
        raise SignoffError(f"{results_dir} holds no *-result.json files: the suite has not run (or ran nothing)")
    raw = [read_json(path) for path in files]
    scenarios = latest_attempts(scenario_of(item) for item in raw if isinstance(item, dict))
    return RunResults(tuple(scenarios), read_metadata(results_dir), results_dir)


def latest_attempts(results: Iterable[Scenario]) -> list[Scenario]:
    """One Scenario per key: the latest attempt, knowing every attempt's outcome (retries, repeated runs)."""
    by_key: dict[str, list[Scenario]] = {}
    for result in results:
        by_key.setdefault(result.key, []).append(result)
    chosen = []
    for attempts in by_key.values():
        attempts.sort(key=lambda s: (s.stop, s.start))
        chosen.append(replace(attempts[-1], outcomes=tuple(s.status for s in attempts)))
    return sorted(chosen, key=lambda s: (s.area, s.feature, s.story, s.name, s.key))


def read_metadata(results_dir: Path) -> RunMetadata:
    environment: dict[str, str] = {}
    props = results_dir / "environment.properties"
    if props.is_file():
        environment = parse_properties(props.read_text(encoding="utf-8"))
    executor: dict[str, Any] = {}
    executor_file = results_dir / "executor.json"
    if executor_file.is_file():
        loaded = read_json(executor_file)
        executor = loaded if isinstance(loaded, dict) else {}
    return RunMetadata(environment, executor)


def parse_properties(text: str) -> dict[str, str]:
    """Java-style properties as Allure writes them: key=value or key: value, # comments."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#!":
            continue
        match = _PROPERTY.match(stripped)
        if match:
            props[match.group(1)] = match.group(2).strip()
    return props


def _labels(item: dict[str, Any], name: str) -> list[str]:
    return [str(lb.get("value", "")) for lb in item.get("labels") or [] if lb.get("name") == name]


def _requirements(item: dict[str, Any], tags: Iterable[str]) -> frozenset[str]:
    found = {tag for tag in tags if REQUIREMENT_ID.match(tag)}
    for link in item.get("links") or []:
        if link.get("type") == "requirement":
            for candidate in (link.get("name"), str(link.get("url", "")).rsplit("/", 1)[-1]):
                if candidate and REQUIREMENT_ID.match(str(candidate)):
                    found.add(str(candidate))
    return frozenset(found)


def result_key(item: dict[str, Any]) -> str:
    """What makes two results attempts of one scenario: allure-behave's historyId (feature, name, example row)."""
    return str(item.get("historyId") or item.get("testCaseId") or item.get("fullName") or item.get("uuid"))


def scenario_of(item: dict[str, Any]) -> Scenario:
    """One attempt, from an allure-behave result (a parsed *-result.json)."""
    tags = frozenset(_labels(item, "tag"))
    details = item.get("statusDetails") or {}
    return Scenario(
        key=result_key(item),
        name=str(item.get("name") or "(unnamed scenario)"),
        full_name=str(item.get("fullName") or item.get("name") or ""),
        status=Status.of(item.get("status")),
        message=str(details.get("message") or "").strip(),
        start=int(item.get("start") or 0),
        stop=int(item.get("stop") or item.get("start") or 0),
        epic=next(iter(_labels(item, "epic")), ""),
        feature=next(iter(_labels(item, "feature")), ""),
        story=next(iter(_labels(item, "story")), ""),
        severity=next(iter(_labels(item, "severity")), "normal"),
        tags=tags,
        requirements=_requirements(item, tags),
    )

