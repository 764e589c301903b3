"""config/signoff.yaml: defaults for the record command (CLI options win)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from signoff.errors import SignoffError


@dataclass(frozen=True)
class SignoffSettings:
    results: str = "allure-results"
    catalogue: str = "data/requirements"
    gate: str = "config/gate.yaml"
    out: str = "reports/signoff"
    report: str = "reports/html/index.html"
    api_snapshots: str = "data/api-snapshots"  # <folder>/<environment>/<service>.json: the accepted API
    decision: str | None = None
    approver: str | None = None
    date: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)


def load_settings(path: Path | None) -> SignoffSettings:
    if path is None:
        return SignoffSettings()
    if not path.is_file():
        raise SignoffError(f"no sign-off settings at {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SignoffError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise SignoffError(f"{path} must be a mapping of settings")
    unknown = set(data) - set(SignoffSettings.__dataclass_fields__)
    if unknown:
        raise SignoffError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    reasons = data.get("reasons") or {}
    if not isinstance(reasons, Mapping):
        raise SignoffError(f"{path}: reasons must map REQ-ID to text")
    values: dict[str, Any] = {k: (None if v is None else str(v)) for k, v in data.items() if k != "reasons"}
    return SignoffSettings(**values, reasons={str(k): str(v) for k, v in reasons.items()})
