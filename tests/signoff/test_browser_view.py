"""A person's view: the HTML report and the sign-off page rendered in headless Chromium.

Screenshots are kept in reports/screenshots/ as artifacts. Skipped only where Chromium (or, for the
Allure report, Node.js) is not installed; these tests never install anything.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from signoff.cli import main
from tests.signoff.browser import Browser, find_chromium, visible_text
from tests.signoff.conftest import FIXTURES, ROOT

SCREENSHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); browser view not checked"
    ),
    pytest.mark.xdist_group("browser"),  # one process builds the module's report (pytest-xdist --dist loadgroup)
]
REASON = "Managers approve large discounts by hand until 1.4.3"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Browser:
    assert CHROMIUM is not None
    return Browser(CHROMIUM, tmp_path_factory.mktemp("chromium"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm not installed: no Allure report to look at")
    base = tmp_path_factory.mktemp("report")
    args = ["report", "--results", str(FIXTURES / "results-mixed"), "--out", str(base / "html"),
            "--history", str(base / "history.jsonl"), "--catalogue", str(FIXTURES / "requirements.yaml")]  # fmt: skip
    assert main(args) == 0
    return base / "html"


@pytest.fixture(scope="module")
def signoff_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("signoff")
    settings = out / "signoff.yaml"
    settings.write_text("reasons: {}\n", encoding="utf-8")
    args = ["record", "--from", str(settings), "--results", str(FIXTURES / "results-mixed"),
            "--catalogue", str(FIXTURES / "requirements.yaml"), "--gate", str(ROOT / "config" / "gate.yaml"),
            "--out", str(out), "--api-snapshots", str(out / "api-snapshots"),
            "--decision", "accepted-with-known-issues", "--approver", "Priya Shah",
            "--date", "2026-11-21",
            "--reason", "REQ-SALES-COMM-01=Rounding is off by one cent on discounted deals; fix in 1.4.3",
            "--reason", f"REQ-SALES-DEAL-02={REASON}",
            "--reason", "REQ-ANOM-TRAIN-01=The training worker was down during this run",
            "--reason", "REQ-AUTH-LOGIN-01=Sign-in passed only on a retry; PLAT-77 tracks the flakiness"]  # fmt: skip
    assert main(args) == 0
    return out / "signoff.html"


def test_report_overview_shows_totals_areas_and_metadata(browser: Browser, report: Path) -> None:
    url = (report / "index.html").as_uri()
    text = visible_text(browser.dom(url))
    for expected in ("Platform acceptance", "Total 7", "Failed 1", "Broken 1", "Passed 4", "Skipped 1"):
        assert expected in text, f"{expected!r} not visible in the report overview"
    for area in ("Sales", "Anomaly detection", "Tenant isolation", "Authentication", "Operations"):
        assert area in text
    for fact in ("build 1.4.2-rc1", "commit 3f9c2ab", "seed 424242"):
        assert fact in text
    assert "Categories 4" in text  # product defects, suite or environment problems, skipped, flaky
    assert browser.screenshot(url, SCREENSHOTS / "report-overview.png").stat().st_size > 10_000


def test_report_shows_a_failing_scenario_with_its_requirement_and_category(browser: Browser, report: Path) -> None:
    results = json.loads((report / "test-results.json").read_text(encoding="utf-8"))["byId"]
    test_id = next(key for key, item in results.items() if item["name"] == "a large discount needs approval")
    url = f"{(report / 'index.html').as_uri()}#{test_id}"
    text = visible_text(browser.dom(url))
    assert "Category: Product defects" in text
    assert "Rita should earn 999.00 commission but earned 700.00" in text
    assert "REQ-SALES-DEAL-02: A discount above the tenant's threshold" in text
    browser.screenshot(url, SCREENSHOTS / "report-failed-scenario.png")


def test_requirements_page_renders(browser: Browser, report: Path) -> None:
    url = (report / "requirements.html").as_uri() + "#req-sales-deal-02"
    text = visible_text(browser.dom(url))
    assert "REQ-SALES-DEAL-02" in text and "uncovered" in text
    browser.screenshot(url, SCREENSHOTS / "report-requirements.png")


def test_signoff_page_shows_decision_areas_and_reasons(browser: Browser, signoff_page: Path) -> None:
    url = signoff_page.as_uri()
    text = visible_text(browser.dom(url))
    assert "Accepted with known issues by Priya Shah on 2026-11-21" in text
    assert "Total 7" in text and "Failed 1" in text
    assert "Quality gate: FAILED" in text
    for area in ("Sales", "Anomaly detection", "Tenant isolation", "Authentication", "Operations"):
        assert area in text
    assert f"Known issue: {REASON}" in text
    assert "REQ-AUTH-LOCK-01" in text and "uncovered" in text
    assert "Flaky scenarios" in text and "flaky: passed after 2 attempts (failed, passed)" in text
    assert browser.screenshot(url, SCREENSHOTS / "signoff.png", size="1200,2600").stat().st_size > 10_000


def test_report_categories_separate_defects_problems_and_skips(browser: Browser, report: Path) -> None:
    url = (report / "index.html").as_uri() + "#categories"
    text = visible_text(browser.dom(url))
    for category in ("Product defects 1", "Suite or environment problems 1", "Skipped by the environment 1",
                     "Flaky scenarios (passed in one attempt, failed in another) 1"):
        assert category in text
    browser.screenshot(url, SCREENSHOTS / "report-categories.png", size="1400,900")
