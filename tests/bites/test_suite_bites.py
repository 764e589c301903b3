"""The suite bites: every mutant of the platform turns the scenario that guards its rule red.

For each case, a temporary environment config (a copy of `local` whose mutated service runs
`tests/bites/run_mutant.py <service> <mutant>`) is handed to behave with `-D config_file=`; behave runs
only the guarding scenarios (a tag expression) and writes its json report to a temporary folder
(never to allure-results/, see isolated_behave.py). The control case runs the union of all selections
on the unmutated platform and must pass, so that a red mutant run means the mutant was caught.

Known gaps (no scenario guards the rule yet) must survive their run and are then reported as xfail;
when a scenario starts catching such a mutant, its test fails and asks for the case to be updated.
BITES_WORKERS (default 3) behave runs go in parallel; each starts its own platform on free ports.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.bites.areas import AREAS
from tests.bites.case import Case
from tests.bites.registry import MUTANTS
from tests.bites.sample import requested_size, sample

REPO_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = REPO_ROOT / "config" / "environments.yaml"
RUN_MUTANT = "tests/bites/run_mutant.py"
ISOLATED_BEHAVE = REPO_ROOT / "tests" / "bites" / "isolated_behave.py"
# The control run is the union of every area's guarding selections and grows with them; on a loaded 2-core
# machine it needs several minutes. BITES_RUN_TIMEOUT_S overrides the limit of one behave run,
# BITES_CONTROL_TIMEOUT_S that of the control run (by default the larger of 1500 s and the one-run limit).
RUN_TIMEOUT_S = float(os.environ.get("BITES_RUN_TIMEOUT_S", "600"))
CONTROL_TIMEOUT_S = float(os.environ.get("BITES_CONTROL_TIMEOUT_S", max(RUN_TIMEOUT_S, 1500.0)))
# A full run's record (reports/run/run.json of tools/parallel_behave.py on this checkout) to read the control
# verdict from, instead of running the control selection again (CI sets it: the acceptance stage runs first).
CONTROL_RECORD = os.environ.get("BITES_CONTROL_RECORD", "")
WORKERS = int(os.environ.get("BITES_WORKERS", "3"))  # each run ~10-20 s; the control run is the longest
FAILED = frozenset({"failed", "error", "hook_error"})
CONTROL = "control"


BASE_CASES: tuple[Case, ...] = (
    Case("commission_mid_rate", "sales", "@REQ-SALES-COMM-01",
         r"^a 12,000\.00 deal paid in full earns Rita 7 %", r"'rate': '0\.05'"),
    Case("commission_boundary_exclusive", "sales", "@REQ-SALES-COMM-01",
         r"^a payment of 1,000\.00 on a deal of (10,000\.00|50,000\.00) net earns"),
    Case("deal_lookup_ignores_tenant", "sales", "@REQ-TEN-ISO-01",
         r"^Globex's admin can neither read, change nor move Acme's deal", r"GET /api/v1/deals/\S+ -> 200"),
    Case("problem_plain_json", "sales", "@REQ-TEN-ISO-01",
         r"^Globex's admin can neither read, change nor move Acme's deal",
         r"the content type is application/json, not application/problem\+json"),
    Case("overpayment_allowed", "sales", "@REQ-SALES-PAY-03",
         r"^300\.01 more on a deal of 1,000\.00 with 10 % off, already paid 600\.00, is an overpayment"),
    Case("idempotent_replay_records_twice", "sales", "@REQ-SALES-PAY-04",
         r'^Maria sends the payment of 300\.00 under reference "bank-0042" twice'),
    Case("logout_keeps_access_token", "identity", "@REQ-AUTH-LOGOUT-01",
         r"^Rita works, signs out, and her old pass is refused", r"GET /api/v1/auth/me -> 200"),
    Case("revocation_ignored", "sales", "@REQ-AUTH-LOGOUT-01",
         r"^Rita works, signs out, and her old pass is refused", r"sales to refuse the signed-out pass"),
    Case("revocation_ignored", "anomaly", "@REQ-AUTH-LOGOUT-01",
         r"^Rita works, signs out, and her old pass is refused", r"anomaly to refuse the signed-out pass"),
    Case("expired_token_accepted", "identity", "@REQ-AUTH-TOKEN-02",
         r"^a copy of her pass made with the platform's key that ran out 15 seconds ago is refused everywhere"),
    Case("health_live_broken", "sales", "@REQ-OPS-HEALTH-01",
         r"^the sales service is live and ready", r"GET /health/live -> 503"),
    Case("zscore_wrong_constant", "anomaly", "@REQ-ANOM-DET-01",
         r"^the 6 planted faults among 300 readings are flagged, and nothing else",
         r"were not flagged and rows \[\d"),
    Case("refresh_reuse_spares_family", "identity", "@REQ-AUTH-REFRESH-02",
         r"^replaying Rita's first renewal token also kills her newest one"),
    Case("zscore_threshold_ignored", "anomaly", "@REQ-ANOM-DET-02",
         r"^with threshold 0\.6745 a reading of 20 °C is anomalous"),
    Case("zscore_flags_at_threshold", "anomaly", "@REQ-ANOM-DET-02",
         r"^with threshold 0\.6745 a reading of 25 °C is normal"),
)
CASES: tuple[Case, ...] = BASE_CASES + tuple(case for area in AREAS for case in area.CASES)
# The cases this run makes: all, or a seeded sample (BITES_SAMPLE=N, BITES_SAMPLE_SEED; tests/bites/sample.py).
SELECTED: tuple[Case, ...] = tuple(sample([BASE_CASES, *(area.CASES for area in AREAS)], requested_size(),
                                          os.environ.get("BITES_SAMPLE_SEED", "0")))


@dataclass
class Run:
    """One behave run: its exit code, scenario statuses by name, and where its output is."""

    label: str
    returncode: int
    statuses: dict[str, str] = field(default_factory=dict)
    output: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[str]:
        return [name for name, status in self.statuses.items() if status in FAILED]

    @property
    def passed(self) -> list[str]:
        return [name for name, status in self.statuses.items() if status == "passed"]

    def explain(self) -> str:
        listed = "\n".join(f"  {status:8} {name}" for name, status in self.statuses.items()) or "  (none)"
        tail = "\n".join(self.output.splitlines()[-40:])
        return (f"behave run '{self.label}' exited {self.returncode} after {self.seconds:.1f} s; scenarios:\n"
                f"{listed}\nlast lines of its output:\n{tail}")


def case_id(case: Case) -> str:
    return f"{case.mutant}@{case.service}"


def environment_config(case: Case | None) -> dict[str, Any]:
    """The `local` environment, with the mutated service's command replaced by the mutant runner."""
    document = yaml.safe_load(ENVIRONMENTS.read_text(encoding="utf-8"))
    local = copy.deepcopy(document["environments"]["local"])
    if case is not None:
        local["services"][case.service]["command"] = [
            "{python}", RUN_MUTANT, case.service, case.mutant, "--host", "{host}", "--port", "{port}"]
    return {"default": "local", "environments": {"local": local}}


def feature_files(select: str) -> list[str]:
    """The feature files that mention a tag of `select`: other, unrelated features (possibly being
    edited right now) cannot abort the run through behave's catalogue check."""
    tags = re.findall(r"@[^\s()]+", select)
    files = []
    for path in sorted((REPO_ROOT / "features").rglob("*.feature")):
        text = path.read_text(encoding="utf-8")
        if any(re.search(re.escape(tag) + r"(?![^\s])", text) for tag in tags):
            files.append(str(path.relative_to(REPO_ROOT)))
    return files or ["features"]


def run_behave(label: str, case: Case | None, select: str) -> Run:
    with tempfile.TemporaryDirectory(prefix=f"bites-{label}-") as tmp:
        work = Path(tmp)
        config_file = work / "environments.yaml"
        config_file.write_text(yaml.safe_dump(environment_config(case), sort_keys=False), encoding="utf-8")
        report, plain = work / "behave.json", work / "behave.txt"
        # A caught case runs only the scenarios its `catches` names (behave's --name takes the same regex):
        # red there is the whole claim, and the rest of the requirement's scenarios would only cost time.
        names = ["--name", case.catches] if case is not None and case.catches else []
        command = [sys.executable, str(ISOLATED_BEHAVE), *feature_files(select), "--tags", select, *names,
                   "-D", f"config_file={config_file}", "-D", "env=local", "--no-capture", "--no-color",
                   "-f", "json", "-o", str(report), "-f", "plain", "-o", str(plain)]
        environ = {key: value for key, value in os.environ.items()
                   if key not in ("ACCEPTANCE_ENV", "ACCEPTANCE_CONFIG")}
        environ["ACCEPTANCE_LOGS"] = str(work / "logs")
        started = time.monotonic()
        limit = CONTROL_TIMEOUT_S if case is None else RUN_TIMEOUT_S
        with _process(command, environ) as process:
            try:
                stderr, _ = process.communicate(timeout=limit)
            except subprocess.TimeoutExpired:
                _stop(process)
                stderr, _ = process.communicate()
                stderr += f"\n(timed out after {limit:.0f} s)"
        seconds = time.monotonic() - started
        output = (plain.read_text(encoding="utf-8", errors="replace") if plain.exists() else "") + stderr
        return Run(label, process.returncode, _statuses(report, output), output, seconds)


@contextlib.contextmanager
def _process(command: list[str], environ: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environ, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            _stop(process)


def _stop(process: subprocess.Popen[str]) -> None:
    """SIGTERM lets behave's hooks stop the platform it started; SIGKILL if it does not exit."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _statuses(report: Path, plain: str) -> dict[str, str]:
    """Scenario name -> passed | failed | skipped, from behave's json report and plain summary.

    behave 1.3's json formatter leaves `status` empty for the last scenario of a rule, so a scenario's
    status is derived from its steps; scenarios named under "Failing scenarios:" are failed in any case.
    """
    statuses: dict[str, str] = {}
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    for feature in json.loads(text) if text.strip() else []:
        for element in feature.get("elements", []):
            if element.get("type") == "background":
                continue
            steps = [(step.get("result") or {}).get("status") for step in element.get("steps", [])]
            status = element.get("status")
            if status not in FAILED:
                if any(step in FAILED for step in steps):
                    status = "failed"
                elif steps and all(step == "passed" for step in steps):
                    status = "passed"
                else:
                    status = status or "skipped"
            statuses[str(element.get("name", "")).strip()] = str(status)
    block = plain.split("Failing scenarios:", 1)[1] if "Failing scenarios:" in plain else ""
    for line in block.splitlines()[1:]:
        match = re.match(r"^\s+\S+\.feature:\d+\s+(.*)$", line)
        if match is None:
            break
        statuses[match.group(1).strip()] = "failed"
    return statuses


def control_selection() -> str:
    return " or ".join(sorted({case.select for case in SELECTED}))


def control_from_record(path: Path) -> Run:
    """The control verdict read from a full run of this checkout (its run record, `reports/run/run.json`):
    every scenario of the control selection must have run there and passed every attempt. CI runs the whole
    suite anyway; reading its verdict saves a second run of two thirds of the suite."""
    from behave.tag_expression import make_tag_expression

    from parallel import record
    from parallel.plan import collect

    selected = collect([REPO_ROOT / "features"], tag_expression=make_tag_expression(control_selection()))
    try:
        scenarios = record.read(path)["scenarios"]
    except (OSError, ValueError, KeyError) as exc:
        return Run(CONTROL, 2, {}, f"the run record {path} cannot be read: {exc}")
    statuses = {}
    for planned in selected:
        outcomes = scenarios.get(planned.key, {}).get("outcomes") or ["not run in the recorded run"]
        statuses[planned.name] = "passed" if set(outcomes) == {"passed"} else "failed"
    failed = sum(status != "passed" for status in statuses.values())
    return Run(CONTROL, 1 if failed else 0, statuses,
               f"control read from {path}: {len(statuses) - failed} of {len(statuses)} selected scenarios passed")


def _job(label: str) -> Run:
    if label == CONTROL:
        if CONTROL_RECORD:
            return control_from_record(Path(CONTROL_RECORD))
        return run_behave(CONTROL, None, control_selection())
    case = next(case for case in SELECTED if case_id(case) == label)
    return run_behave(label, case, case.select)


class _OnDemand(dict[str, Run]):
    """Each run made when a test first asks for it."""

    def __missing__(self, label: str) -> Run:
        self[label] = _job(label)
        return self[label]


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> dict[str, Run]:
    """The behave runs of the selected tests of this module: WORKERS at a time, up front; under pytest-xdist,
    which spreads these tests over its processes (and so over the cores), each one when its test runs."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return _OnDemand()
    labels: list[str] = []
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module or "runs" not in getattr(item, "fixturenames", ()):
            continue
        callspec = getattr(item, "callspec", None)
        label = case_id(callspec.params["case"]) if callspec is not None else CONTROL
        if label not in labels:
            labels.append(label)
    labels.sort(key=lambda label: label != CONTROL)  # the longest run first
    with ThreadPoolExecutor(max_workers=max(1, WORKERS)) as pool:
        return dict(zip(labels, pool.map(_job, labels), strict=True))


def test_every_case_names_a_known_mutant_for_its_service() -> None:
    for case in CASES:
        assert case.mutant in MUTANTS, f"{case.mutant} is not a known mutant (tests/bites/registry.py)"
        assert case.service in MUTANTS[case.mutant].services, f"{case_id(case)}: wrong service"
        assert (case.catches is None) == bool(case.gap), f"{case_id(case)}: a gap needs a reason, a catch none"


def test_control_run_without_mutant_passes(runs: dict[str, Run], record_property: Any) -> None:
    record_property("bite_cases_known", len(CASES))  # the sign-off tells a sample's score from a full one
    run = runs[CONTROL]
    assert run.returncode == 0 and not run.failed and run.passed, run.explain()


@pytest.mark.parametrize("case", [pytest.param(case, id=case_id(case)) for case in SELECTED])
def test_mutant_turns_its_guarding_scenario_red(case: Case, runs: dict[str, Run]) -> None:
    run = runs[case_id(case)]
    assert run.statuses, f"no scenario ran (did the mutated platform start?)\n{run.explain()}"
    if case.catches is None:
        assert run.returncode == 0 and not run.failed, (
            f"known gap {case_id(case)} is now caught by {run.failed}: move it to the caught cases "
            f"(catches=...) in CASES and docs/BITES.md\n{run.explain()}")
        pytest.xfail(f"mutant survives, no scenario guards the rule: {case.gap}")
    assert run.returncode != 0, f"mutant {case_id(case)} survived: every scenario passed\n{run.explain()}"
    pattern = re.compile(case.catches)
    assert any(pattern.search(name) for name in run.failed), (
        f"mutant {case_id(case)}: the run failed, but not in the guarding scenario /{pattern.pattern}/\n"
        f"{run.explain()}")
    if case.because is not None:
        assert re.search(case.because, run.output), (
            f"mutant {case_id(case)}: red, but not for the expected reason /{case.because}/\n{run.explain()}")
