"""Load profiles played by the cast: Acme's sales reps at work, Globex's runaway script, the platform watched.

The reps' accounts are the cast's (Rita, Ravi); Locust's users take turns with them, as many people share
a team's work, so that setting up a profile costs two sign-ins, not fifty (the per-tenant rate limit counts
the tenant, not the person). Locust's report, its CSVs, the judged table and the resource watch (table and
one chart per service) are attached to the scenario in Allure.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import allure

from support.load import capacity, resources, runner, stats
from support.load.profiles import LoadProfile
from support.load.resources import ResourceWatch, Sample
from support.load.runner import LoadRun
from support.runner import faults
from support.runner.config import SuiteConfig
from support.screenplay.actor import Actor
from support.screenplay.notes import Note
from support.screenplay.world import World

WORKING = "Acme"
FLOODING = "Globex"
REPS = {"Acme": ("Rita", "Ravi"), "Globex": ("Gina",)}
FLOODERS = 10
# On a managed platform the load runs with the contract's default allowance (§3: 100 requests/s per tenant,
# burst 200), not the environment's low one for the flood scenarios (config/environments.yaml, common_env);
# the flood profile with 40: a flood this machine can generate beside the platform must outpace it.
FLOOD_ALLOWANCE = 40
# The capacity profile measures the service, not the limiter: the allowance is out of reach.
UNLIMITED = 1_000_000
CAPACITY_THINK_S = (0.05, 0.15)
SPIKE_FROM_S = 10.0


@dataclass
class LoadOutcome:
    profile: LoadProfile
    run: LoadRun
    config: SuiteConfig
    watched: dict[str, list[Sample]] = field(default_factory=dict)
    steps: list[capacity.Step] = field(default_factory=list)  # a shaped profile's steps (the capacity knee)

    def knee(self) -> capacity.Step | None:
        return capacity.knee(self.steps, self.config.load.knee_p95_ms)

    def capacity_faults(self) -> list[str]:
        floor, found = self.config.load.capacity_floor_rps, self.knee()
        if found is None:
            return [f"no knee: not even the first step kept p95 at or under {self.config.load.knee_p95_ms:g} ms "
                    "without errors"]
        if found.rps < floor:
            return [f"the knee is at {found.users} users, {found.rps:.0f} requests/s: under the environment's "
                    f"capacity floor of {floor:g} requests/s"]
        return []

    def rows(self, tenant: str = WORKING) -> list[stats.RequestStats]:
        return stats.of_tenant(self.run.stats, tenant)

    def budget_faults(self, tenant: str = WORKING) -> list[str]:
        return stats.budget_faults(self.rows(tenant), self.config.budgets)

    def error_faults(self, tenant: str = WORKING) -> list[str]:
        return stats.error_faults(self.rows(tenant), self.run.failures, self.config.load.max_error_rate_pct)

    def throughput(self, tenant: str = WORKING) -> float:
        return stats.throughput(self.rows(tenant))

    def slowed_down(self, tenant: str) -> int:
        return stats.told_to_slow_down(self.run.failures, tenant)

    def memory_faults(self) -> list[str]:
        if not self.watched:
            return ["cannot judge: the services' memory was not watched (not a managed environment)"]
        found = {name: resources.memory_growth(series) for name, series in self.watched.items()}
        return [f"{name}: {fault}" for name, fault in found.items() if fault]

    def summary(self) -> str:
        rows = self.rows()
        requests = sum(row.requests for row in rows)
        worst = max((row.p95 for row in rows), default=0.0)
        failures = "; ".join(f"{f.method} {f.name}: {f.error} x{f.occurrences}" for f in self.run.failures[:4])
        return (f"{self.profile.name}: {requests} requests of {WORKING} (Locust ran {self.run.seconds:.1f} s), "
                f"{self.throughput():.1f} requests/s, worst p95 {worst:.0f} ms, "
                f"{sum(row.failures for row in rows)} failed; Locust workers: {self.run.workers or 'none'}"
                + (f"; failures: {failures}" if failures else ""))


LOAD: Note[LoadOutcome] = Note("load run")


def account(actor: Actor) -> dict[str, str]:
    return {"token": actor.access_token(), "slug": actor.tenant.slug, "email": actor.email,
            "password": actor.password.reveal()}


def plan_for(world: World, profile: LoadProfile) -> dict[str, Any]:
    tenants = [WORKING, FLOODING] if profile.flooders else [WORKING]
    return {"urls": {name: world.config.base_url(name) for name in ("identity", "sales")},
            "people": {tenant: [account(world.member(name)) for name in REPS[tenant]] for tenant in tenants},
            "working_tenant": WORKING, "flooding_tenant": FLOODING, "reps": profile.reps,
            "flooders": profile.flooders, "flood_rps_per_user": profile.flood_rps_per_user,
            "think_seconds": list(profile.think_seconds), "stages": [list(stage) for stage in profile.stages]}


def play(world: World, profile: LoadProfile) -> LoadOutcome:
    """Run the profile against the environment, watching the managed services, and attach the evidence."""
    if world.platform is not None:
        faults.reconfigure(world, "sales", RATE_LIMIT_PER_TENANT=str(profile.allowance),
                           WEB_CONCURRENCY=str(world.config.load.sales_workers))
    plan = plan_for(world, profile)
    users = ["SalesRep", "Flooder"] if profile.flooders else ["SalesRep"]
    pids = _service_pids(world)
    with tempfile.TemporaryDirectory(prefix="load-") as folder:
        with ResourceWatch(pids) as watch:
            run = runner.run(profile, plan, world.config, Path(folder), users)
        history = Path(folder) / f"{runner.PREFIX}_stats_history.csv"
        steps = capacity.read_steps(history) if profile.stages and history.is_file() else []
        outcome = LoadOutcome(profile, run, world.config, watch.samples, steps)
        attach(outcome, Path(folder))
    return world.mention(LOAD, outcome)


def _service_pids(world: World) -> dict[str, int]:
    if world.platform is None:
        return {}
    found = {name: world.platform.pid(name) for name in world.config.services}
    return {name: pid for name, pid in found.items() if pid is not None}


def attach(outcome: LoadOutcome, folder: Path) -> None:
    judged = stats.table(outcome.run.stats, outcome.config.budgets)
    allure.attach(outcome.summary() + "\n\n" + judged, name="load: requests against the budgets",
                  attachment_type=allure.attachment_type.TEXT)
    for path in outcome.run.files:
        kind = allure.attachment_type.HTML if path.suffix == ".html" else allure.attachment_type.CSV
        allure.attach.file(str(path), name=f"Locust {path.name}", attachment_type=kind)
    if outcome.steps:
        limit = outcome.config.load.knee_p95_ms
        allure.attach(capacity.describe(outcome.steps, limit), name="steps and the knee",
                      attachment_type=allure.attachment_type.TEXT)
        png = capacity.chart(outcome.steps, limit, folder / "capacity.png")
        allure.attach.file(str(png), name="capacity: throughput and p95 per step",
                           attachment_type=allure.attachment_type.PNG)
        print(capacity.describe(outcome.steps, limit))
    if outcome.watched:
        allure.attach(resources.table(outcome.watched), name="resources of each service",
                      attachment_type=allure.attachment_type.TEXT)
        for name, series in outcome.watched.items():
            if series:
                png = resources.chart(name, series, folder / f"resources-{name}.png")
                allure.attach.file(str(png), name=f"{name}: memory and CPU", attachment_type=allure.attachment_type.PNG)
    print(outcome.summary() + "\n" + judged)


# -- the profiles, in the words of the features ----------------------------------------------------------
def work_at_once(world: World, reps: int, seconds: float) -> LoadOutcome:
    return play(world, LoadProfile(f"{reps} sales reps work at once", reps=reps, seconds=seconds))


def flood_while_working(world: World, reps: int, seconds: float) -> LoadOutcome:
    return play(world, LoadProfile(f"{FLOODING} floods while {reps} reps of {WORKING} work", reps=reps,
                                   seconds=seconds, flooders=FLOODERS, allowance=FLOOD_ALLOWANCE))


def spike(world: World, low: int, high: int, seconds: float) -> LoadOutcome:
    stages = ((SPIKE_FROM_S, low, low), (SPIKE_FROM_S + seconds, high, float(high)),
              (2 * SPIKE_FROM_S + seconds, low, float(high)))
    return play(world, LoadProfile(f"a spike from {low} to {high} people", reps=low, seconds=0, stages=stages))


def steady_work(world: World, reps: int, minutes: float) -> LoadOutcome:
    return play(world, LoadProfile(f"{reps} reps work steadily for {minutes:g} minutes", reps=reps,
                                   seconds=minutes * 60))



def capacity_steps(world: World, step: int, seconds: int, top: int) -> LoadOutcome:
    stages = tuple(((i + 1) * float(seconds), step * (i + 1), float(step)) for i in range(top // step))
    return play(world, LoadProfile(f"capacity: {step} more reps every {seconds} s up to {top}", reps=step, seconds=0,
                                   stages=stages, think_seconds=CAPACITY_THINK_S, allowance=UNLIMITED))
