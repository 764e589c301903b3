"""What a run leaves beside Allure's results for the report and the sign-off, which run after the platform stopped.

- `api/<service>.json`: each service's own OpenAPI document as served during the run (the sign-off compares
  it with the one stored when the last release was accepted: API drift);
- `conformance/<run id>.json`: how many answers of each resource this behave process checked against the
  contract's schemas (one file per worker; `signoff.conformance` adds them up for the report and sign-off);
- `latency/<run id>.json`: every answer's time per service and route, with the environment's budgets (one file
  per worker; `signoff.latency` judges them together for the report, the sign-off and the gate).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx

from signoff.latency import FOLDER as LATENCY_FOLDER
from support.http.conformance import Conformance, write_tally
from support.http.latency import LatencyRecorder, write_samples
from support.runner.config import SuiteConfig

API_FOLDER = "api"
CONFORMANCE_FOLDER = "conformance"


def capture_api_documents(results_dir: Path, config: SuiteConfig) -> list[str]:
    """Write each service's `/openapi.json` into `<results>/api/`; the lines say what could not be captured."""
    folder = results_dir / API_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, service in config.services.items():
        try:
            answer = httpx.get(f"{service.base_url}/openapi.json", timeout=config.timeouts.read)
            document = answer.json() if answer.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as exc:
            problems.append(f"{name}: /openapi.json could not be read ({type(exc).__name__})")
            continue
        if not isinstance(document, dict):
            problems.append(f"{name}: /openapi.json answered {answer.status_code} without a JSON document")
            continue
        _write_atomically(folder / f"{name}.json", json.dumps(document, indent=2, sort_keys=True))
    return problems


def record_conformance(results_dir: Path, checker: Conformance, *, run_id: str) -> None:
    if checker.enabled:
        write_tally(checker.tally, results_dir / CONFORMANCE_FOLDER / f"{run_id}.json")


def record_latency(results_dir: Path, recorder: LatencyRecorder, config: SuiteConfig, *, run_id: str) -> None:
    if recorder.enabled and recorder.count():
        write_samples(recorder, results_dir / LATENCY_FOLDER / f"{run_id}.json", environment=config.env_name,
                      budgets=config.budgets)


def _write_atomically(path: Path, text: str) -> None:
    """Parallel workers capture the same documents: each writes whole files, never half of one."""
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
