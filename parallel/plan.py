"""Which scenarios run, and where: one entry per scenario (each outline row is one), read with behave's parser.

Shares are balanced by weight: the last run's seconds for the scenario (timings.py), else its steps at
STEP_SECONDS each. Without a seed the heaviest go first, each to the least loaded share (deterministic,
so N shards on N machines agree given the same timings); with a seed (shuffled runs) the order is drawn
from the seed, so each run also mixes which scenarios share a platform.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allure_behave.utils import scenario_history_id
from behave.parser import parse_file

STEP_SECONDS = 0.25  # a step's typical time here, for scenarios the timings do not know yet


@dataclass(frozen=True)
class Planned:
    key: str  # Allure's historyId: what the results call this scenario
    location: str  # file:line, as behave selects it
    name: str
    feature: str
    steps: int
    scenario: Any = field(compare=False, repr=False)  # behave's parsed Scenario

    @property
    def title(self) -> str:
        return f"{self.feature} / {self.name}"


def collect(paths: Sequence[Path], *, tag_expression: Any = None, language: str | None = None) -> list[Planned]:
    """The scenarios under `paths` (folders or .feature files) that the tag expression selects, in file order."""
    planned = []
    for path in _feature_files(paths):
        feature = parse_file(str(path), language=language)
        if feature is None:
            continue
        for scenario in feature.walk_scenarios():
            if tag_expression is not None and not scenario.should_run_with_tags(tag_expression):
                continue
            planned.append(Planned(
                key=scenario_history_id(scenario), location=f"{path}:{scenario.line}", name=scenario.name,
                feature=feature.name, steps=sum(1 for _ in scenario.all_steps),
                scenario=scenario))
    return planned


def weights(planned: Sequence[Planned], timings: Mapping[str, float]) -> dict[str, float]:
    return {p.key: timings.get(p.key, p.steps * STEP_SECONDS) for p in planned}


def share_out(planned: Sequence[Planned], count: int, weight: Mapping[str, float], *,
              seed: int | None = None) -> list[list[Planned]]:
    """Exactly `count` shares (some may be empty); each scenario goes to the least loaded share so far."""
    if seed is None:
        order = sorted(planned, key=lambda p: (-weight[p.key], p.location))
    else:
        order = sorted(planned, key=lambda p: p.location)
        random.Random(seed).shuffle(order)
    shares: list[list[Planned]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for item in order:
        lightest = loads.index(min(loads))
        shares[lightest].append(item)
        loads[lightest] += weight[item.key]
    return shares


def fingerprint(shares: Sequence[Sequence[Planned]]) -> str:
    """The same for every shard of one plan, and different if any scenario moved or changed."""
    digest = hashlib.sha256()
    for number, share in enumerate(shares, 1):
        for item in sorted(share, key=lambda p: p.key):
            digest.update(f"{number}:{item.key}:{item.location}\n".encode())
    return digest.hexdigest()[:16]


def _feature_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        found = sorted(path.rglob("*.feature")) if path.is_dir() else [path]
        files += [f for f in found if f not in files]
    return files
