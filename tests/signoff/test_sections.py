"""Contract coverage per section (signoff/sections.py) and where it shows: requirements.html, the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from signoff.catalogue import Requirement, load_catalogue
from signoff.coverage import requirement_verdicts
from signoff.evidence_views import sections_markdown
from signoff.requirements_page import requirements_html
from signoff.results import load_results
from signoff.sections import (
    NO_SECTION,
    SectionCoverage,
    contract_path,
    section_coverage,
    section_of,
    section_titles,
    totals,
)

CONTRACT = """# The platform contract

## 1. Conventions (all services)
Text.
## 2. Authentication (all services)
### 2.1 Not a section
## 4. Sales service (tenant-scoped; roles: sales_rep, sales_manager, admin; auditor reads)
"""


@pytest.mark.parametrize(("contract", "section"), [
    ("§4 Pipeline report", "§4"),
    ("§2 Revocations, §3 Users", "§2"),  # the leading section only
    ("§2, §4 unknown_reference, §5", "§2"),
    ("§12 Future", "§12"),
    ("Appendix A", NO_SECTION),
    ("", NO_SECTION),
])
def test_a_requirement_belongs_to_its_leading_section(contract: str, section: str) -> None:
    assert section_of(contract) == section


def test_titles_come_from_the_numbered_level_two_headings(tmp_path: Path) -> None:
    path = tmp_path / "platform-contract.md"
    path.write_text(CONTRACT, encoding="utf-8")
    assert section_titles(path) == {"§1": "Conventions", "§2": "Authentication", "§4": "Sales service"}
    assert section_titles(tmp_path / "missing.md") == {}
    assert section_titles(None) == {}


def test_the_contract_is_found_like_the_traceability_test_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLATFORM_CONTRACT", raising=False)
    assert contract_path(tmp_path / "repo") == tmp_path / "shared" / "platform-contract.md"
    monkeypatch.setenv("PLATFORM_CONTRACT", str(tmp_path / "elsewhere.md"))
    assert contract_path(tmp_path / "repo") == tmp_path / "elsewhere.md"


def test_counts_per_section_on_the_mixed_run(mixed_results: Path, catalogue_path: Path) -> None:
    verdicts = requirement_verdicts(load_catalogue(catalogue_path), load_results(mixed_results).scenarios)
    rows = section_coverage(verdicts, {"§1": "Conventions", "§4": "Sales service"})
    assert [(r.label, r.requirements, r.with_scenarios, r.verified, r.failed, r.flaky, r.not_run) for r in rows] == [
        ("§1 Conventions", 1, 1, 0, 0, 0, 1),  # REQ-OPS-DUR-01 skipped
        ("§2", 1, 1, 1, 0, 0, 0),  # no title: the contract has no "## 2." heading here
        ("§3", 2, 1, 0, 0, 1, 0),  # LOGIN flaky, LOCK uncovered
        ("§4 Sales service", 3, 2, 0, 2, 0, 0),  # COMM and DEAL failed, NOTIF uncovered
        ("§5", 2, 2, 1, 1, 0, 0),
    ]
    everything = totals(rows)
    assert (everything.requirements, everything.with_scenarios, everything.verified) == (9, 7, 2)
    assert everything.uncovered == 2


def test_sections_sort_by_number_and_sectionless_requirements_come_last() -> None:
    reqs = [Requirement(f"REQ-X-{n:02d}-01", "t", "sales", contract, "normal")
            for n, contract in enumerate(["§10 Later", "No section", "§2 Auth", "§1 Conventions"])]
    rows = section_coverage(requirement_verdicts(reqs, []))
    assert [r.section for r in rows] == ["§1", "§2", "§10", NO_SECTION]
    assert all(r.with_scenarios == 0 for r in rows)


def test_markdown_table_has_a_row_per_section_and_the_totals() -> None:
    rows = [SectionCoverage("§4", "Sales service", 3, 2, 1, 1, 0, 0)]
    lines = sections_markdown(rows)
    assert "| §4 Sales service | 3 | 2 | 1 | 1 | 0 | 0 |" in lines
    assert "| **All sections** | **3** | **2** | **1** | **1** | **0** | **0** |" in lines


def test_requirements_page_opens_with_the_section_table(mixed_results: Path, catalogue_path: Path) -> None:
    verdicts = requirement_verdicts(load_catalogue(catalogue_path), load_results(mixed_results).scenarios)
    html = requirements_html(verdicts, title="Run", sections=section_coverage(verdicts, {"§4": "Sales service"}))
    assert html.index("Contract coverage per section") < html.index('id="req-sales-comm-01"')
    assert "<td>§4 Sales service</td><td class=num>3</td><td class=num>2</td>" in html
    assert "bite score: not measured" in html  # no junit was given to the page
