"""Capacity: the knee of a step-load run, read from Locust's per-second history (`locust_stats_history.csv`).

Each step is a number of users held for a while. A step's figures come from its second half (the first half
is the ramp and Locust's rolling window catching up): p95 the median of the per-second p95s, throughput the
mean requests/s, errors the failures counted during the step. The knee is the last step, before the first
one that breaks (p95 over the limit, or any error), that kept p95 at or under the limit without errors:
(users, requests/s) is the platform's capacity on this environment.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Step:
    users: int
    rps: float
    p95: float
    errors: int

    def holds(self, limit_ms: float) -> bool:
        return self.p95 <= limit_ms and self.errors == 0


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def read_steps(path: Path) -> list[Step]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] == AGGREGATED and int(row["User Count"]) > 0]
    steps = []
    failed_before = 0
    for users, group in groupby(rows, key=lambda row: int(row["User Count"])):
        seconds = list(group)
        settled = seconds[len(seconds) // 2:]
        failed_after = int(_number(seconds[-1]["Total Failure Count"]))
        if len(settled) >= 2:
            steps.append(Step(users, statistics.fmean(_number(r["Requests/s"]) for r in settled),
                              statistics.median(_number(r["95%"]) for r in settled), failed_after - failed_before))
        failed_before = failed_after
    return steps


def knee(steps: Sequence[Step], limit_ms: float) -> Step | None:
    """The last step that held before the first that broke; None when not even the first step held."""
    found = None
    for step in steps:
        if not step.holds(limit_ms):
            break
        found = step
    return found


def describe(steps: Sequence[Step], limit_ms: float) -> str:
    lines = [f"{'users':>6} {'req/s':>8} {'p95 ms':>7} {'errors':>7}  held (p95 <= {limit_ms:g} ms, no errors)"]
    lines += [f"{s.users:>6} {s.rps:>8.1f} {s.p95:>7.0f} {s.errors:>7}  {'yes' if s.holds(limit_ms) else 'no'}"
              for s in steps]
    found = knee(steps, limit_ms)
    lines.append(f"knee: {found.users} users, {found.rps:.0f} requests/s (p95 {found.p95:.0f} ms)" if found
                 else "knee: none, not even the first step held")
    return "\n".join(lines)


def chart(steps: Sequence[Step], limit_ms: float, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, throughput = pyplot.subplots(figsize=(7, 4))
    users = [s.users for s in steps]
    throughput.plot(users, [s.rps for s in steps], marker="o", color="tab:blue")
    throughput.set_xlabel("users")
    throughput.set_ylabel("requests/s", color="tab:blue")
    latency = throughput.twinx()
    latency.plot(users, [s.p95 for s in steps], marker="s", color="tab:red")
    latency.axhline(limit_ms, color="tab:red", linestyle="--", linewidth=0.8)
    latency.set_ylabel("p95 ms", color="tab:red")
    found = knee(steps, limit_ms)
    if found is not None:
        throughput.axvline(found.users, color="grey", linestyle=":")
    throughput.set_title("capacity: throughput and p95 per step" + (f" (knee {found.users} users)" if found else ""))
    figure.tight_layout()
    figure.savefig(out)
    pyplot.close(figure)
    return out
