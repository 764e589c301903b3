"""Verdict per requirement and summary per area, from the latest scenario results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signoff.catalogue import Requirement
from signoff.results import Scenario

PASSED, FAILED, NOT_RUN, UNCOVERED = "passed", "failed", "not run", "uncovered"
VERDICTS = (PASSED, FAILED, NOT_RUN, UNCOVERED)


@dataclass(frozen=True)
class RequirementVerdict:
    requirement: Requirement
    scenarios: tuple[Scenario, ...]
    verdict: str

    @property
    def failing(self) -> tuple[Scenario, ...]:
        return tuple(s for s in self.scenarios if s.status in ("failed", "broken"))


@dataclass(frozen=True)
class AreaSummary:
    area: str
    requirements: dict[str, int]
    scenarios: dict[str, int]


def verdict_of(scenarios: Sequence[Scenario], *, written: bool = False) -> str:
    """failed if any covering scenario failed or broke (not demonstrated); passed only if all passed;
    not run if none failed but some were skipped, or if scenarios are written but none ran;
    uncovered when no scenario is written for it at all."""
    if not scenarios:
        return NOT_RUN if written else UNCOVERED
    statuses = {s.status for s in scenarios}
    if statuses & {"failed", "broken"}:
        return FAILED
    if statuses == {"passed"}:
        return PASSED
    return NOT_RUN


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
        req_counts = dict.fromkeys(VERDICTS, 0)
        for v in verdicts:
            if v.requirement.epic == area:
                req_counts[v.verdict] += 1
        scen_counts = dict.fromkeys(("passed", "failed", "broken", "skipped", "unknown"), 0)
        for s in scenarios:
            if s.area == area:
                scen_counts[s.status] += 1
        summaries.append(AreaSummary(area, req_counts, scen_counts))
    return summaries
