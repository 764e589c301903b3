"""Verdict per requirement and summary per area, from the latest scenario results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signoff.catalogue import Requirement
from signoff.results import Scenario
from signoff.statuses import NOT_DEMONSTRATED, Status, Verdict


@dataclass(frozen=True)
class RequirementVerdict:
    requirement: Requirement
    scenarios: tuple[Scenario, ...]
    verdict: Verdict

    @property
    def failing(self) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.status in NOT_DEMONSTRATED)


@dataclass(frozen=True)
class AreaSummary:
    area: str
    requirements: dict[Verdict, int]
    scenarios: dict[Status, int]


def verdict_of(scenarios: Sequence[Scenario], *, written: bool = False) -> Verdict:
    """failed if any covering scenario failed or broke (not demonstrated); passed only if all passed, and
    flaky if all passed but one of them only on a retry or not in every run (unless waived);
    not run if none failed but some were skipped, or if scenarios are written but none ran;
    uncovered when no scenario is written for it at all."""
    if not scenarios:
        return Verdict.NOT_RUN if written else Verdict.UNCOVERED
    statuses = {s.status for s in scenarios}
    if statuses & NOT_DEMONSTRATED:
        return Verdict.FAILED
    if statuses == {Status.PASSED}:
        return Verdict.FLAKY if any(s.unwaived_flaky for s in scenarios) else Verdict.PASSED
    return Verdict.NOT_RUN


def requirement_verdicts(catalogue: Sequence[Requirement], scenarios: Sequence[Scenario]) -> list[RequirementVerdict]:
    verdicts = []
    for req in catalogue:
        covering = tuple(s for s in scenarios if req.id in s.requirements)
        verdicts.append(RequirementVerdict(req, covering, verdict_of(covering, written=bool(req.written))))
    return verdicts


def unknown_requirement_tags(catalogue: Sequence[Requirement], scenarios: Sequence[Scenario]) -> list[str]:
    known = {req.id for req in catalogue}
    return sorted({tag for s in scenarios for tag in s.requirements} - known)


def area_summaries(verdicts: Sequence[RequirementVerdict], scenarios: Sequence[Scenario]) -> list[AreaSummary]:
    areas: list[str] = []
    for name in [v.requirement.epic for v in verdicts] + [s.area for s in scenarios]:
        if name not in areas:
            areas.append(name)
    summaries = []
    for area in areas:
        req_counts = dict.fromkeys(Verdict, 0)
        for v in verdicts:
            if v.requirement.epic == area:
                req_counts[v.verdict] += 1
        scen_counts = dict.fromkeys(Status, 0)
        for s in scenarios:
            if s.area == area:
                scen_counts[s.status] += 1
        summaries.append(AreaSummary(area, req_counts, scen_counts))
    return summaries
