"""The run record: reports/run/run.json, the machine-readable account of a parallel run (or of the N runs of
a stability check): the plan and its fingerprint (so shards can be checked to belong together), how each
worker ended, and per scenario the outcome of every attempt, with the flaky ones listed.

The report and the sign-off read the same facts from allure-results/ itself (every attempt's result is
there); `run_facts` adds how the run was made (runs, order, retries, shards, workers) to its
environment.properties, where the sign-off shows them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from parallel.plan import Planned
from parallel.session import RunReport, is_flaky, outcomes
from signoff.results import parse_properties
from signoff.statuses import NOT_DEMONSTRATED, Status

VERSION = 1


def build(planned: Sequence[Planned], runs: Sequence[RunReport], *, plan: Mapping[str, Any],
          settings: Mapping[str, Any]) -> dict[str, Any]:
    found = outcomes(runs)
    titles = {attempt.key: attempt.title for run in runs for attempt in run.attempts}
    scenarios = {
        item.key: {"title": titles.get(item.key, item.title), "location": item.location,
                   "outcomes": [str(status) for status in found.get(item.key, [])]}
        for item in planned
    }
    return {
        "version": VERSION,
        "plan": {**plan, "keys": sorted(item.key for item in planned)},
        "settings": dict(settings),
        "runs": [_run(run) for run in runs],
        "scenarios": scenarios,
        "summary": summary(scenarios, unfinished=sum(len(run.unfinished) for run in runs)),
        "flaky": flaky_entries(scenarios),
    }


def summary(scenarios: Mapping[str, Mapping[str, Any]], *, unfinished: int) -> dict[str, int]:
    """Counts by each scenario's latest outcome; flaky ones also count as flaky."""
    counts = dict.fromkeys(("planned", "passed", "failed", "skipped", "flaky", "unfinished", "without_result"), 0)
    counts["planned"] = len(scenarios)
    for entry in scenarios.values():
        statuses = _statuses(entry)
        if not statuses:
            counts["without_result"] += 1
            continue
        last = statuses[-1]
        counts["passed" if last == Status.PASSED else "failed" if last in NOT_DEMONSTRATED else "skipped"] += 1
        counts["flaky"] += is_flaky(statuses)
    counts["unfinished"] = unfinished
    return counts


def write(path: Path, record: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def read(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"{path} is not a run record of this runner (version {VERSION})")
    return data


def add_run_facts(results: Path, facts: Mapping[str, str]) -> None:
    """Add (or replace) keys of the results' environment.properties, keeping what the workers wrote."""
    path = results / "environment.properties"
    current = parse_properties(path.read_text(encoding="utf-8")) if path.is_file() else {}
    lowered = {key.lower() for key in facts}
    kept = {key: value for key, value in current.items() if key.lower() not in lowered}
    lines = [f"{key}={value}" for key, value in {**kept, **facts}.items()]
    results.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(run: RunReport) -> dict[str, Any]:
    return {
        "number": run.number,
        "seed": run.seed,
        "seconds": round(run.seconds, 1),
        "workers": [{**asdict(worker), "seconds": round(worker.seconds, 1)} for worker in run.workers],
        "unfinished": [item.location for item in run.unfinished],
        "without_result": [item.location for item in run.unreported],
    }


def flaky_entries(scenarios: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"key": key, **entry} for key, entry in scenarios.items() if is_flaky(_statuses(entry))]


def _statuses(entry: Mapping[str, Any]) -> list[Status]:
    return [Status.of(value) for value in entry.get("outcomes", [])]
