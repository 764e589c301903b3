"""The bite score: how many injected defects (mutants, tests/bites) the suite caught, read from pytest's junit.

In CI (.ci/run) pytest writes reports/pytest/junit.xml before the gate runs. Each mutant is a testcase
``test_mutant_turns_its_guarding_scenario_red[<mutant>@<service>]`` of ``tests.bites.test_suite_bites``:
passed = caught; xfail (or skipped as a known gap) = a known surviving mutant; failure or error = survived
unexpectedly (or caught for the wrong reason); any other skip = not run. The control run
(``test_control_run_without_mutant_passes``) must have passed, or a red mutant run proves nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

DEFAULT_JUNIT = "reports/pytest/junit.xml"
MODULE = "test_suite_bites"
_MUTANT = re.compile(r"^test_mutant_turns_its_guarding_scenario_red\[(?P<id>.+)\]$")
CONTROL = "test_control_run_without_mutant_passes"
_GAP_WORDS = ("known gap", "no scenario guards")


@dataclass(frozen=True)
class Survivor:
    mutant: str  # "<mutant>@<service>"
    reason: str  # first line of pytest's failure message

    def line(self) -> str:
        return f"{self.mutant}: {self.reason}" if self.reason else self.mutant


@dataclass(frozen=True)
class BiteScore:
    """The mutants of one pytest run; ``problem`` says why nothing was measured (then all else is empty)."""

    source: Path
    caught: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    survived: tuple[Survivor, ...] = ()
    not_run: tuple[str, ...] = ()
    control: str | None = None  # "passed", "failed", "skipped", or None when the junit has no control run
    problem: str = ""
    known: int | None = None  # how many cases tests/bites holds (a sampled run makes fewer), when the junit says

    @property
    def measured(self) -> bool:
        return not self.problem

    @property
    def injected(self) -> int:
        return len(self.caught) + len(self.gaps) + len(self.survived) + len(self.not_run)

    @property
    def judged(self) -> int:
        """Mutants that are not known gaps: the ones that must be caught."""
        return self.injected - len(self.gaps)

    @property
    def caught_fraction(self) -> float:
        return len(self.caught) / self.judged if self.judged else 0.0

    def summary(self) -> str:
        if not self.measured:
            return f"bite score: not measured ({self.problem})"
        text = (f"bite score: {len(self.caught)} of {self.injected} injected defects caught "
                f"({len(self.gaps)} known gaps; {len(self.survived)} survived unexpectedly")
        text += f"; {len(self.not_run)} not run)" if self.not_run else ")"
        if self.known is not None and self.known > self.injected:
            text += f"; a sample of {self.injected} of the {self.known} cases (`make bites` runs every one)"
        if self.control != "passed":
            text += f"; control run {self.control or 'missing'}"
        return text

    def survivor_lines(self) -> list[str]:
        """The mutants that were not caught and are not known gaps, with pytest's reason."""
        return [s.line() for s in self.survived] + [f"{m}: not run" for m in self.not_run]


def _outcome(case: ET.Element) -> tuple[str, str]:
    """(passed | failed | gap | skipped, first line of the message)."""
    for child in case:
        message = (child.get("message") or child.text or "").strip().splitlines()
        first = message[0] if message else ""
        if child.tag in ("failure", "error"):
            return "failed", first
        if child.tag == "skipped":
            gap = child.get("type") == "pytest.xfail" or any(w in first.lower() for w in _GAP_WORDS)
            return ("gap" if gap else "skipped"), first
    return "passed", ""


def _known_cases(case: ET.Element) -> int | None:
    """The `bite_cases_known` property the control test records (pytest's record_property)."""
    for prop in case.iter("property"):
        if prop.get("name") == "bite_cases_known" and (prop.get("value") or "").isdigit():
            return int(prop.get("value") or 0)
    return None


def _bites_cases(root: ET.Element) -> list[ET.Element]:
    return [case for case in root.iter("testcase") if (case.get("classname") or "").split(".")[-1] == MODULE]


def load_bites(junit: Path) -> BiteScore:
    """The bite score of the pytest run whose junit is at ``junit``; never raises (a problem is reported)."""
    if not junit.is_file():
        return BiteScore(junit, problem=f"no junit at {junit}")
    try:
        root = ET.parse(junit).getroot()
    except (ET.ParseError, OSError) as exc:
        return BiteScore(junit, problem=f"junit at {junit} is unreadable: {exc}")
    caught: list[str] = []
    gaps: list[str] = []
    survived: list[Survivor] = []
    not_run: list[str] = []
    control: str | None = None
    known: int | None = None
    for case in _bites_cases(root):
        name = case.get("name") or ""
        outcome, message = _outcome(case)
        if name == CONTROL:
            control = "skipped" if outcome == "gap" else outcome
            known = _known_cases(case)
            continue
        match = _MUTANT.match(name)
        if not match:
            continue
        mutant = match.group("id")
        if outcome == "passed":
            caught.append(mutant)
        elif outcome == "gap":
            gaps.append(mutant)
        elif outcome == "failed":
            survived.append(Survivor(mutant, message))
        else:
            not_run.append(mutant)
    if not (caught or gaps or survived or not_run):
        return BiteScore(junit, control=control, problem=f"no mutant run in the junit at {junit}")
    return BiteScore(junit, tuple(caught), tuple(gaps), tuple(survived), tuple(not_run), control, known=known)
