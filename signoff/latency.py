"""Latency budgets: the answer times a run measured per service and route, judged against the environment's budgets.

Every behave process writes `<results>/latency/<run id>.json` (`support.http.latency`):
`{"environment": name, "budgets": {...}, "samples": {"sales GET /api/v1/deals/{id}": [ms, ...]}}`.
The report, the sign-off and the gate criterion `latency_budget` add the workers' samples up and compute
p50/p95/p99 per route (nearest rank). A route is judged on its p95 against its budget: its own
(`budgets.routes` of the environment), else the reads' (GET, HEAD) or the writes' (everything else).
A route with fewer than `min_samples` answers *cannot be judged*: it says so ("cannot judge"), with its count.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

FOLDER = "latency"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_READ_P95_MS = 300.0
DEFAULT_WRITE_P95_MS = 500.0
DEFAULT_MIN_SAMPLES = 20
UNKNOWN_ROUTE = "(route not in the contract's table)"


class Judgement(StrEnum):
    WITHIN = "within"
    OVER = "over"
    NOT_JUDGED = "cannot judge"


@dataclass(frozen=True)
class LatencyBudgets:
    """The environment's budgets (milliseconds, p95): reads, writes, and per-route overrides
    keyed `"<service> <METHOD> <route template>"` (e.g. `identity POST /api/v1/auth/token`)."""

    read_p95_ms: float = DEFAULT_READ_P95_MS
    write_p95_ms: float = DEFAULT_WRITE_P95_MS
    routes: Mapping[str, float] = field(default_factory=dict)
    min_samples: int = DEFAULT_MIN_SAMPLES

    def for_route(self, service: str, method: str, template: str) -> tuple[float, str]:
        """(budget in ms, where it comes from: 'route', 'reads' or 'writes')."""
        key = route_key(service, method, template)
        if key in self.routes:
            return float(self.routes[key]), "route"
        if method.upper() in READ_METHODS:
            return self.read_p95_ms, "reads"
        return self.write_p95_ms, "writes"

    def as_dict(self) -> dict[str, Any]:
        return {"read_p95_ms": self.read_p95_ms, "write_p95_ms": self.write_p95_ms,
                "routes": dict(sorted(self.routes.items())), "min_samples": self.min_samples}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LatencyBudgets:
        return cls(read_p95_ms=float(data.get("read_p95_ms", DEFAULT_READ_P95_MS)),
                   write_p95_ms=float(data.get("write_p95_ms", DEFAULT_WRITE_P95_MS)),
                   routes={str(k): float(v) for k, v in (data.get("routes") or {}).items()},
                   min_samples=int(data.get("min_samples", DEFAULT_MIN_SAMPLES)))


def route_key(service: str, method: str, template: str) -> str:
    return f"{service} {method.upper()} {template}"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LatencyRow:
    service: str
    method: str
    template: str
    count: int
    p50: float
    p95: float
    p99: float
    budget_ms: float
    budget_from: str
    judgement: Judgement
    min_samples: int

    @property
    def key(self) -> str:
        return route_key(self.service, self.method, self.template)

    def line(self) -> str:
        """'sales GET /api/v1/deals/{id}: p95 41 ms of 300 (reads), n 312: within'."""
        if self.judgement == Judgement.NOT_JUDGED:
            return (f"{self.key}: cannot judge, {self.count} answer(s) of the {self.min_samples} needed "
                    f"(p95 {self.p95:.0f} ms, budget {self.budget_ms:.0f} ms)")
        return (f"{self.key}: p95 {self.p95:.0f} ms of {self.budget_ms:.0f} ms ({self.budget_from}), "
                f"n {self.count}: {self.judgement}")


@dataclass(frozen=True)
class LatencyTable:
    environment: str
    budgets: LatencyBudgets
    rows: tuple[LatencyRow, ...]

    def with_judgement(self, judgement: Judgement) -> tuple[LatencyRow, ...]:
        return tuple(row for row in self.rows if row.judgement == judgement)

    @property
    def answers(self) -> int:
        return sum(row.count for row in self.rows)

    def summary(self) -> str:
        over, within = self.with_judgement(Judgement.OVER), self.with_judgement(Judgement.WITHIN)
        unjudged = self.with_judgement(Judgement.NOT_JUDGED)
        return (f"{self.answers} answers on {len(self.rows)} routes: {len(within)} within budget, {len(over)} over, "
                f"{len(unjudged)} cannot be judged (fewer than {self.budgets.min_samples} answers); budgets of "
                f"'{self.environment or '?'}': reads {self.budgets.read_p95_ms:g} ms, writes "
                f"{self.budgets.write_p95_ms:g} ms at p95, {len(self.budgets.routes)} route(s) of their own")


def build_table(samples: Mapping[str, Iterable[float]], budgets: LatencyBudgets, *, environment: str = "",
                min_samples: int | None = None) -> LatencyTable:
    """One row per route, the slowest (by p95 against its budget) first."""
    needed = budgets.min_samples if min_samples is None else min_samples
    rows = []
    for key, values in samples.items():
        times = [float(v) for v in values]
        if not times:
            continue
        service, method, template = _split_key(key)
        budget, source = budgets.for_route(service, method, template)
        p95 = percentile(times, 0.95)
        if len(times) < needed:
            judgement = Judgement.NOT_JUDGED
        else:
            judgement = Judgement.WITHIN if p95 <= budget else Judgement.OVER
        rows.append(LatencyRow(service, method, template, len(times), percentile(times, 0.50), p95,
                               percentile(times, 0.99), budget, source, judgement, needed))
    rows.sort(key=lambda row: (row.judgement != Judgement.OVER, -row.p95 / row.budget_ms, row.key))
    return LatencyTable(environment, budgets, tuple(rows))


def _split_key(key: str) -> tuple[str, str, str]:
    service, _, rest = key.partition(" ")
    method, _, template = rest.partition(" ")
    return service, method, template or UNKNOWN_ROUTE


def load_latency(results: Path, *, min_samples: int | None = None) -> LatencyTable | None:
    """The run's table, every worker's samples together; None when no worker wrote any."""
    folder = results / FOLDER
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    samples: dict[str, list[float]] = defaultdict(list)
    budgets: LatencyBudgets | None = None
    environment = ""
    found = False
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for key, values in (data.get("samples") or {}).items():
                samples[str(key)].extend(float(v) for v in values)
            if budgets is None and isinstance(data.get("budgets"), dict):
                budgets = LatencyBudgets.from_dict(data["budgets"])
                environment = str(data.get("environment") or "")
            found = True
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    if not found:
        return None
    return build_table(samples, budgets or LatencyBudgets(), environment=environment, min_samples=min_samples)


def environment_entries(table: LatencyTable) -> dict[str, str]:
    """Entries for Allure's environment.properties: the summary, then one line per route."""
    entries = {"Latency budgets": table.summary()}
    for row in table.rows:
        entries[f"Latency {row.key}"] = (
            f"p50 {row.p50:.0f} ms, p95 {row.p95:.0f} ms, p99 {row.p99:.0f} ms, n {row.count}; "
            f"budget {row.budget_ms:.0f} ms ({row.budget_from}): {row.judgement}")
    return entries


TABLE_HEADERS = ("Service", "Method", "Route", "Answers", "p50 ms", "p95 ms", "p99 ms", "Budget ms", "Verdict")


def table_cells(row: LatencyRow) -> tuple[str, ...]:
    verdict = str(row.judgement) if row.judgement != Judgement.NOT_JUDGED else (
        f"cannot judge ({row.count} of {row.min_samples} answers)")
    return (row.service, row.method, row.template, str(row.count), f"{row.p50:.0f}", f"{row.p95:.0f}",
            f"{row.p99:.0f}", f"{row.budget_ms:.0f} ({row.budget_from})", verdict)
