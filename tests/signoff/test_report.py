"""HTML report generation with Allure Report 3 (skipped where Node.js/npm are not installed)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from signoff.catalogue import load_catalogue
from signoff.cli import main
from signoff.report import ANALYTICS_MARKERS, strip_analytics, with_requirement_links
from tests.signoff.conftest import ROOT

# One process builds this module's expensive fixture (pytest-xdist --dist loadgroup, .ci/run).
pytestmark = pytest.mark.xdist_group("report")

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="Node.js/npm not installed: the Allure Report 3 HTML report cannot be generated here",
)

GTAG_BLOCK = """<div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-LNDJ3J7WT0', {"report": "awesome"});
    </script>
    <script>window.allureReportData = {};</script>"""


def test_strip_analytics_removes_the_gtag_block_only() -> None:
    cleaned = strip_analytics(GTAG_BLOCK)
    assert not any(marker in cleaned for marker in ANALYTICS_MARKERS)
    assert '<div id="app"></div>' in cleaned and "window.allureReportData" in cleaned


def test_requirement_tags_become_links(catalogue_path: Path) -> None:
    known = {r.id: r for r in load_catalogue(catalogue_path)}
    labels = [{"name": "tag", "value": "REQ-OPS-DUR-01"}, {"name": "tag", "value": "smoke"}]
    links = with_requirement_links([{"type": "issue", "name": "BUG-1", "url": "https://b/1"}], labels, known)
    assert links[1] == {
        "type": "requirement",
        "name": "REQ-OPS-DUR-01: A 2xx answer to a mutating request survives a kill and restart of the service",
        "url": "requirements.html#req-ops-dur-01",
    }
    published = with_requirement_links([], labels, known, link_base="https://qa.example/run/17/")
    assert published[0]["url"] == "https://qa.example/run/17/requirements.html#req-ops-dur-01"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js/npm not installed: the Allure Report 3 HTML report cannot be generated here")
    base = tmp_path_factory.mktemp("report")
    fixtures = Path(__file__).parent / "fixtures"
    args = ["report", "--results", str(fixtures / "results-mixed"), "--out", str(base / "html"),
            "--history", str(base / "history" / "history.jsonl"),
            "--catalogue", str(fixtures / "requirements.yaml"),
            "--junit", str(fixtures / "junit" / "survived.xml")]  # fmt: skip
    assert main(args) == 0
    assert main(args) == 0  # a second run carries the history over
    return base


@needs_node
def test_report_is_one_offline_file_without_analytics(generated: Path) -> None:
    html = (generated / "html" / "index.html").read_text(encoding="utf-8")
    assert not any(marker in html for marker in ANALYTICS_MARKERS)
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
        for url in re.findall(r'(?:src|href)="([^"]*)"', tag):
            assert url.startswith("data:"), f"external asset in the report: {tag[:120]}"


@needs_node
def test_report_carries_history_and_the_requirements_page(generated: Path) -> None:
    history = (generated / "history" / "history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(history) == 2
    page = (generated / "html" / "requirements.html").read_text(encoding="utf-8")
    assert 'id="req-sales-deal-02"' in page and "uncovered" in page
    assert page.index("Contract coverage per section") < page.index('id="req-sales-deal-02"')
    assert "2 of 5 injected defects caught (1 known gaps; 1 survived unexpectedly; 1 not run)" in page
    summary = json.loads((generated / "html" / "summary.json").read_text(encoding="utf-8"))
    assert summary["stats"]["total"] == 7


@needs_node
def test_pinned_allure_version_is_installed(generated: Path) -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    pinned = package["devDependencies"]["allure"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin allure exactly"
    installed = json.loads((ROOT / "node_modules" / "allure" / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == pinned


def test_report_without_results_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--results", str(tmp_path / "none"), "--out", str(tmp_path / "html")]) == 2
    assert "no Allure results" in capsys.readouterr().err
