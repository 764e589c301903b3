"""The HTML report: Allure Report 3 (npm ``allure``), offline, single file, no analytics."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from signoff.bites import BiteScore
from signoff.catalogue import Requirement
from signoff.conformance import environment_entries, load_conformance
from signoff.coverage import requirement_verdicts
from signoff.errors import SignoffError
from signoff.flaky import apply_waivers
from signoff.html import page
from signoff.latency import environment_entries as latency_entries
from signoff.latency import load_latency
from signoff.requirements_page import requirements_html
from signoff.results import REQUIREMENT_ID, load_results, result_key
from signoff.sections import section_coverage

REQUIREMENTS_PAGE = "requirements.html"
LATENCY_PAGE = "latency.html"
# Allure Awesome's page template hard-codes a Google Analytics (gtag) block; we remove it.
_GTAG_LOADER = re.compile(r"<script[^>]*\bsrc=\"https://www\.googletagmanager\.com/[^\"]*\"[^>]*>\s*</script>\s*")
_GTAG_INLINE = re.compile(r"<script>(?:(?!</script>).)*?\bgtag\((?:(?!</script>).)*?</script>\s*", re.S)
ANALYTICS_MARKERS = ("googletagmanager", "google-analytics", "gtag(", "dataLayer")


@dataclass(frozen=True)
class ReportPaths:
    root: Path
    results: Path
    out: Path
    history: Path
    config: Path


def npm_pinned_version(root: Path) -> str:
    package = json.loads((root / "package.json").read_text(encoding="utf-8"))
    return str(package.get("devDependencies", {}).get("allure", ""))


def installed_version(root: Path) -> str | None:
    manifest = root / "node_modules" / "allure" / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))


def ensure_npm_deps(root: Path) -> None:
    """``npm ci`` when node_modules lacks the pinned allure (offline once the npm cache holds it)."""
    if installed_version(root) == npm_pinned_version(root):
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SignoffError("Node.js 20+ and npm are needed for the HTML report (node/npm not on PATH)")
    cmd = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SignoffError("npm ci failed: " + " | ".join(tail))


def stage_results(
    results: Path,
    staging: Path,
    catalogue: Sequence[Requirement],
    *,
    link_base: str = "",
    flaky_keys: frozenset[str] = frozenset(),
) -> None:
    """Copy the results, adding a requirement link (to requirements.html) for every @REQ- tag, and marking
    every attempt of a flaky scenario as flaky (Allure's flaky mark, and the "Flaky scenarios" category).

    Allure shows only absolute http(s) links as clickable; with ``link_base`` (where the report is
    published) the links are clickable, without it they show the requirement's id and title as text.
    """
    known = {req.id: req for req in catalogue}
    for path in results.iterdir():
        if not path.is_file():
            continue
        if not path.name.endswith("-result.json"):
            shutil.copy2(path, staging / path.name)
            continue
        item = json.loads(path.read_text(encoding="utf-8"))
        links, labels = item.get("links") or [], item.get("labels") or []
        item["links"] = with_requirement_links(links, labels, known, link_base=link_base)
        if result_key(item) in flaky_keys:
            item["statusDetails"] = {**(item.get("statusDetails") or {}), "flaky": True}
        (staging / path.name).write_text(json.dumps(item), encoding="utf-8")
    add_conformance(results, staging)
    add_latency(results, staging)


def add_conformance(results: Path, staging: Path) -> None:
    """Show the answers checked per resource in the report's Environment section (all workers added up)."""
    figures = load_conformance(results)
    if figures is None:
        return
    _add_environment_entries(staging, environment_entries(figures))


def add_latency(results: Path, staging: Path) -> None:
    """Show the answer times per route against the budgets in the report's Environment section."""
    table = load_latency(results)
    if table is not None:
        _add_environment_entries(staging, latency_entries(table))


def _add_environment_entries(staging: Path, entries: Mapping[str, str]) -> None:
    properties = staging / "environment.properties"
    existing = properties.read_text(encoding="utf-8") if properties.is_file() else ""
    lines = [f"{key.replace(' ', '.')}={value}" for key, value in entries.items()]
    properties.write_text(existing + ("" if existing.endswith("\n") or not existing else "\n")
                          + "\n".join(lines) + "\n", encoding="utf-8")


def with_requirement_links(
    links: list[dict[str, str]],
    labels: list[dict[str, str]],
    known: dict[str, Requirement],
    *,
    link_base: str = "",
) -> list[dict[str, str]]:
    kept = [link for link in links if link.get("type") != "requirement"]
    page = f"{link_base.rstrip('/')}/{REQUIREMENTS_PAGE}" if link_base else REQUIREMENTS_PAGE
    ids = {str(lb.get("value")) for lb in labels if lb.get("name") == "tag"}
    ids |= {str(link.get("name")) for link in links if link.get("type") == "requirement"}
    for req_id in sorted(i for i in ids if REQUIREMENT_ID.match(i)):
        req = known.get(req_id)
        name = f"{req_id}: {req.title}" if req else f"{req_id} (not in the catalogue)"
        kept.append({"type": "requirement", "name": name, "url": f"{page}#{req_id.lower()}"})
    return kept


def strip_analytics(html: str) -> str:
    cleaned = _GTAG_INLINE.sub("", _GTAG_LOADER.sub("", html))
    left = [marker for marker in ANALYTICS_MARKERS if marker in cleaned]
    if left:
        raise SignoffError(f"the generated report still holds analytics code ({', '.join(left)}); not publishing it")
    return cleaned


def run_allure(paths: ReportPaths, staging: Path, *, name: str) -> None:
    cli = paths.root / "node_modules" / "allure" / "cli.js"
    node = shutil.which("node")
    if node is None:
        raise SignoffError("Node.js is needed for the HTML report (node not on PATH)")
    paths.history.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SIGNOFF_REPORT_NAME": name,
        "SIGNOFF_REPORT_OUT": str(paths.out),
        "SIGNOFF_HISTORY_PATH": str(paths.history),
        "NO_COLOR": "1",
    }
    cmd = [
        node,
        str(cli),
        "generate",
        str(staging),
        "--config",
        str(paths.config),
        "--output",
        str(paths.out),
    ]
    done = subprocess.run(cmd, cwd=paths.root, env=env, capture_output=True, text=True, check=False, timeout=300)
    index = paths.out / "index.html"
    if done.returncode != 0 or not index.is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SignoffError("allure generate failed: " + (" | ".join(tail) or f"exit {done.returncode}"))


def generate_report(
    paths: ReportPaths,
    catalogue: Sequence[Requirement],
    *,
    name: str,
    link_base: str = "",
    flaky_waivers: Mapping[str, str] | None = None,
    bites: BiteScore | None = None,
    titles: Mapping[str, str] | None = None,
) -> Path:
    """Generate ``<out>/index.html`` (single file) and ``<out>/requirements.html`` (with the contract coverage
    per section, titled by ``titles``, and the bite score); return the index."""
    run = load_results(paths.results)  # a clear error for a missing/empty folder, before npm runs
    scenarios, _ = apply_waivers(run.scenarios, flaky_waivers or {})
    run = replace(run, scenarios=tuple(scenarios))
    flaky_keys = frozenset(s.key for s in run.scenarios if s.flaky)
    ensure_npm_deps(paths.root)
    paths.out.mkdir(parents=True, exist_ok=True)
    (paths.out / "index.html").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="allure-staging-") as tmp:
        stage_results(paths.results, Path(tmp), catalogue, link_base=link_base, flaky_keys=flaky_keys)
        run_allure(paths, Path(tmp), name=name)
    index = paths.out / "index.html"
    index.write_text(strip_analytics(index.read_text(encoding="utf-8")), encoding="utf-8")
    verdicts = requirement_verdicts(catalogue, run.scenarios)
    page = requirements_html(verdicts, title=name, sections=section_coverage(verdicts, titles), bites=bites)
    (paths.out / REQUIREMENTS_PAGE).write_text(page, encoding="utf-8")
    write_latency_page(paths.results, paths.out / LATENCY_PAGE, title=name)
    return index


def write_latency_page(results: Path, out: Path, *, title: str) -> None:
    """`latency.html` beside the report: the answer times per route against the environment's budgets."""
    from signoff.render import latency_html

    out.write_text(page(f"{title}: latency budgets", latency_html(load_latency(results))), encoding="utf-8")
