"""Plan limits (contract §3); rows are per dataset."""

PLAN_LIMITS: dict[str, dict[str, int]] = {
    "starter": {"users": 5, "detectors": 3, "dataset_rows": 10_000},
    "growth": {"users": 50, "detectors": 20, "dataset_rows": 100_000},
    "enterprise": {"users": 1_000, "detectors": 200, "dataset_rows": 1_000_000},
}
PLANS = frozenset(PLAN_LIMITS)
