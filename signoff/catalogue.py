"""The requirement catalogue (data/requirements/*.yaml, one file per area) and the business areas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signoff.errors import SignoffError
from signoff.files import read_yaml_mapping
from signoff.results import REQUIREMENT_ID

# Catalogue area (= the feature's area tag) -> its epic in Allure. The single source: the suite's
# support/runner/reporting.py labels scenarios with it, the sign-off reads it back.
AREA_EPICS: dict[str, str] = {
    "sales": "Sales",
    "anomaly": "Anomaly detection",
    "tenancy": "Tenant isolation",
    "auth": "Authentication",
    "operations": "Operations",
}
SEVERITIES = ("blocker", "critical", "normal", "minor", "trivial")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    area: str
    contract: str
    severity: str
    text: str = ""
    quote: str = ""  # the contract's own sentence(s) this requirement stands for, word for word
    written: tuple[str, ...] = ()  # scenarios in the feature files that carry its tag (specification.py)

    @property
    def epic(self) -> str:
        return AREA_EPICS.get(self.area, self.area)

    @property
    def anchor(self) -> str:
        """HTML anchor of the requirement's entry, e.g. ``req-sales-comm-01``."""
        return self.id.lower()


def catalogue_files(path: Path) -> list[Path]:
    """The catalogue is one YAML file or a folder of them (one per area), read in name order."""
    if path.is_dir():
        return sorted(path.glob("*.yaml"))
    return [path] if path.is_file() else []


def catalogue_exists(path: Path) -> bool:
    return bool(catalogue_files(path))


def load_catalogue(path: Path) -> tuple[Requirement, ...]:
    files = catalogue_files(path)
    if not files:
        raise SignoffError(f"no requirement catalogue at {path}")
    requirements: list[Requirement] = []
    for file in files:
        requirements += _load_file(file)
    seen: set[str] = set()
    for req in requirements:
        if req.id in seen:
            raise SignoffError(f"{path}: requirement {req.id} is listed twice")
        seen.add(req.id)
    return tuple(requirements)


def _load_file(path: Path) -> list[Requirement]:
    items = read_yaml_mapping(path, "requirement catalogue").get("requirements")
    if not isinstance(items, list):
        raise SignoffError(f"{path} has no 'requirements:' list")
    return [_requirement(item, path, index) for index, item in enumerate(items)]


def _requirement(item: Any, path: Path, index: int) -> Requirement:
    if not isinstance(item, Mapping):
        raise SignoffError(f"{path}: entry {index + 1} is not a mapping")
    req_id = str(item.get("id") or "")
    if not REQUIREMENT_ID.match(req_id):
        raise SignoffError(f"{path}: entry {index + 1} has no valid id (REQ-...): {req_id!r}")
    severity = str(item.get("severity") or "normal")
    if severity not in SEVERITIES:
        raise SignoffError(f"{path}: {req_id} has unknown severity {severity!r}")
    return Requirement(
        id=req_id,
        title=str(item.get("title") or ""),
        area=str(item.get("area") or ""),
        contract=str(item.get("contract") or ""),
        severity=severity,
        text=str(item.get("text") or ""),
        quote=" ".join(str(item.get("quote") or "").split()),
    )
