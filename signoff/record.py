"""The sign-off decision: its rules (refusals) and the record that is rendered to md/html."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from signoff.bites import BiteScore
from signoff.catalogue import Requirement
from signoff.conformance import Conformance
from signoff.coverage import (
    AreaSummary,
    RequirementVerdict,
    area_summaries,
    requirement_verdicts,
    unknown_requirement_tags,
)
from signoff.drift import ApiDrift
from signoff.errors import SignoffError
from signoff.flaky import flaky
from signoff.gate import GateResult
from signoff.latency import LatencyTable
from signoff.results import RunResults, Scenario
from signoff.sections import SectionCoverage, section_coverage
from signoff.statuses import UNPROVEN, Verdict


class Choice(StrEnum):
    """The release manager's decision."""

    ACCEPTED = "accepted"
    KNOWN_ISSUES = "accepted-with-known-issues"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Choice.ACCEPTED: "Accepted", Choice.KNOWN_ISSUES: "Accepted with known issues", Choice.REJECTED: "Rejected"}
DECISIONS = tuple(Choice)
DRAFT_LABEL = "Draft: no decision yet"


@dataclass(frozen=True)
class Decision:
    """What the release manager decides; ``decision`` None makes a draft for review."""

    decision: Choice | None
    approver: str
    date: str
    reasons: Mapping[str, str]

    @property
    def label(self) -> str:
        return self.decision.label if self.decision else DRAFT_LABEL


@dataclass(frozen=True)
class SignoffRecord:
    decision: Decision
    run: RunResults
    verdicts: tuple[RequirementVerdict, ...]
    areas: tuple[AreaSummary, ...]
    gate: GateResult
    unknown_tags: tuple[str, ...]
    generated_at: str
    flaky: tuple[Scenario, ...] = ()  # passed in one attempt, failed or broke in another (waived or not)
    drift: ApiDrift | None = None             # the API since the last accepted release (breaking first)
    conformance: Conformance | None = None    # answers checked against the contract's schemas, per resource
    sections: tuple[SectionCoverage, ...] = ()  # contract coverage per section (§1 ... §6)
    bites: BiteScore | None = None            # injected defects caught (tests/bites, from pytest's junit)
    latency: LatencyTable | None = None       # answer times per route against the environment's budgets

    @property
    def failing(self) -> tuple[RequirementVerdict, ...]:
        """Requirements this run did not demonstrate: failed, or flaky."""
        return tuple(v for v in self.verdicts if v.verdict in UNPROVEN)

    def count(self, verdict: Verdict) -> int:
        return sum(1 for v in self.verdicts if v.verdict == verdict)


def parse_reasons(pairs: Sequence[str]) -> dict[str, str]:
    """``REQ-ID=text`` pairs from the command line."""
    reasons = {}
    for pair in pairs:
        req_id, sep, text = pair.partition("=")
        if not sep or not req_id.strip() or not text.strip():
            raise SignoffError(f'--reason needs REQ-ID="text", got {pair!r}')
        reasons[req_id.strip()] = text.strip()
    return reasons


def make_decision(decision: str | None, approver: str | None, date: str | None, reasons: Mapping[str, str]) -> Decision:
    if decision is not None and decision not in DECISIONS:
        raise SignoffError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    choice = Choice(decision) if decision else None
    if choice and not (approver or "").strip():
        raise SignoffError("a decision needs an approver: pass --approver NAME (or approver: in signoff.yaml)")
    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError as exc:
        raise SignoffError(f"--date must be YYYY-MM-DD, got {day!r}") from exc
    return Decision(choice, (approver or "").strip(), day, dict(reasons))


def build_record(
    decision: Decision, run: RunResults, catalogue: Sequence[Requirement], gate: GateResult,
    *, drift: ApiDrift | None = None, conformance: Conformance | None = None,
    bites: BiteScore | None = None, titles: Mapping[str, str] | None = None, latency: LatencyTable | None = None,
) -> SignoffRecord:
    """Assemble the record, refusing (SignoffError, exit 1) a decision the evidence does not allow."""
    verdicts = tuple(requirement_verdicts(catalogue, run.scenarios))
    known = {req.id for req in catalogue}
    strangers = sorted(set(decision.reasons) - known)
    if strangers:
        raise SignoffError(f"reason given for requirement(s) not in the catalogue: {', '.join(strangers)}")
    check_decision(decision, verdicts, gate)
    return SignoffRecord(
        decision=decision,
        run=run,
        verdicts=verdicts,
        areas=tuple(area_summaries(verdicts, run.scenarios)),
        gate=gate,
        unknown_tags=tuple(unknown_requirement_tags(catalogue, run.scenarios)),
        generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        flaky=tuple(flaky(run.scenarios)),
        drift=drift,
        conformance=conformance,
        sections=tuple(section_coverage(verdicts, titles)),
        bites=bites,
        latency=latency,
    )


def check_decision(decision: Decision, verdicts: Sequence[RequirementVerdict], gate: GateResult) -> None:
    failing = [v.requirement.id for v in verdicts if v.verdict in UNPROVEN]
    if decision.decision == Choice.ACCEPTED and (failing or not gate.passed):
        why = []
        if not gate.passed:
            why.append("the gate failed (" + ", ".join(r.criterion.id for r in gate.failures) + ")")
        if failing:
            why.append("failing or flaky requirement(s): " + ", ".join(failing))
        raise SignoffError("refused 'accepted': " + "; ".join(why), exit_code=1)
    if decision.decision == Choice.KNOWN_ISSUES:
        missing = [req_id for req_id in failing if not decision.reasons.get(req_id, "").strip()]
        if missing:
            raise SignoffError(
                f"refused '{Choice.KNOWN_ISSUES}': no reason for failing or flaky requirement(s) {', '.join(missing)}"
                ' (add --reason REQ-ID="why it may ship")',
                exit_code=1,
            )
