"""Run the acceptance suite in N behave workers: `python tools/parallel_behave.py [--workers N] [behave args]`.

Scenarios are independent (each makes its own tenants and people), so feature files are shared out over
the workers, heaviest first, each to the least loaded. Every worker is a plain behave run with its own
managed platform on free loopback ports (or the same external deployment); all of them write Allure
results into one `allure-results/` (cleared once here, kept by the workers) and JUnit files into
`--junit-directory`. Each worker's output is printed whole when it ends; the exit code is non-zero if any
worker failed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support.runner.reporting import clear_previous_results  # noqa: E402 - after the path is set

STEP = re.compile(r"^\s*(Given|When|Then|And|But)\b", re.MULTILINE)


def past_durations(junit_dir: Path) -> dict[Path, float]:
    """Seconds each feature file took in the last run, from behave's JUnit files (none: empty)."""
    durations: dict[Path, float] = {}
    for report in junit_dir.glob("TESTS-*.xml"):
        dotted = report.name[len("TESTS-"):-len(".xml")].removeprefix("features.")
        area, _, stem = dotted.partition(".")
        try:
            cases = ET.parse(report).getroot().iter("testcase")
            durations[ROOT / "features" / area / f"{stem}.feature"] = sum(float(c.get("time", 0)) for c in cases)
        except (ET.ParseError, ValueError):
            continue
    return durations


def share_out(features: list[Path], workers: int, durations: dict[Path, float]) -> list[list[Path]]:
    """Heaviest first, each to the least loaded worker. Weight: the last run's seconds when known, else
    the number of steps written (the best cheap predictor of a feature's time, r = 0.8 here)."""
    def weight(feature: Path) -> float:
        if feature in durations:
            return durations[feature]
        return len(STEP.findall(feature.read_text(encoding="utf-8"))) * 0.25  # ~0.25 s a step

    shares: list[list[Path]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for feature in sorted(features, key=weight, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest].append(feature)
        loads[lightest] += weight(feature)
    return [share for share in shares if share]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--features", type=Path, default=ROOT / "features")
    parser.add_argument("--results", type=Path, default=ROOT / "allure-results")
    parser.add_argument("--timings", type=Path, default=ROOT / "reports" / "behave",
                        help="JUnit files of an earlier run, to balance the workers by real durations")
    args, behave_args = parser.parse_known_args()
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    features = sorted(args.features.rglob("*.feature"))
    if not features:
        print(f"no feature files under {args.features}", file=sys.stderr)
        return 2
    durations = past_durations(args.timings)  # read before this run's JUnit files replace them
    args.results.mkdir(parents=True, exist_ok=True)
    clear_previous_results(args.results)
    shares = share_out([path.resolve() for path in features], args.workers, durations)
    basis = "the last run's durations" if durations else "their step counts"
    print(f"{len(features)} feature files over {len(shares)} workers, balanced by {basis}", flush=True)
    started = time.monotonic()
    outcomes: dict[int, int] = {}
    lock = threading.Lock()

    def work(number: int, share: list[Path]) -> None:
        command = [sys.executable, "-m", "behave", "-D", "keep_results=true", *behave_args,
                   *(str(path.relative_to(ROOT)) for path in share)]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), check=False)
        with lock:
            outcomes[number] = run.returncode
            print(f"\n--- worker {number}: {len(share)} feature files, exit {run.returncode}, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
            print(run.stdout + run.stderr, flush=True)

    threads = [threading.Thread(target=work, args=(number, share)) for number, share in enumerate(shares, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = sorted(number for number, code in outcomes.items() if code != 0)
    verdict = f"workers {', '.join(map(str, failed))} failed" if failed else "every worker passed"
    print(f"\nParallel acceptance run: {verdict} in {time.monotonic() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
