"""Contract coverage per section: the catalogue's promises grouped by the contract section they quote (§N)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from signoff.coverage import RequirementVerdict
from signoff.statuses import Verdict

CONTRACT_ENV = "PLATFORM_CONTRACT"
NO_SECTION = "(no section)"
_LEADING = re.compile(r"^\s*(§\d+)")
_HEADING = re.compile(r"^##\s+(\d+)\.\s+(.+?)\s*$", re.M)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class SectionCoverage:
    """How one contract section's promises fared: quoted, with scenarios, and this run's verdicts."""

    section: str  # "§4", or NO_SECTION
    title: str  # from the contract's "## 4. Title" heading; "" when the contract was not found
    requirements: int
    with_scenarios: int
    verified: int
    failed: int
    flaky: int
    not_run: int

    @property
    def label(self) -> str:
        return f"{self.section} {self.title}".strip()

    @property
    def uncovered(self) -> int:
        return self.requirements - self.with_scenarios


def contract_path(root: Path) -> Path:
    """Where the contract is, as tests/suite/test_requirements.py looks: $PLATFORM_CONTRACT, else
    ../shared/platform-contract.md beside the repository."""
    return Path(os.environ.get(CONTRACT_ENV) or root.parent / "shared" / "platform-contract.md")


def section_titles(contract: Path | None) -> dict[str, str]:
    """``{"§4": "Sales service"}`` from the contract's ``## 4. Title (note)`` headings; {} without the file."""
    if contract is None or not contract.is_file():
        return {}
    text = contract.read_text(encoding="utf-8")
    return {f"§{num}": _TRAILING_NOTE.sub("", title) for num, title in _HEADING.findall(text)}


def section_of(contract: str) -> str:
    """The leading ``§N`` of a requirement's ``contract`` ("§2 Revocations, §3 Users" -> "§2")."""
    match = _LEADING.match(contract)
    return match.group(1) if match else NO_SECTION


def _order(section: str) -> tuple[int, int]:
    return (1, 0) if section == NO_SECTION else (0, int(section[1:]))


def section_coverage(
    verdicts: Sequence[RequirementVerdict], titles: Mapping[str, str] | None = None,
) -> list[SectionCoverage]:
    """One row per section a requirement quotes (§1, §2, ...), sections without a §N last."""
    titles = titles or {}
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        groups.setdefault(section_of(v.requirement.contract), []).append(v.verdict)
    rows = []
    for section in sorted(groups, key=_order):
        found = groups[section]
        rows.append(SectionCoverage(
            section=section,
            title=titles.get(section, ""),
            requirements=len(found),
            with_scenarios=sum(1 for x in found if x != Verdict.UNCOVERED),
            verified=found.count(Verdict.PASSED),
            failed=found.count(Verdict.FAILED),
            flaky=found.count(Verdict.FLAKY),
            not_run=found.count(Verdict.NOT_RUN),
        ))
    return rows


def totals(rows: Sequence[SectionCoverage]) -> SectionCoverage:
    """All sections added up (the table's last line)."""
    return SectionCoverage(
        section="All", title="sections",
        requirements=sum(r.requirements for r in rows),
        with_scenarios=sum(r.with_scenarios for r in rows),
        verified=sum(r.verified for r in rows),
        failed=sum(r.failed for r in rows),
        flaky=sum(r.flaky for r in rows),
        not_run=sum(r.not_run for r in rows),
    )


HEADERS = ("Section", "Promises quoted", "With scenarios", "Verified", "Failed", "Flaky", "Not run")


def cells(row: SectionCoverage) -> list[str]:
    """The table cells after the section's label, in the order of HEADERS[1:]."""
    return [str(n) for n in (row.requirements, row.with_scenarios, row.verified, row.failed, row.flaky,
                             row.not_run)]
