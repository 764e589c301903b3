"""python -m signoff report | gate | record (see docs/REPORTS.md)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from signoff.bites import BiteScore, load_bites
from signoff.catalogue import Requirement, catalogue_exists, load_catalogue
from signoff.conformance import load_conformance
from signoff.drift import DEFAULT_SNAPSHOTS, ApiDrift, api_drift, store_snapshot
from signoff.errors import SignoffError
from signoff.flaky import apply_waivers
from signoff.gate import BitesOf, Criterion, DriftOf, LatencyOf, evaluate, format_gate, load_gate
from signoff.latency import LatencyTable, load_latency
from signoff.record import DECISIONS, Choice, build_record, make_decision, parse_reasons
from signoff.render import to_html, to_markdown
from signoff.report import ReportPaths, generate_report
from signoff.results import RunResults, load_results
from signoff.sections import contract_path, section_titles
from signoff.settings import DEFAULTS, SignoffSettings, load_settings
from signoff.specification import with_written_scenarios
from signoff.statuses import Mark, Verdict

ROOT = Path(__file__).resolve().parents[1]
# The specification (which requirements have scenarios written for them) is this repository's, wherever
# the command runs; the paths given on the command line (and their defaults) are relative to the working folder.
FEATURES = ROOT / "features"
DEFAULT_SETTINGS = Path("config/signoff.yaml")
JUNIT_HELP = "pytest's junit with the mutant runs of tests/bites (default: bites_junit of the settings)"


def _catalogue(path: Path) -> tuple[Requirement, ...]:
    return with_written_scenarios(load_catalogue(path), FEATURES)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SignoffError as exc:
        print(f"signoff {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m signoff", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    report = commands.add_parser("report", help="HTML report (Allure Report 3, single file, offline)")
    report.add_argument("--results", type=Path, default=Path(DEFAULTS.results))
    report.add_argument("--out", type=Path, default=Path(DEFAULTS.report).parent)
    report.add_argument("--history", type=Path, default=Path("reports/history/history.jsonl"))
    report.add_argument("--catalogue", type=Path, default=Path(DEFAULTS.catalogue))
    report.add_argument("--name", default="Platform acceptance")
    report.add_argument("--from", dest="settings", type=Path, default=None,
                        help=f"sign-off settings, for their flaky_waivers (default: {DEFAULT_SETTINGS} if present)")
    report.add_argument(
        "--link-base",
        default=os.environ.get("SIGNOFF_LINK_BASE", ""),
        help="http(s) URL where the report is published: makes requirement links clickable",
    )
    report.add_argument("--junit", type=Path, default=None, help=JUNIT_HELP)
    report.set_defaults(func=cmd_report)

    gate = commands.add_parser("gate", help="quality gate: exit 0 pass, 1 fail, 2 cannot decide")
    gate.add_argument("--results", type=Path, default=Path(DEFAULTS.results))
    gate.add_argument("--gate", type=Path, default=Path(DEFAULTS.gate))
    gate.add_argument("--catalogue", type=Path, default=None)
    gate.add_argument("--from", dest="settings", type=Path, default=None,
                      help=f"sign-off settings, for their flaky_waivers (default: {DEFAULT_SETTINGS} if present)")
    gate.add_argument("--junit", type=Path, default=None, help=JUNIT_HELP + " (a criterion's junit: wins)")
    gate.set_defaults(func=cmd_gate)

    record = commands.add_parser("record", help="sign-off record: signoff.md and signoff.html")
    record.add_argument("--from", dest="settings", type=Path, default=None, help=f"default: {DEFAULT_SETTINGS}")
    record.add_argument("--results", type=Path)
    record.add_argument("--catalogue", type=Path)
    record.add_argument("--gate", type=Path)
    record.add_argument("--out", type=Path)
    record.add_argument("--report", type=Path, help="HTML report to link to")
    record.add_argument("--api-snapshots", type=Path, help="accepted API descriptions (default: data/api-snapshots)")
    record.add_argument("--junit", type=Path, help=JUNIT_HELP)
    record.add_argument("--decision", choices=DECISIONS)
    record.add_argument("--approver")
    record.add_argument("--date", help="YYYY-MM-DD (default: today)")
    record.add_argument("--reason", action="append", default=[], metavar='REQ-ID="text"')
    record.set_defaults(func=cmd_record)
    return parser


def cmd_report(args: argparse.Namespace) -> int:
    paths = ReportPaths(
        root=ROOT,
        results=args.results.resolve(),
        out=args.out.resolve(),
        history=args.history.resolve(),
        config=ROOT / "allurerc.mjs",
    )
    catalogue = _catalogue(args.catalogue) if catalogue_exists(args.catalogue) else ()
    settings = _settings(args.settings)
    bites = load_bites(args.junit or Path(settings.bites_junit))
    index = generate_report(paths, catalogue, name=args.name, link_base=args.link_base,
                            flaky_waivers=settings.flaky_waivers, bites=bites,
                            titles=section_titles(contract_path(ROOT)))
    print(f"report: {index} (open it from disk; requirements: {index.parent / 'requirements.html'}, "
          f"latency budgets: {index.parent / 'latency.html'})")
    if not catalogue:
        print(f"note: no catalogue at {args.catalogue}; requirement links name the tag only")
    return 0


def _gate_catalogue(gate_catalogue: str | None, override: Path | None, needed: bool) -> Sequence[Requirement]:
    path = override or Path(gate_catalogue or DEFAULTS.catalogue)
    if catalogue_exists(path) or needed:
        return _catalogue(path)
    return ()


def _settings(path: Path | None) -> SignoffSettings:
    """The given settings file, else config/signoff.yaml when there is one, else the defaults."""
    return load_settings(path or (DEFAULT_SETTINGS if DEFAULT_SETTINGS.is_file() else None))


def _waived(run: RunResults, waivers: dict[str, str]) -> tuple[RunResults, list[str]]:
    scenarios, unused = apply_waivers(run.scenarios, waivers)
    return dataclasses.replace(run, scenarios=tuple(scenarios)), unused


def cmd_gate(args: argparse.Namespace) -> int:
    config = load_gate(args.gate)
    settings = _settings(args.settings)
    run, unused = _waived(load_results(args.results), settings.flaky_waivers)
    catalogue = _gate_catalogue(config.catalogue, args.catalogue, config.needs_catalogue)
    result = evaluate(config.criteria, run.scenarios, catalogue,
                      drift=_drift_of(args.results, run.metadata.environment_name),
                      bites=_bites_of(args.junit or Path(settings.bites_junit)),
                      latency=_latency_of(args.results))
    header = f"Quality gate {args.gate} on {args.results}: {len(run.scenarios)} scenarios (latest result of each)"
    print(format_gate(result, header=header))
    for title in unused:
        print(f"note: the flaky waiver for '{title}' matches no flaky scenario of this run")
    return 0 if result.passed else 1


def _drift_of(results: Path, environment: str, snapshots: Path | None = None) -> DriftOf:
    """The API drift a gate criterion judges: against its own `snapshots:` folder, else the given one."""
    def drift(criterion: Criterion) -> ApiDrift:
        folder = Path(criterion.options.get("snapshots") or snapshots or DEFAULT_SNAPSHOTS)
        return api_drift(results, folder, environment)
    return drift


def _bites_of(junit: Path) -> BitesOf:
    """The bite score a gate criterion judges: from its own `junit:` file, else the given one."""
    def bites(criterion: Criterion) -> BiteScore:
        return load_bites(Path(criterion.options.get("junit") or junit))
    return bites


def _latency_of(results: Path) -> LatencyOf:
    """The latency table a gate criterion judges, with its own `min_samples:` when it names one."""
    def latency(criterion: Criterion) -> LatencyTable | None:
        needed = criterion.options.get("min_samples")
        return load_latency(results, min_samples=int(needed) if needed is not None else None)
    return latency


def cmd_record(args: argparse.Namespace) -> int:
    settings = _settings(args.settings)
    results = args.results or Path(settings.results)
    gate_path = args.gate or Path(settings.gate)
    out = args.out or Path(settings.out)
    report = args.report or Path(settings.report)
    reasons = {**settings.reasons, **parse_reasons(args.reason)}
    decision = make_decision(
        args.decision or settings.decision,
        args.approver or settings.approver,
        args.date or settings.date,
        reasons,
    )
    run, unused = _waived(load_results(results), settings.flaky_waivers)
    if unused:
        raise SignoffError("flaky waiver(s) for scenario(s) that are not flaky in this run: " + "; ".join(unused))
    snapshots = args.api_snapshots or Path(settings.api_snapshots)
    environment = run.metadata.environment_name
    catalogue = _catalogue(args.catalogue or Path(settings.catalogue))
    junit = args.junit or Path(settings.bites_junit)
    gate = evaluate(load_gate(gate_path).criteria, run.scenarios, catalogue,
                    drift=_drift_of(results, environment, snapshots), bites=_bites_of(junit),
                    latency=_latency_of(results))
    record = build_record(decision, run, catalogue, gate, drift=api_drift(results, snapshots, environment),
                          conformance=load_conformance(results), bites=load_bites(junit),
                          titles=section_titles(contract_path(ROOT)), latency=load_latency(results))
    out.mkdir(parents=True, exist_ok=True)
    link = os.path.relpath(report.resolve(), out.resolve()) if report.is_file() else None
    (out / "signoff.md").write_text(to_markdown(record), encoding="utf-8")
    (out / "signoff.html").write_text(to_html(record, report_link=link), encoding="utf-8")
    counts = ", ".join(f"{record.count(v)} {v}" for v in Verdict)
    print(f"sign-off: {decision.label}; gate {Mark.of(gate.passed).word}; requirements: {counts}")
    print(f"wrote {out / 'signoff.md'} and {out / 'signoff.html'}")
    print(f"API drift: {record.drift.summary() if record.drift else 'not judged'}")
    print(record.bites.summary() if record.bites else "bite score: not measured (not read)")
    if decision.decision in (Choice.ACCEPTED, Choice.KNOWN_ISSUES):
        stored = store_snapshot(results, snapshots, environment)
        print(f"stored this release's API descriptions as the accepted ones of '{environment}' in {stored}")
    return 0
