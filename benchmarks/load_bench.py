"""The reference platform under the suite's own Locust load profiles, figures printed (never a verdict).

Starts the managed platform (environment "local", free loopback ports, temporary data), then plays the same
profiles as features/performance with the same cast (support/tasks/load.py): by default "50 sales reps work at
once" for 12 s; `--flood` adds Globex's flood; `--capacity` the step-load profile and its knee. Prints the
requests per type with p50/p95/p99, requests/s, failures, the services' resources, and the knee.
`--workers N` runs Locust as a master and N local workers; `--sales-workers N` runs sales as N worker processes
(default: the environment's `load.sales_workers`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support.load import resources  # noqa: E402
from support.runner.config import load_config  # noqa: E402
from support.runner.launcher import ManagedPlatform, new_run_id  # noqa: E402
from support.screenplay.world import World  # noqa: E402
from support.tasks import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--flood", action="store_true", help="Globex floods while Acme's reps work")
    parser.add_argument("--capacity", action="store_true", help="20 more reps every 10 s up to 200: the knee")
    parser.add_argument("--workers", type=int, default=0, help="Locust master + N local workers")
    parser.add_argument("--sales-workers", type=int, default=None,
                        help="worker processes of the sales service while the profile plays (default: the "
                             "environment's load.sales_workers)")
    args = parser.parse_args()
    overrides = {"load.workers": str(args.workers)}
    if args.sales_workers is not None:
        overrides["load.sales_workers"] = str(args.sales_workers)
    config = load_config(overrides, os.environ)
    started = time.monotonic()
    with ManagedPlatform(config, run_id=new_run_id(), logs_root=ROOT / "logs") as platform:
        world = World(config.with_platform(platform.base_urls, platform.signing_key_pem), seed=config.seed,
                      platform=platform)
        try:
            if args.capacity:
                outcome = load.capacity_steps(world, 20, 10, 200)
            elif args.flood:
                outcome = load.flood_while_working(world, args.reps, args.seconds)
            else:
                outcome = load.work_at_once(world, args.reps, args.seconds)
        finally:
            world.close()
    print(resources.table(outcome.watched))
    print(f"judged against the budgets of '{config.env_name}': "
          + ("; ".join(outcome.budget_faults() + outcome.error_faults()) or "within budget, no errors"))
    print(f"benchmark took {time.monotonic() - started:.1f} s, platform start and stop included")


if __name__ == "__main__":
    main()
