"""Locust's CSV statistics, read back and judged: p95 per request type against the environment's budgets,
the error rate, the throughput. Request names are "<Tenant> <service> <route template>" (support/load/locustfile.py)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from signoff.latency import LatencyBudgets, route_key

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class RequestStats:
    method: str
    tenant: str
    service: str
    template: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float

    @property
    def key(self) -> str:
        return route_key(self.service, self.method, self.template)

    @property
    def label(self) -> str:
        return f"{self.tenant} {self.key}"


@dataclass(frozen=True)
class Failure:
    method: str
    name: str
    error: str
    occurrences: int


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:  # "N/A" when nothing was answered
        return 0.0


def read_stats(path: Path) -> list[RequestStats]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == AGGREGATED:
                continue
            tenant, service, template = [*row["Name"].split(" ", 2), "", ""][:3]
            rows.append(RequestStats(row["Type"], tenant, service, template, int(row["Request Count"]),
                                     int(row["Failure Count"]), _number(row["50%"]), _number(row["95%"]),
                                     _number(row["99%"]), _number(row["Requests/s"])))
    return rows


def read_failures(path: Path) -> list[Failure]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [Failure(row["Method"], row["Name"], row["Error"], int(row["Occurrences"]))
                for row in csv.DictReader(handle)]


def of_tenant(rows: Sequence[RequestStats], tenant: str) -> list[RequestStats]:
    return [row for row in rows if row.tenant == tenant]


def budget_faults(rows: Sequence[RequestStats], budgets: LatencyBudgets) -> list[str]:
    """Each request type over its budget at p95, or measured too seldom to judge (never a silent pass)."""
    if not rows:
        return ["cannot judge: no request was measured"]
    faults = []
    for row in rows:
        budget, source = budgets.for_route(row.service, row.method, row.template)
        if row.requests < budgets.min_samples:
            faults.append(f"{row.label}: cannot judge, {row.requests} answer(s) of the {budgets.min_samples} needed")
        elif row.p95 > budget:
            faults.append(f"{row.label}: p95 {row.p95:.0f} ms over its budget of {budget:.0f} ms ({source}), "
                          f"n {row.requests}")
    return faults


def error_faults(rows: Sequence[RequestStats], failures: Sequence[Failure], max_pct: float) -> list[str]:
    requests = sum(row.requests for row in rows)
    failed = sum(row.failures for row in rows)
    if not requests:
        return ["cannot judge: no request was measured"]
    if failed * 100 <= max_pct * requests:
        return []
    names = {row.tenant + " " + row.service + " " + row.template for row in rows}
    why = [f"{f.method} {f.name}: {f.error} x{f.occurrences}" for f in failures if f.name in names]
    return [f"{failed} of {requests} requests failed ({100 * failed / requests:.2f} %, at most {max_pct:g} % "
            f"allowed): " + "; ".join(why[:5])]


def throughput(rows: Sequence[RequestStats]) -> float:
    return sum(row.rps for row in rows)


def told_to_slow_down(failures: Sequence[Failure], tenant: str) -> int:
    return sum(f.occurrences for f in failures if f.name.startswith(tenant + " ") and "slow down" in f.error)


def table(rows: Sequence[RequestStats], budgets: LatencyBudgets) -> str:
    """A plain-text table for the scenario's attachments and the terminal."""
    lines = [f"{'request':<52} {'n':>7} {'fail':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'budget':>7} {'req/s':>7}"]
    for row in rows:
        budget, _ = budgets.for_route(row.service, row.method, row.template)
        lines.append(f"{row.label:<52} {row.requests:>7} {row.failures:>6} {row.p50:>6.0f} {row.p95:>6.0f} "
                     f"{row.p99:>6.0f} {budget:>7.0f} {row.rps:>7.1f}")
    return "\n".join(lines)
