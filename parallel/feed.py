"""The Allure results as workers write them: allure-behave writes one *-result.json when a scenario (one
attempt of it) ends, so a new file is a finished scenario. Files present before the feed started are not
news; a file caught half-written is read again on the next poll.
"""

from __future__ import annotations

import json
from pathlib import Path

from signoff.results import Scenario, scenario_of


class ResultsFeed:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: set[str] = {path.name for path in folder.glob("*-result.json")}

    def poll(self) -> list[tuple[Path, Scenario]]:
        """The attempts that finished since the last poll (their file, and what it says), oldest first."""
        fresh = []
        for path in sorted(self.folder.glob("*-result.json")):
            if path.name in self._seen:
                continue
            try:
                item = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # still being written
            self._seen.add(path.name)
            if isinstance(item, dict):
                fresh.append((path, scenario_of(item)))
        return sorted(fresh, key=lambda arrival: (arrival[1].stop, arrival[1].start))
