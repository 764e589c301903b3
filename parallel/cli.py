"""python tools/parallel_behave.py [options] [behave options]: the acceptance suite in parallel behave workers.

Scenarios (each outline row is one) are shared out over the workers, balanced by the last run's seconds
per scenario (reports/timings.json; step counts for scenarios it does not know). Every worker is a plain
behave run of its scenarios (file:line locations) with its own managed platform on free loopback ports (or
the same external deployment), writing Allure results into the one folder behave.ini names, which the
runner clears once. Options it does not know go to behave (e.g. --tags=@smoke, -D env=staging).

  --workers N              behave processes side by side (default 2)
  --worker-time-limit S    a worker still running after S seconds is killed with its platform, and the
                           scenarios it did not finish get a broken result saying so (default 1800)
  --retry N                re-run a failed scenario up to N times (a pass after a failure is *flaky*)
  --shuffle SEED|random    run features, scenarios and outline rows in an order drawn from SEED
  --repeat N               N runs (each shuffled with SEED, SEED+1, ... when --shuffle is given): a
                           stability check; every run's results are kept, so a scenario that passed in
                           one and failed in another is flaky in the report, the gate and the sign-off
  --shard K/N              run only share K of N (deterministic: same features, tags, timings and seed
                           give the same shares on every machine); tools/merge_shards.py joins them

Prints one line per finished scenario, with the counts so far and the time left; failures as they happen.
Writes reports/run/run.json (the run record: workers, every attempt per scenario, flaky ones) and the
workers' logs beside it. Exit 0 when every scenario passed (flaky after a retry included: the gate judges
those), 1 when one failed or did not finish, a worker crashed or was killed, or a repeated run found a
flaky scenario; 2 when it cannot start (bad options, nothing selected).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from behave.configuration import Configuration

from parallel import plan, record, session, timings, workers
from support.runner.reporting import clear_previous_results

DEFAULT_WORKER_TIME_LIMIT_S = 1800.0
SHARD = re.compile(r"^(\d+)/(\d+)$")


class UsageError(Exception):
    """A bad option or an empty selection: one line, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, behave_args = parser.parse_known_args(argv)
    try:
        return _run(args, behave_args)
    except UsageError as exc:
        print(f"parallel_behave: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tools/parallel_behave.py", description=__doc__.splitlines()[0],
                                     allow_abbrev=False)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--features", type=Path, nargs="+", default=None,
                        help="feature folders or files (default: behave's paths, i.e. features/)")
    parser.add_argument("--worker-time-limit", type=float, default=DEFAULT_WORKER_TIME_LIMIT_S)
    parser.add_argument("--retry", type=int, default=0)
    parser.add_argument("--shuffle", default=None, metavar="SEED|random")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--shard", default=None, metavar="K/N")
    parser.add_argument("--timings", default="reports/timings.json",
                        help="seconds per scenario from earlier runs (read, then updated); 'none' ignores them")
    parser.add_argument("--run-dir", type=Path, default=Path("reports/run"),
                        help="where run.json and the workers' logs go")
    return parser


def _run(args: argparse.Namespace, behave_args: list[str]) -> int:
    _check_options(args)
    config = _behave_config(behave_args)
    results = _allure_folder(config)
    paths = args.features or [Path(p) for p in config.paths or ["features"]]
    selected = plan.collect(paths, tag_expression=config.tag_expression,
                            language=config.lang)
    if not selected:
        raise UsageError("no scenario selected (check --features and --tags)")
    timings_path = None if args.timings == "none" else Path(args.timings)
    known = timings.read(timings_path)
    weight = plan.weights(selected, known)
    seeds = _seeds(args.shuffle, args.repeat)
    mine, plan_facts = _my_share(selected, weight, args.shard, seeds[0])
    if not mine:
        print(f"Shard {args.shard} holds no scenario of the {len(selected)} selected; nothing to run.")
    _fresh_run_dir(args.run_dir)
    results.mkdir(parents=True, exist_ok=True)
    clear_previous_results(results)
    basis = "the last run's durations" if any(p.key in known for p in mine) else "their step counts"
    where = f" (shard {args.shard} of {len(selected)} selected)" if args.shard else ""
    print(f"{len(mine)} scenarios{where} over {min(args.workers, max(len(mine), 1))} workers, balanced by "
          f"{basis}; Allure results in {results}", flush=True)
    settings = session.Settings(workers=args.workers, behave_args=tuple(behave_args), results=results,
                                folder=args.run_dir, worker_time_limit=args.worker_time_limit, retry=args.retry,
                                seeds=tuple(seeds))
    started = time.monotonic()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        runs = session.run_all(mine, weight, settings) if mine else []
    except KeyboardInterrupt:
        print("\nInterrupted: every worker and its platform stopped; results so far are in "
              f"{results}", file=sys.stderr, flush=True)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    built = record.build(mine, runs, plan=plan_facts, settings=_settings_facts(args, behave_args, seeds))
    record.write(args.run_dir / "run.json", built)
    if timings_path is not None and args.shard is None:  # a shard's would re-plan the others: merge_shards writes
        timings.write(timings_path, timings.updated(known, [a for run in runs for a in run.attempts]))
    record.add_run_facts(results, _run_facts(args, seeds))
    return _summarise(built, runs, time.monotonic() - started, args)


def _check_options(args: argparse.Namespace) -> None:
    if args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    if args.repeat < 1:
        raise UsageError("--repeat must be 1 or more")
    if args.retry < 0:
        raise UsageError("--retry cannot be negative")
    if args.worker_time_limit <= 0:
        raise UsageError("--worker-time-limit must be a positive number of seconds")
    if args.shard is not None:
        match = SHARD.match(args.shard)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise UsageError(f"--shard must be K/N with 1 <= K <= N, got '{args.shard}'")


def _behave_config(behave_args: list[str]) -> Configuration:
    try:
        if Configuration(command_args=list(behave_args), load_config=False).paths:
            raise UsageError("give feature paths with --features, not as behave arguments "
                             "(the runner hands each worker its own scenarios)")
        return Configuration(command_args=list(behave_args))
    except SystemExit as exc:  # argparse inside behave already printed why
        raise UsageError(f"behave does not accept these options: {' '.join(behave_args)}") from exc


def _allure_folder(config: Configuration) -> Path:
    for index, name in enumerate(config.format or []):
        if "allure" in name.lower() and index < len(config.outputs) and getattr(config.outputs[index], "name", None):
            return Path(config.outputs[index].name)
    raise UsageError("no Allure formatter with an output folder (behave.ini names one): the runner follows the "
                     "Allure results for its progress, and the report, gate and sign-off read them")


def _seeds(shuffle: str | None, repeat: int) -> list[int | None]:
    if shuffle is None:
        return [None] * repeat
    if shuffle == "random":
        first = random.SystemRandom().randrange(1, 1_000_000)
    else:
        try:
            first = int(shuffle)
        except ValueError:
            raise UsageError(f"--shuffle takes an integer seed or 'random', got '{shuffle}'") from None
    return [first + offset for offset in range(repeat)]


def _my_share(selected: list[plan.Planned], weight: dict[str, float], shard: str | None,
              seed: int | None) -> tuple[list[plan.Planned], dict[str, Any]]:
    if shard is None:
        return selected, {"fingerprint": plan.fingerprint([selected]), "planned": len(selected), "shard": None}
    index, count = (int(part) for part in shard.split("/"))
    shares = plan.share_out(selected, count, weight, seed=seed)
    facts = {"fingerprint": plan.fingerprint(shares), "planned": len(shares[index - 1]),
             "shard": {"index": index, "count": count, "planned_total": len(selected)}}
    return shares[index - 1], facts


def _fresh_run_dir(folder: Path) -> None:
    """The previous run's worker logs and locations go; run.json is replaced at the end."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name.startswith(("worker-", "run-")):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _settings_facts(args: argparse.Namespace, behave_args: list[str], seeds: list[int | None]) -> dict[str, Any]:
    return {"workers": args.workers, "retry": args.retry, "runs": args.repeat, "shuffle_seeds": seeds,
            "worker_time_limit": args.worker_time_limit, "shard": args.shard, "behave_args": behave_args}


def _run_facts(args: argparse.Namespace, seeds: list[int | None]) -> dict[str, str]:
    order = "file order" if seeds[0] is None else "shuffled, seed " + ", ".join(str(s) for s in seeds)
    facts = {"Runs": str(args.repeat), "Order": order, "Workers": str(args.workers)}
    if args.retry:
        facts["Retries"] = str(args.retry)
    if args.shard:
        facts["Shards"] = f"{args.shard.split('/')[0]} of {args.shard.split('/')[1]}"
    return facts


def _summarise(built: dict[str, Any], runs: list[session.RunReport], seconds: float,
               args: argparse.Namespace) -> int:
    counts = built["summary"]
    print(f"\nParallel acceptance run: {counts['planned']} scenarios, {len(runs)} run(s), {seconds:.0f} s: "
          f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped, "
          f"{counts['flaky']} flaky, {counts['unfinished']} not finished, "
          f"{counts['without_result']} without a result", flush=True)
    for entry in built["flaky"]:
        print(f"  flaky: {entry['title']} ({', '.join(entry['outcomes'])}) {entry['location']}")
    troubled = False
    for run in runs:
        for worker in run.workers:
            state = "killed" if worker.killed else f"exit {worker.exit}"
            print(f"  run {run.number} worker {worker.number}: {worker.scenarios} scenarios, {state}, "
                  f"{worker.seconds:.0f} s{''.join(f'; {note}' for note in worker.notes)}")
            if worker.killed or worker.exit not in (0, 1):
                troubled = True
                print("    last lines of its log:\n" + _indent(workers.log_tail_of(Path(worker.log))))
        for item in run.unreported:
            print(f"  run {run.number}: no Allure result for {item.location} ({item.title}): it skipped itself?")
    print(f"  run record: {args.run_dir / 'run.json'}", flush=True)
    exits = {worker.exit for run in runs for worker in run.workers}
    failed = counts["failed"] or counts["unfinished"] or troubled or exits - {0}
    unstable = args.repeat > 1 and counts["flaky"]
    return 1 if failed or unstable else 0


def _indent(text: str) -> str:
    return "\n".join(f"      {line}" for line in text.splitlines())


def _interrupt(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt(f"signal {signum}")
