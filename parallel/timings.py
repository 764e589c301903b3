"""The last run's seconds per scenario (Allure historyId -> seconds), to balance the next run's shares.

Kept in reports/timings.json (CI: cache or artifact it); a missing or unreadable file just means "no
timings yet" and the plan falls back to step counts. Each run updates the scenarios it ran and keeps the
others, so a run of one area does not forget the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from signoff.results import Scenario


def read(path: Path | None) -> dict[str, float]:
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float) and v >= 0}


def updated(previous: Mapping[str, float], attempts: Iterable[Scenario]) -> dict[str, float]:
    """`previous` with the seconds of the latest attempt of each scenario that ran."""
    latest: dict[str, Scenario] = {}
    for attempt in attempts:
        if attempt.stop and attempt.start and (attempt.key not in latest or attempt.stop >= latest[attempt.key].stop):
            latest[attempt.key] = attempt
    return {**previous, **{key: round((s.stop - s.start) / 1000, 3) for key, s in latest.items()}}


def write(path: Path, timings: Mapping[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(sorted(timings.items())), indent=0), encoding="utf-8")
