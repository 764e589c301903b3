"""How many answers of each resource the run checked against the contract's schemas.

Each behave process writes `<results>/conformance/<run id>.json` (`support.http.conformance.Tally`):
`{"checked": {resource: n}, "violations": {resource: n}, "json_answers": n, "other_answers": n}`.
The report and the sign-off add the workers' files up.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = "conformance"


@dataclass(frozen=True)
class Conformance:
    checked: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)
    json_answers: int = 0
    other_answers: int = 0
    seconds: float = 0.0  # time the checks took, all workers together

    @property
    def total_checked(self) -> int:
        return sum(self.checked.values())

    @property
    def total_violations(self) -> int:
        return sum(self.violations.values())

    def summary(self) -> str:
        return (f"{self.total_checked} of {self.json_answers} JSON answers checked against the contract's schemas "
                f"({len(self.checked)} resources), {self.total_violations} violations; "
                f"{self.other_answers} answers without JSON; checking took {self.seconds:.1f} s")

    def rows(self) -> list[tuple[str, int, int]]:
        """(resource, checked, violations), most checked first."""
        return [(name, count, self.violations.get(name, 0))
                for name, count in sorted(self.checked.items(), key=lambda item: (-item[1], item[0]))]


def load_conformance(results: Path) -> Conformance | None:
    """The run's figures, or None when no worker wrote any (checks switched off, or an older run)."""
    folder = results / FOLDER
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        return None
    checked: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    json_answers = other_answers = 0
    seconds = 0.0
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            checked.update({str(k): int(v) for k, v in (data.get("checked") or {}).items()})
            violations.update({str(k): int(v) for k, v in (data.get("violations") or {}).items()})
            json_answers += int(data.get("json_answers") or 0)
            other_answers += int(data.get("other_answers") or 0)
            seconds += float(data.get("seconds") or 0.0)
        except (OSError, ValueError, TypeError, AttributeError):
            continue
    return Conformance(checked, violations, json_answers, other_answers, seconds)


def environment_entries(figures: Conformance) -> dict[str, str]:
    """Entries for Allure's environment.properties: the summary and one line per resource."""
    entries = {"Contract schemas": figures.summary()}
    for name, count, bad in figures.rows():
        entries[f"Schema {name}"] = f"{count} checked" + (f", {bad} violations" if bad else "")
    return entries
