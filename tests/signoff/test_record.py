from __future__ import annotations

import re
from pathlib import Path

import pytest

from signoff.catalogue import load_catalogue
from signoff.cli import main
from signoff.coverage import requirement_verdicts
from signoff.results import load_results
from tests.signoff.conftest import JUNIT_CAUGHT, ROOT, ResultsBuilder, result

GATE = str(ROOT / "config" / "gate.yaml")
REASONS = [
    "REQ-SALES-COMM-01=Rounding is off by one cent on discounted deals; fix in 1.4.3",
    "REQ-SALES-DEAL-02=Managers approve large discounts by hand until 1.4.3",
    "REQ-ANOM-TRAIN-01=The training worker was down during this run; re-run booked",
    "REQ-AUTH-LOGIN-01=Sign-in passed only on a retry; PLAT-77 tracks the flakiness",
]


def _record(results: Path, catalogue: Path, out: Path, *extra: str) -> int:
    settings = out.parent / "empty-signoff.yaml"
    settings.write_text("reasons: {}\n", encoding="utf-8")
    return main(
        ["record", "--from", str(settings), "--results", str(results), "--catalogue", str(catalogue),
         "--gate", GATE, "--out", str(out), "--api-snapshots", str(out.parent / "api-snapshots"),
         "--junit", str(JUNIT_CAUGHT), *extra]
    )  # fmt: skip


def test_verdicts_per_requirement(mixed_results: Path, catalogue_path: Path) -> None:
    verdicts = requirement_verdicts(load_catalogue(catalogue_path), load_results(mixed_results).scenarios)
    assert {v.requirement.id: v.verdict for v in verdicts} == {
        "REQ-SALES-COMM-01": "failed",  # one covering scenario failed, one passed
        "REQ-SALES-DEAL-02": "failed",
        "REQ-SALES-NOTIF-01": "uncovered",
        "REQ-ANOM-TRAIN-01": "failed",  # broken: not demonstrated
        "REQ-ANOM-DET-01": "passed",
        "REQ-TEN-ISO-01": "passed",
        "REQ-AUTH-LOGIN-01": "flaky",  # its scenario failed, then passed on a retry
        "REQ-AUTH-LOCK-01": "uncovered",
        "REQ-OPS-DUR-01": "not run",  # skipped by the environment
    }


def test_known_issues_without_reasons_is_refused_naming_them(
    mixed_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "signoff"
    code = _record(mixed_results, catalogue_path, out, "--decision", "accepted-with-known-issues",
                   "--approver", "Priya", "--reason", REASONS[0])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "REQ-SALES-DEAL-02, REQ-ANOM-TRAIN-01, REQ-AUTH-LOGIN-01" in err
    assert "REQ-SALES-COMM-01" not in err
    assert not out.exists()


def test_accepted_is_refused_when_the_gate_or_a_requirement_fails(
    mixed_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _record(mixed_results, catalogue_path, tmp_path / "o", "--decision", "accepted", "--approver", "P")
    err = capsys.readouterr().err
    assert code == 1
    assert "refused 'accepted'" in err and "the gate failed" in err and "REQ-ANOM-TRAIN-01" in err


def test_accepted_with_a_clean_run(passing_results: Path, catalogue_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "signoff"
    code = _record(passing_results, catalogue_path, out, "--decision", "accepted", "--approver", "Priya Shah",
                   "--date", "2026-11-20")  # fmt: skip
    assert code == 0
    md = (out / "signoff.md").read_text(encoding="utf-8")
    assert "**Accepted** by Priya Shah on 2026-11-20" in md
    assert "| Build | 2.0.0 |" in md and "| Commit | abc1234 |" in md and "| Seed | 7 |" in md
    assert "Gate: **PASSED**" in md


def test_known_issues_record_holds_everything(mixed_results: Path, catalogue_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "signoff"
    args = ["--decision", "accepted-with-known-issues", "--approver", "Priya Shah", "--date", "2026-11-21"]
    for reason in REASONS:
        args += ["--reason", reason]
    assert _record(mixed_results, catalogue_path, out, *args) == 0
    md = (out / "signoff.md").read_text(encoding="utf-8")
    html = (out / "signoff.html").read_text(encoding="utf-8")
    assert "**Accepted with known issues** by Priya Shah on 2026-11-21" in md
    assert "| REQ-SALES-NOTIF-01 |" in md and "| uncovered |" in md
    assert "| REQ-OPS-DUR-01 |" in md and "| not run |" in md
    assert "failed: known issue: Managers approve large discounts by hand until 1.4.3" in md
    assert "| Sales | 0 | 2 | 0 | 0 | 1 | 1 | 1 | 0 | 0 |" in md
    assert "Gate: **FAILED**" in md
    assert "Known issue: Managers approve large discounts by hand until 1.4.3" in html
    assert "Rita should earn 999.00" in html  # the failing scenario is shown with its message
    for fact in ("1.4.2-rc1", "3f9c2ab", "424242", "local run · acceptance #17", "§4 Commission"):
        assert fact in html


def test_signoff_html_is_self_contained(mixed_results: Path, catalogue_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "signoff"
    assert _record(mixed_results, catalogue_path, out) == 0  # a draft
    html = (out / "signoff.html").read_text(encoding="utf-8")
    assert "Draft: no decision yet" in html
    assert "<style>" in html
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html)
    assert not re.search(r"\s(src|href)=\"(https?:)?//", html)


def test_decision_needs_an_approver_and_a_real_date(
    mixed_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _record(mixed_results, catalogue_path, tmp_path / "o", "--decision", "rejected") == 2
    assert "needs an approver" in capsys.readouterr().err
    assert _record(mixed_results, catalogue_path, tmp_path / "o", "--date", "21/11/2026") == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_reason_for_an_unknown_requirement_is_an_error(
    mixed_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _record(mixed_results, catalogue_path, tmp_path / "o", "--reason", "REQ-NOPE-01=typo")
    assert code == 2
    assert "REQ-NOPE-01" in capsys.readouterr().err


def test_settings_file_supplies_decision_and_reasons(
    make_results: ResultsBuilder, catalogue_path: Path, tmp_path: Path
) -> None:
    results = make_results(result("approval", "failed", tags=["REQ-SALES-DEAL-02"], message="AssertionError: no"))
    settings = tmp_path / "signoff.yaml"
    settings.write_text(
        f"results: {results}\ncatalogue: {catalogue_path}\ngate: {GATE}\nout: {tmp_path / 'out'}\n"
        f"api_snapshots: {tmp_path / 'snapshots'}\n"
        "decision: accepted-with-known-issues\napprover: Priya\ndate: 2026-01-02\n"
        'reasons:\n  REQ-SALES-DEAL-02: "manual approval until 1.5"\n',
        encoding="utf-8",
    )
    assert main(["record", "--from", str(settings)]) == 0
    md = (tmp_path / "out" / "signoff.md").read_text(encoding="utf-8")
    assert "known issue: manual approval until 1.5" in md
    assert "| REQ-AUTH-LOCK-01 |" in md  # the rest of the catalogue is listed as uncovered


def test_retried_scenario_shows_its_attempts(mixed_results: Path, catalogue_path: Path, tmp_path: Path) -> None:
    assert _record(mixed_results, catalogue_path, tmp_path / "o") == 0
    md = (tmp_path / "o" / "signoff.md").read_text(encoding="utf-8")
    assert "Authentication / Signing in / Alice signs in (flaky: passed after 2 attempts (failed, passed))" in md
    assert "## Flaky scenarios" in md and "1 skipped; 1 flaky" in md


def test_record_holds_the_contract_coverage_per_section_and_the_bite_score(
    mixed_results: Path, catalogue_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contract = tmp_path / "platform-contract.md"
    contract.write_text("# Contract\n\n## 4. Sales service (tenant-scoped)\n\n## 5. Anomaly service\n",
                        encoding="utf-8")
    monkeypatch.setenv("PLATFORM_CONTRACT", str(contract))
    out = tmp_path / "signoff"
    assert _record(mixed_results, catalogue_path, out, "--junit", str(JUNIT_CAUGHT.parent / "survived.xml")) == 0
    md = (out / "signoff.md").read_text(encoding="utf-8")
    html = (out / "signoff.html").read_text(encoding="utf-8")
    assert "## Contract coverage per section" in md
    assert "| §4 Sales service | 3 | 2 | 0 | 2 | 0 | 0 |" in md
    assert "| §3 | 2 | 1 | 0 | 0 | 1 | 0 |" in md  # no "## 3." heading in this contract: no title
    assert "bite score: 2 of 5 injected defects caught (1 known gaps; 1 survived unexpectedly; 1 not run)." in md
    assert "- health_live_broken@sales: AssertionError: mutant health_live_broken@sales survived" in md
    assert "<td>§5 Anomaly service</td>" in html and "health_live_broken@sales" in html
    assert "bite score: 2 of 5 injected defects caught" in capsys.readouterr().out


def test_record_without_junit_says_the_bite_score_was_not_measured(
    passing_results: Path, catalogue_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "signoff"
    absent = tmp_path / "no-such-junit.xml"
    code = _record(passing_results, catalogue_path, out, "--junit", str(absent), "--decision", "accepted",
                   "--approver", "Priya Shah")  # fmt: skip
    assert code == 1 and "refused 'accepted': the gate failed (bites-caught)" in capsys.readouterr().err
    assert _record(passing_results, catalogue_path, out, "--junit", str(absent)) == 0  # a draft still says why
    assert f"bite score: not measured (no junit at {absent})." in (out / "signoff.md").read_text(encoding="utf-8")
