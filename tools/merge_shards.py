"""Merge the shards of one parallel run into one allure-results/ and one run record; see parallel/merge.py.

    python tools/merge_shards.py [--out allure-results] [--record reports/run/run.json] \
        [--timings reports/timings.json] SHARD_FOLDER...

Each SHARD_FOLDER holds what one shard's job kept: allure-results/ and reports/run/run.json. Then
`python -m signoff report|gate|record` read the merged folder as one run. Exit 2 when the shards do not
belong together (another plan, a shard missing or given twice).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parallel.merge import MergeError, merge  # after the repository root is on the path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=Path("allure-results"))
    parser.add_argument("--record", type=Path, default=Path("reports/run/run.json"))
    parser.add_argument("--timings", default="reports/timings.json",
                        help="updated with every shard's durations, for the next run's plan; 'none' leaves it")
    args = parser.parse_args()
    try:
        timings_file = None if args.timings == "none" else Path(args.timings)
        merged = merge(args.shards, args.out, args.record, timings_file)
    except MergeError as exc:
        print(f"merge_shards: {exc}", file=sys.stderr)
        return 2
    counts = merged["summary"]
    print(f"Merged {merged['plan']['merged_shards']} shards into {args.out}: {counts['planned']} scenarios, "
          f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped, "
          f"{counts['flaky']} flaky, {counts['unfinished']} not finished; record {args.record}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
