"""Add up pytest's JUnit report and the acceptance run's Allure results into the one closing line CI reads:
`N passed, N failed, N skipped`.

Scenarios are counted as the gate counts them (signoff/): each once, by its latest result; a flaky one
(passed only on a retry) is not a clean pass and counts as failed, unless config/signoff.yaml waives it.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from signoff.errors import SignoffError  # after the repository root is on the path
from signoff.flaky import apply_waivers
from signoff.results import load_results
from signoff.settings import load_settings
from signoff.statuses import Status

SETTINGS = Path("config/signoff.yaml")


def count_junit(paths: list[Path]) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for path in paths:
        root = ET.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
        for suite in suites:
            for case in suite.iter("testcase"):
                kinds = {child.tag for child in case}
                if kinds & {"failure", "error"}:
                    failed += 1
                elif "skipped" in kinds:
                    skipped += 1
                else:
                    passed += 1
    return passed, failed, skipped


def count_scenarios(results: Path) -> tuple[int, int, int, int]:
    """(passed, failed, skipped, flaky) by each scenario's latest result; unwaived flaky ones count as failed."""
    waivers = load_settings(SETTINGS).flaky_waivers if SETTINGS.is_file() else {}
    scenarios, _ = apply_waivers(load_results(results).scenarios, waivers)
    passed = sum(1 for s in scenarios if s.clean_pass)
    skipped = sum(1 for s in scenarios if s.status in (Status.SKIPPED,))
    flaky = sum(1 for s in scenarios if s.flaky)
    return passed, len(scenarios) - passed - skipped, skipped, flaky


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pytest_xml", type=Path)
    parser.add_argument("allure_results", type=Path)
    parser.add_argument("--extra-failures", type=int, default=0, help="failed checks outside the two runners")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()
    missing = []
    pytest_counts = count_junit([args.pytest_xml]) if args.pytest_xml.exists() else (0, 1, 0)
    if not args.pytest_xml.exists():
        missing.append(str(args.pytest_xml))
    try:
        scenario_counts = count_scenarios(args.allure_results)
    except SignoffError as exc:
        missing.append(str(exc))
        scenario_counts = (0, 1, 0, 0)
    print(f"pytest: {pytest_counts[0]} passed, {pytest_counts[1]} failed, {pytest_counts[2]} skipped")
    print(f"behave scenarios: {scenario_counts[0]} passed, {scenario_counts[1]} failed, {scenario_counts[2]} skipped"
          f" ({scenario_counts[3]} flaky: passed only on a retry, counted as failed unless waived)")
    if missing:
        print("missing results (counted as failed): " + "; ".join(missing))
    if args.extra_failures:
        print(f"other failed checks (lint, report, gate): {args.extra_failures}")
    if args.seconds:
        print(f"wall time: {args.seconds} s")
    passed = pytest_counts[0] + scenario_counts[0]
    failed = pytest_counts[1] + scenario_counts[1] + args.extra_failures
    skipped = pytest_counts[2] + scenario_counts[2]
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
