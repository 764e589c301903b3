"""Plan limits (contract §3); rows are per dataset."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanLimits:
    users: int
    detectors: int
    dataset_rows: int


PLAN_LIMITS: dict[str, PlanLimits] = {
    "starter": PlanLimits(users=5, detectors=3, dataset_rows=10_000),
    "growth": PlanLimits(users=50, detectors=20, dataset_rows=100_000),
    "enterprise": PlanLimits(users=1_000, detectors=200, dataset_rows=1_000_000),
}
