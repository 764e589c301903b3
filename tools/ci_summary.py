"""Add up pytest's and behave's JUnit reports into the one closing line CI reads: `N passed, N failed`."""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(paths: list[Path]) -> tuple[int, int, int]:
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pytest_xml", type=Path)
    parser.add_argument("behave_dir", type=Path)
    parser.add_argument("--extra-failures", type=int, default=0, help="failed checks outside the two runners")
    parser.add_argument("--seconds", type=int, default=0)
    args = parser.parse_args()
    missing = [str(p) for p in (args.pytest_xml, args.behave_dir) if not p.exists()]
    pytest_counts = count([args.pytest_xml]) if args.pytest_xml.exists() else (0, 1, 0)
    behave_files = sorted(args.behave_dir.glob("*.xml")) if args.behave_dir.exists() else []
    behave_counts = count(behave_files) if behave_files else (0, 1, 0)
    print(f"pytest: {pytest_counts[0]} passed, {pytest_counts[1]} failed, {pytest_counts[2]} skipped")
    print(f"behave scenarios: {behave_counts[0]} passed, {behave_counts[1]} failed, {behave_counts[2]} skipped")
    if missing:
        print("missing results (counted as failed): " + ", ".join(missing))
    if args.extra_failures:
        print(f"other failed checks (lint, report, gate): {args.extra_failures}")
    if args.seconds:
        print(f"wall time: {args.seconds} s")
    passed = pytest_counts[0] + behave_counts[0]
    failed = pytest_counts[1] + behave_counts[1] + args.extra_failures
    skipped = pytest_counts[2] + behave_counts[2]
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
