"""The quality gate: criteria from config/gate.yaml, evaluated on the latest scenario results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signoff.bites import BiteScore
from signoff.catalogue import Requirement
from signoff.coverage import requirement_verdicts
from signoff.drift import ApiDrift
from signoff.errors import SignoffError
from signoff.files import read_yaml_mapping
from signoff.latency import Judgement, LatencyTable
from signoff.results import Scenario
from signoff.statuses import RAN, Mark, Status, Verdict


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str
    description: str
    options: Mapping[str, Any]


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    passed: bool
    summary: str
    offenders: tuple[str, ...] = ()


@dataclass(frozen=True)
class GateResult:
    results: tuple[CriterionResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[CriterionResult, ...]:
        return tuple(r for r in self.results if not r.passed)


Check = Callable[[Criterion, Sequence[Scenario], Sequence[Requirement]], CriterionResult]
DriftOf = Callable[[Criterion], ApiDrift]  # the API drift a criterion judges (its `snapshots:` folder)
NO_BREAKING_API_CHANGE = "no_breaking_api_change"
BitesOf = Callable[[Criterion], BiteScore]  # the bite score a criterion judges (its `junit:` file)
BITES_CAUGHT = "bites_caught"
LatencyOf = Callable[[Criterion], "LatencyTable | None"]  # the run's latency table (its `min_samples:` applied)
LATENCY_BUDGET = "latency_budget"
UNJUDGED_CHOICES = ("report", "fail")


@dataclass(frozen=True)
class GateConfig:
    criteria: tuple[Criterion, ...]
    catalogue: str | None

    @property
    def needs_catalogue(self) -> bool:
        return any(c.kind in ("requirements_covered", "requirements_verified") for c in self.criteria)


def load_gate(path: Path) -> GateConfig:
    data = read_yaml_mapping(path, "gate configuration")
    items = data.get("criteria")
    if not isinstance(items, list) or not items:
        raise SignoffError(f"{path} has no 'criteria:' list")
    criteria = []
    for index, item in enumerate(items):
        if not isinstance(item, Mapping) or item.get("kind") not in KINDS:
            kinds = ", ".join(sorted(KINDS))
            raise SignoffError(f"{path}: criterion {index + 1} needs a kind, one of: {kinds}")
        options = {k: v for k, v in item.items() if k not in ("id", "kind", "description")}
        if item["kind"] == LATENCY_BUDGET and str(options.get("unjudged", "fail")) not in UNJUDGED_CHOICES:
            raise SignoffError(f"{path}: criterion {index + 1}: unjudged must be one of {', '.join(UNJUDGED_CHOICES)}")
        crit_id = str(item.get("id") or f"criterion-{index + 1}")
        criteria.append(Criterion(crit_id, str(item["kind"]), str(item.get("description") or crit_id), options))
    catalogue = data.get("catalogue")
    return GateConfig(tuple(criteria), str(catalogue) if catalogue else None)


def evaluate(
    criteria: Sequence[Criterion], scenarios: Sequence[Scenario], catalogue: Sequence[Requirement],
    *, drift: DriftOf | None = None, bites: BitesOf | None = None, latency: LatencyOf | None = None,
) -> GateResult:
    def judge(c: Criterion) -> CriterionResult:
        if c.kind == NO_BREAKING_API_CHANGE:
            return _no_breaking_api_change(c, drift)
        if c.kind == BITES_CAUGHT:
            return _bites_caught(c, bites)
        if c.kind == LATENCY_BUDGET:
            return _latency_budget(c, latency)
        return CHECKS[c.kind](c, scenarios, catalogue)
    return GateResult(tuple(judge(c) for c in criteria))


def _bites_caught(c: Criterion, bites_of: BitesOf | None) -> CriterionResult:
    """At least ``min_caught`` (a fraction, default 1.0) of the mutants that are not known gaps were caught,
    and the control run passed. Fails when there is no junit to read (a check that cannot decide never passes)."""
    if bites_of is None:
        return CriterionResult(c, False, "cannot decide: no pytest junit to read the mutant runs from")
    score = bites_of(c)
    if not score.measured:
        return CriterionResult(c, False, score.summary())
    minimum = float(c.options.get("min_caught", 1.0))
    offenders = tuple(score.survivor_lines())
    if score.control != "passed":
        offenders += (f"control run without mutant {score.control or 'missing from the junit'}: "
                      "a red mutant run proves nothing without it",)
    ok = score.control == "passed" and score.judged > 0 and score.caught_fraction >= minimum
    summary = f"{score.summary()}; {score.caught_fraction:.0%} of {score.judged} caught (minimum {minimum:.0%})"
    return CriterionResult(c, ok, summary, offenders)
def _latency_budget(c: Criterion, latency_of: LatencyOf | None) -> CriterionResult:
    """Every route answered within its budget at p95. A route with too few answers cannot be judged and fails
    the criterion, saying so, unless the criterion allows it explicitly (`unjudged: report`: listed, not
    failing); a run in which no route could be judged fails whatever `unjudged` says: a gate never passes on
    nothing."""
    table = latency_of(c) if latency_of is not None else None
    if table is None:
        return CriterionResult(c, False, "cannot judge: the run recorded no answer times (no latency/ in the results)")
    services = set(_as_list(c.options.get("services")))
    rows = [row for row in table.rows if not services or row.service in services]
    judged = [row for row in rows if row.judgement != Judgement.NOT_JUDGED]
    over = [row for row in rows if row.judgement == Judgement.OVER]
    unjudged = [row for row in rows if row.judgement == Judgement.NOT_JUDGED]
    unjudged_fails = str(c.options.get("unjudged", "fail")) == "fail"
    needed = rows[0].min_samples if rows else table.budgets.min_samples
    summary = (f"{len(judged) - len(over)} of {len(judged)} routes within budget at p95, {len(over)} over; "
               f"{len(unjudged)} cannot be judged (fewer than {needed} answers"
               + (", which fails this criterion)" if unjudged_fails else ", allowed by unjudged: report)"))
    offenders = tuple(f"over budget {row.line()}" for row in over)
    if unjudged_fails:
        offenders += tuple(row.line() for row in unjudged)
    if not judged:
        return CriterionResult(c, False, f"cannot judge: no route was measured {needed} times or more; "
                                         + summary, offenders)
    return CriterionResult(c, not over and not (unjudged_fails and unjudged), summary, offenders)


def _no_breaking_api_change(c: Criterion, drift_of: DriftOf | None) -> CriterionResult:
    """No operation removed, no request field newly required, no response field removed or retyped since the
    last accepted release of the environment. Cannot decide (fails) when the run captured no API description
    or misses a service of the accepted release; passes when no release was accepted yet."""
    if drift_of is None:
        return CriterionResult(c, False, "cannot decide: no run results to compare the API of")
    drift = drift_of(c)
    offenders = tuple(change.line() for change in drift.breaking)
    offenders += tuple(f"cannot compare {service}: this run did not capture its API description"
                       for service in drift.uncaptured)
    return CriterionResult(c, bool(drift.captured) and not offenders, drift.summary(), offenders)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def selects(scenario: Scenario, select: Mapping[str, Any]) -> bool:
    """Keys are ANDed, the values listed under one key ORed: {tags: [smoke], areas: [Sales]}."""
    tags, severities, areas = (_as_list(select.get(k)) for k in ("tags", "severities", "areas"))
    return (
        (not tags or bool(scenario.tags & set(tags)))
        and (not severities or scenario.severity in severities)
        and (not areas or scenario.area in areas)
    )


def _line(scenario: Scenario) -> str:
    if scenario.unwaived_flaky:
        return f"{'flaky':<8} {scenario.title}: {scenario.attempts_text}"
    reason = f": {scenario.message.splitlines()[0]}" if scenario.message else ""
    return f"{scenario.status:<8} {scenario.title}{reason}"


def _all_passed(c: Criterion, scenarios: Sequence[Scenario], _: Sequence[Requirement]) -> CriterionResult:
    chosen = [s for s in scenarios if selects(s, c.options.get("select") or {})]
    if not chosen:
        ok = bool(c.options.get("allow_empty", False))
        return CriterionResult(c, ok, "no scenario matches" + ("" if ok else " (nothing was checked)"))
    allow_skipped = bool(c.options.get("allow_skipped", False))
    bad = [s for s in chosen if not (s.clean_pass or (allow_skipped and s.status == Status.SKIPPED))]
    summary = f"{len(chosen) - len(bad)} of {len(chosen)} passed"
    return CriterionResult(c, not bad, summary, tuple(_line(s) for s in bad))


def _no_product_defects(c: Criterion, scenarios: Sequence[Scenario], _: Sequence[Requirement]) -> CriterionResult:
    areas = _as_list(c.options.get("areas"))
    chosen = [s for s in scenarios if not areas or s.area in areas]
    bad = [s for s in chosen if s.status == Status.FAILED]
    where = ", ".join(areas) if areas else "all areas"
    summary = f"{len(bad)} product defect(s) in {where}"
    return CriterionResult(c, not bad, summary, tuple(_line(s) for s in bad))


def _min_pass_rate(c: Criterion, scenarios: Sequence[Scenario], _: Sequence[Requirement]) -> CriterionResult:
    minimum = float(c.options.get("minimum", 100))
    counted_statuses = set(Status) if c.options.get("count_skipped", False) else set(RAN)
    counted = [s for s in scenarios if s.status in counted_statuses]
    if not counted:
        return CriterionResult(c, False, "no scenario ran, so there is no pass rate")
    rate = 100.0 * sum(1 for s in counted if s.clean_pass) / len(counted)
    summary = f"pass rate {rate:.1f}% of {len(counted)} scenarios (minimum {minimum:g}%)"
    offenders = tuple(_line(s) for s in counted if not s.clean_pass) if rate < minimum else ()
    return CriterionResult(c, rate >= minimum, summary, offenders)


def _no_flaky(c: Criterion, scenarios: Sequence[Scenario], _: Sequence[Requirement]) -> CriterionResult:
    """No selected scenario is flaky (passed on a retry, or not in every run), unless the sign-off waives it."""
    select = c.options.get("select") or {}
    chosen = [s for s in scenarios if selects(s, select)]
    bad = [s for s in chosen if s.unwaived_flaky]
    waived = sum(1 for s in chosen if s.flaky and s.waiver)
    where = ", ".join(f"{k}: {'/'.join(_as_list(v))}" for k, v in select.items()) or "all scenarios"
    summary = f"{len(bad)} flaky of {len(chosen)} scenarios ({where})" + (f"; {waived} waived" if waived else "")
    return CriterionResult(c, not bad, summary, tuple(_line(s) for s in bad))


def _requirements_covered(
    c: Criterion, scenarios: Sequence[Scenario], catalogue: Sequence[Requirement]
) -> CriterionResult:
    severities = _as_list(c.options.get("severities")) or ["blocker", "critical"]
    wanted = [r for r in catalogue if r.severity in severities]
    covered = {tag for s in scenarios for tag in s.requirements} | {r.id for r in catalogue if r.written}
    missing = [r for r in wanted if r.id not in covered]
    summary = f"{len(wanted) - len(missing)} of {len(wanted)} {'/'.join(severities)} requirements covered"
    return CriterionResult(c, not missing, summary, tuple(f"uncovered {r.id}: {r.title}" for r in missing))


def _requirements_verified(
    c: Criterion, scenarios: Sequence[Scenario], catalogue: Sequence[Requirement]
) -> CriterionResult:
    """Every requirement of the listed severities was shown to hold in this run (all its scenarios passed)."""
    severities = _as_list(c.options.get("severities")) or ["blocker", "critical"]
    wanted = [r for r in catalogue if r.severity in severities]
    verdicts = requirement_verdicts(wanted, scenarios)
    unproven = [v for v in verdicts if v.verdict != Verdict.PASSED]
    summary = f"{len(wanted) - len(unproven)} of {len(wanted)} {'/'.join(severities)} requirements verified"
    return CriterionResult(c, bool(wanted) and not unproven, summary,
                           tuple(f"{v.verdict} {v.requirement.id}: {v.requirement.title}" for v in unproven))


CHECKS: dict[str, Check] = {
    "all_passed": _all_passed,
    "no_product_defects": _no_product_defects,
    "min_pass_rate": _min_pass_rate,
    "no_flaky": _no_flaky,
    "requirements_covered": _requirements_covered,
    "requirements_verified": _requirements_verified,
}
KINDS = frozenset({*CHECKS, NO_BREAKING_API_CHANGE, BITES_CAUGHT, LATENCY_BUDGET})


def format_gate(gate: GateResult, *, header: str) -> str:
    lines = [header]
    for result in gate.results:
        criterion = result.criterion
        lines.append(f"{Mark.of(result.passed)}  {criterion.description} [{criterion.id}]: {result.summary}")
        lines.extend(f"        {offender}" for offender in result.offenders)
    failed = len(gate.failures)
    mark = Mark.of(gate.passed)
    verdict = mark.word if gate.passed else f"{mark.word} ({failed} of {len(gate.results)} criteria failed)"
    lines.append(f"Gate: {verdict}")
    return "\n".join(lines)
