"""`make fuzz`: Schemathesis against each service's own OpenAPI document, on a deployment of any environment.

    python -m support.runner.fuzz [--env local] [--seconds 120] [--out reports/fuzz]

The environment is the suite's (`config/environments.yaml`; default the embedded platform, started and
stopped by the launcher as the suite does). Only the environment's configured base URLs are ever called.
Tokens are the suite's personas': Acme is made by the operator as the World does, and Alice (its admin)
fuzzes every service, the operator fuzzes identity's creation of tenants. Schemathesis (its CLI, one run per
service) sends schema-valid and schema-invalid requests, bounded by `--seconds` shared over the services and
by a request rate below the contract's default rate limit, and reports every 5xx answer and every answer
that breaks the service's own document. Signing out is left out: it would revoke the token being used.

Exit 0 when no service answered a 5xx nor broke its document; 1 otherwise; 2 when it could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from support.runner.config import REPO_ROOT, ConfigError, SuiteConfig, load_config
from support.runner.launcher import LaunchError, ManagedPlatform, default_logs_root, new_run_id
from support.screenplay.world import World

CHECKS = "not_a_server_error,response_schema_conformance"
RATE = "40/s"  # below the contract's default RATE_LIMIT_PER_TENANT (100/s) even with the suite's own calls
LEFT_OUT = ("/api/v1/auth/logout",)  # would revoke the token the fuzzer presents
PERSONA = "Alice"
EXAMPLES = 10  # per operation and round: every operation is reached early, rounds repeat until the time is up
HOOKS = "support.runner.fuzz_hooks"  # the NDJSON serialiser of the detection stream


@dataclass
class ServiceOutcome:
    service: str
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # check name -> failing operations
    errors: list[str] = field(default_factory=list)  # operations Schemathesis could not test, and why
    seconds: float = 0.0
    problem: str = ""

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    @property
    def schema_violations(self) -> int:
        return self.failures.get("response_schema_conformance", 0)

    @property
    def clean(self) -> bool:
        return not (self.problem or self.server_errors or sum(self.failures.values()) or self.errors)

    def line(self) -> str:
        if self.problem:
            return f"{self.service}: could not be fuzzed: {self.problem}"
        seen = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        failed = ", ".join(f"{check} x{n}" for check, n in sorted(self.failures.items())) or "none"
        errors = f"; not testable: {'; '.join(self.errors)}" if self.errors else ""
        return (f"{self.service}: {self.requests} requests in {self.seconds:.0f} s ({seen}); "
                f"5xx answers: {self.server_errors}; schema violations: {self.schema_violations}; "
                f"failing checks: {failed}{errors}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m support.runner.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--env", default=os.environ.get("ACCEPTANCE_ENV", "local"))
    parser.add_argument("--seconds", type=int, default=120, help="time budget shared by the three services")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "reports" / "fuzz")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args(argv)
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    if st is None:
        print("fuzz: the Schemathesis CLI (st) is not installed", file=sys.stderr)
        return 2
    try:
        config = load_config({"env": args.env}, os.environ)
    except ConfigError as exc:
        print(f"fuzz: configuration error: {exc}", file=sys.stderr)
        return 2
    platform = None
    try:
        if config.managed:
            platform = ManagedPlatform(config, run_id=new_run_id(), logs_root=default_logs_root())
            platform.start()
            config = config.with_platform(platform.base_urls, platform.signing_key_pem)
        outcomes = fuzz_all(config, st, seconds=args.seconds, out=args.out, seed=args.seed, platform=platform)
    except (LaunchError, AssertionError) as exc:
        print(f"fuzz: could not prepare the deployment: {exc}", file=sys.stderr)
        return 2
    finally:
        if platform is not None:
            platform.stop()
    for outcome in outcomes:
        print(outcome.line())
    total = sum(outcome.requests for outcome in outcomes)
    errors = sum(outcome.server_errors for outcome in outcomes)
    violations = sum(outcome.schema_violations for outcome in outcomes)
    verdict = "clean" if all(outcome.clean for outcome in outcomes) else "FINDINGS"
    print(f"fuzz {verdict}: {total} requests, {errors} 5xx answers, {violations} schema violations "
          f"(environment {config.env_name}; reports in {args.out})")
    if any(outcome.problem for outcome in outcomes):
        return 2
    return 0 if verdict == "clean" else 1


def fuzz_all(config: SuiteConfig, st: str, *, seconds: int, out: Path, seed: int,
             platform: ManagedPlatform | None) -> list[ServiceOutcome]:
    world = World(config, seed=seed, platform=platform)
    try:
        alice, operator = world.actor(PERSONA), world.operator
        budget = max(seconds // len(config.services), 5)
        outcomes = []
        for service in config.services:
            headers = [f"Authorization: Bearer {alice.access_token()}"]
            outcomes.append(fuzz_service(config, service, st, headers=headers, seconds=budget,
                                         out=out / service, seed=seed))
        # Creating tenants is the operator's call: a short extra run for that one operation.
        outcomes.append(fuzz_service(config, "identity", st, headers=[f"Authorization: Bearer "
                                                                      f"{operator.access_token()}"],
                                     seconds=max(budget // 3, 15), out=out / "identity-operator", seed=seed,
                                     only="/api/v1/tenants", label="identity (operator)"))
        return outcomes
    finally:
        world.close()


def fuzz_service(config: SuiteConfig, service: str, st: str, *, headers: list[str], seconds: int, out: Path,
                 seed: int, only: str | None = None, label: str | None = None) -> ServiceOutcome:
    """One Schemathesis CLI run against the service's own document; its JSON report read back."""
    outcome = ServiceOutcome(label or service)
    base = config.base_url(service)
    out.mkdir(parents=True, exist_ok=True)
    report = out / "report.ndjson"
    report.unlink(missing_ok=True)
    command = [st, "run", f"{base}/openapi.json", "--url", base, "--checks", CHECKS, "--max-time", str(seconds),
               "--rate-limit", RATE, "--workers", "1", "--seed", str(seed), "--phases", "examples,fuzzing",
               "--max-examples", str(EXAMPLES), "--request-timeout", str(config.timeouts.read),
               "--suppress-health-check", "all",
               "--report", "ndjson", "--report-ndjson-path", str(report), "--no-color"]
    command += [part for header in headers for part in ("-H", header)]
    command += ["--include-path", only] if only else [part for path in LEFT_OUT
                                                       for part in ("--exclude-path", path)]
    started = time.monotonic()
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds * 3 + 60,
                             cwd=out, env={**os.environ, "SCHEMATHESIS_HOOKS": HOOKS,
                                           "PYTHONPATH": os.pathsep.join(filter(None, [
                                               str(REPO_ROOT), os.environ.get("PYTHONPATH")]))})
    except subprocess.TimeoutExpired:
        outcome.problem = f"Schemathesis did not finish within {seconds * 3 + 60} s"
        return outcome
    outcome.seconds = time.monotonic() - started
    (out / "output.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    if not report.is_file():
        tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
        outcome.problem = f"Schemathesis wrote no report (exit {run.returncode}): {' | '.join(tail)}"
        return outcome
    read_report(report, outcome)
    return outcome


def read_report(report: Path, outcome: ServiceOutcome) -> None:
    """Count requests by status and failing checks from Schemathesis' NDJSON event stream."""
    failing: set[tuple[str, str]] = set()
    for line in report.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        for status in _statuses(event):
            outcome.statuses[status] += 1
            outcome.requests += 1
        for label, check in _failed_checks(event):
            failing.add((label, check))
        if isinstance(event, dict) and isinstance(event.get("NonFatalError"), dict):
            error = event["NonFatalError"]
            value = error.get("value") if isinstance(error.get("value"), dict) else {}
            message = str(value.get("message") or value.get("type") or "error").splitlines()[0]
            outcome.errors.append(f"{error.get('label', '?')}: {message}")
    outcome.failures = Counter(check for _label, check in failing)


def _statuses(event: Any) -> list[int]:
    """The status of every response recorded in one event (interactions of a finished scenario)."""
    found: list[int] = []
    if isinstance(event, dict):
        for key, value in event.items():
            if key == "response" and isinstance(value, dict) and isinstance(value.get("status_code"), int):
                found.append(value["status_code"])
            else:
                found += _statuses(value)
    elif isinstance(event, list):
        for value in event:
            found += _statuses(value)
    return found


def _failed_checks(event: Any, label: str = "") -> list[tuple[str, str]]:
    """(operation, check name) of every failed check in one event."""
    found: list[tuple[str, str]] = []
    if isinstance(event, dict):
        recorder = event.get("recorder")
        label = str(event.get("label") or (recorder.get("label") if isinstance(recorder, dict) else "") or label)
        if event.get("status") in ("failure", "FAILURE") and isinstance(event.get("name"), str):
            found.append((label, event["name"]))
        for value in event.values():
            found += _failed_checks(value, label)
    elif isinstance(event, list):
        for value in event:
            found += _failed_checks(value, label)
    return found


if __name__ == "__main__":
    sys.exit(main())
