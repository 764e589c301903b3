"""Merge the shards of one plan into one allure-results/ and one run record, after checking they belong
together: the same plan (fingerprint), every shard 1..N exactly once, no scenario twice, none missing.
Then the report, the gate and the sign-off read the merged folder like any other run.

Each shard folder is what a shard's CI job keeps: its `allure-results/` and its run record
(`reports/run/run.json`, or `run.json` at the top).
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parallel import record, timings
from signoff.results import load_results
from support.runner.reporting import clear_previous_results

SINGLE_FILES = ("environment.properties", "executor.json", "categories.json")


class MergeError(Exception):
    """The shards cannot be merged (missing, duplicated, of another plan); the message says which."""


@dataclass(frozen=True)
class Shard:
    folder: Path
    results: Path
    record: dict[str, Any]

    @property
    def index(self) -> int:
        return int(self.record["plan"]["shard"]["index"])


def load(folder: Path) -> Shard:
    results = folder / "allure-results" if (folder / "allure-results").is_dir() else folder
    for candidate in (folder / "reports" / "run" / "run.json", folder / "run.json"):
        if candidate.is_file():
            try:
                data = record.read(candidate)
            except ValueError as exc:
                raise MergeError(str(exc)) from None
            if not (data.get("plan") or {}).get("shard"):
                raise MergeError(f"{candidate}: not a shard's record (run it with --shard K/N)")
            return Shard(folder, results, data)
    raise MergeError(f"{folder}: no run record (reports/run/run.json or run.json)")


def check(shards: Sequence[Shard]) -> None:
    if not shards:
        raise MergeError("no shard folders given")
    plans = {(s.record["plan"]["fingerprint"], s.record["plan"]["shard"]["count"]) for s in shards}
    if len(plans) != 1:
        raise MergeError("the shards come from different plans (fingerprint, shard count): "
                         f"{sorted(plans)}; give every shard the same features, tags, --timings and --shuffle")
    (_, count), = plans
    indexes = sorted(s.index for s in shards)
    if indexes != list(range(1, count + 1)):
        raise MergeError(f"expected shards 1..{count} once each, got {indexes}")
    seen: set[str] = set()
    for shard in shards:
        keys = set(shard.record["plan"]["keys"])
        if keys & seen:
            raise MergeError(f"shard {shard.index} repeats {len(keys & seen)} scenario(s) of another shard")
        seen |= keys
    total = shards[0].record["plan"]["shard"]["planned_total"]
    if len(seen) != total:
        raise MergeError(f"the shards hold {len(seen)} scenarios; the plan has {total}")


EVIDENCE_FOLDERS = ("api", "conformance", "latency", "resources")


def merge(folders: Sequence[Path], out: Path, record_out: Path, timings_file: Path | None = None) -> dict[str, Any]:
    """Check, then merge; `timings_file` (the shards leave it alone) learns every shard's durations."""
    shards = sorted((load(folder) for folder in folders), key=lambda s: s.index)
    check(shards)
    out.mkdir(parents=True, exist_ok=True)
    clear_previous_results(out)
    for shard in shards:
        for path in shard.results.iterdir():
            if path.is_file() and (path.name not in SINGLE_FILES or shard is shards[0]):
                shutil.copy2(path, out / path.name)
        for folder in EVIDENCE_FOLDERS:  # one file per behave process (api/: the same documents in each shard)
            for path in sorted((shard.results / folder).glob("*.json")):
                (out / folder).mkdir(exist_ok=True)
                shutil.copy2(path, out / folder / path.name)
    merged = _merged_record(shards)
    record.add_run_facts(out, {"Shards": f"{len(shards)} merged"})
    record.write(record_out, merged)
    if timings_file is not None:
        attempts = [attempt for shard in shards for attempt in load_results(shard.results).scenarios]
        timings.write(timings_file, timings.updated(timings.read(timings_file), attempts))
    return merged


def _merged_record(shards: Sequence[Shard]) -> dict[str, Any]:
    first = shards[0].record
    scenarios: dict[str, Any] = {}
    runs = []
    for shard in shards:
        scenarios.update(shard.record["scenarios"])
        runs += [{**run, "shard": shard.index} for run in shard.record["runs"]]
    plan = {key: value for key, value in first["plan"].items() if key not in ("shard", "keys")}
    unfinished = sum(len(run["unfinished"]) for run in runs)
    return {
        "version": record.VERSION,
        "plan": {**plan, "merged_shards": len(shards), "keys": sorted(scenarios)},
        "settings": first["settings"],
        "runs": runs,
        "scenarios": scenarios,
        "summary": record.summary(scenarios, unfinished=unfinished),
        "flaky": record.flaky_entries(scenarios),
    }
