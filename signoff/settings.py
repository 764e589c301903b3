"""config/signoff.yaml: defaults for the record command (CLI options win)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signoff.bites import DEFAULT_JUNIT
from signoff.errors import SignoffError
from signoff.files import read_yaml_mapping


@dataclass(frozen=True)
class SignoffSettings:
    """Where the sign-off reads and writes; these defaults are also the command line's (cli.py)."""

    results: str = "allure-results"
    catalogue: str = "data/requirements"
    gate: str = "config/gate.yaml"
    out: str = "reports/signoff"
    report: str = "reports/html/index.html"
    api_snapshots: str = "data/api-snapshots"  # <folder>/<environment>/<service>.json: the accepted API
    bites_junit: str = DEFAULT_JUNIT  # pytest's junit holding the mutant runs of tests/bites (the bite score)
    decision: str | None = None
    approver: str | None = None
    date: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    flaky_waivers: dict[str, str] = field(default_factory=dict)  # scenario title -> why its flakiness may ship


def load_settings(path: Path | None) -> SignoffSettings:
    if path is None:
        return SignoffSettings()
    data = read_yaml_mapping(path, "sign-off settings")
    unknown = set(data) - set(SignoffSettings.__dataclass_fields__)
    if unknown:
        raise SignoffError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    texts = {key: _texts(data.get(key), path, key, what) for key, what in _TEXT_MAPPINGS.items()}
    values: dict[str, Any] = {k: (None if v is None else str(v)) for k, v in data.items() if k not in texts}
    return SignoffSettings(**values, **texts)


_TEXT_MAPPINGS = {"reasons": "REQ-ID", "flaky_waivers": "a scenario's title (Area / Feature / Story / Name)"}


def _texts(value: Any, path: Path, key: str, what: str) -> dict[str, str]:
    if not isinstance(value or {}, Mapping):
        raise SignoffError(f"{path}: {key} must map {what} to text")
    return {str(k): str(v) for k, v in (value or {}).items()}


DEFAULTS = SignoffSettings()
