"""CI's closing line counts scenarios as the gate does: once each, a flaky one not as a clean pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.signoff.conftest import ROOT, ResultsBuilder, result

JUNIT = '<testsuite><testcase name="a"/><testcase name="b"><failure/></testcase><testcase name="c"><skipped/>' \
        "</testcase></testsuite>"


def test_closing_line_adds_pytest_and_scenarios(make_results: ResultsBuilder, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT)
    results = make_results(
        result("steady"), result("skipped", "skipped"), result("broken", "broken"),
        result("flaky", "failed", history_id="f", start=1), result("flaky", "passed", history_id="f", start=2))
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "ci_summary.py"), str(junit), str(results),
                           "--extra-failures", "1"], cwd=tmp_path, capture_output=True, text=True, check=False)
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert "behave scenarios: 1 passed, 2 failed, 1 skipped (1 flaky" in done.stdout
    assert lines[-1] == "2 passed, 4 failed, 2 skipped"


def test_missing_results_count_as_a_failure(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "ci_summary.py"), str(tmp_path / "none.xml"),
                           str(tmp_path / "none")], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "0 passed, 2 failed, 0 skipped"
