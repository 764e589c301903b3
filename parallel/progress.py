"""Live progress: one line per finished scenario with the counts so far and the time left; a failure's
message at once, under its line.

The time left is the plan's remaining weight (seconds from the last run, or step counts) at the pace seen
so far: weight finished per second of wall time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import TextIO

from signoff.results import Scenario
from signoff.statuses import NOT_DEMONSTRATED, Status

MESSAGE_LINES = 4


class Progress:
    def __init__(self, weight: Mapping[str, float], *, label: str = "", out: TextIO = sys.stdout) -> None:
        self.weight = dict(weight)
        self.label = label
        self.out = out
        self.started = time.monotonic()
        self.done: dict[str, list[Status]] = {}
        self.counts = dict.fromkeys(("passed", "failed", "skipped", "flaky"), 0)

    @property
    def total(self) -> int:
        return len(self.weight)

    def finished(self, attempt: Scenario) -> None:
        outcomes = self.done.setdefault(attempt.key, [])
        outcomes.append(attempt.status)
        self._recount()
        again = f" (attempt {len(outcomes)})" if len(outcomes) > 1 else ""
        flaky = " FLAKY" if Status.PASSED in outcomes and any(o in NOT_DEMONSTRATED for o in outcomes) else ""
        seconds = (attempt.stop - attempt.start) / 1000 if attempt.stop else 0.0
        tally = ", ".join(f"{n} {word}" for word, n in self.counts.items() if n or word in ("passed", "failed"))
        self._print(f"[{len(self.done):>{len(str(self.total))}}/{self.total}]{self.label} "
                    f"{attempt.status.upper():<7}{again}{flaky} {attempt.title} ({seconds:.1f} s) | {tally} | "
                    f"left {self.time_left()}")
        if attempt.status in NOT_DEMONSTRATED and attempt.message:
            for line in attempt.message.split("\n\n")[0].splitlines()[:MESSAGE_LINES]:
                self._print(f"      {line}")

    def time_left(self) -> str:
        """The larger of two guesses at the pace so far: by planned weight, and by number of scenarios (the
        weights are rough where they come from step counts, and the heaviest scenarios go first)."""
        known = [key for key in self.done if key in self.weight]
        done = sum(self.weight[key] for key in known)
        remaining = sum(w for key, w in self.weight.items() if key not in self.done)
        left = len(self.weight) - len(known)
        elapsed = time.monotonic() - self.started
        if not done or not known or not elapsed:
            return "?"
        seconds = max(remaining * elapsed / done, left * elapsed / len(known))
        return f"~{int(seconds // 60)}m{int(seconds % 60):02d}s"

    def note(self, line: str) -> None:
        self._print(line)

    def _recount(self) -> None:
        counts = dict.fromkeys(self.counts, 0)
        for outcomes in self.done.values():
            last = outcomes[-1]
            if Status.PASSED in outcomes and any(o in NOT_DEMONSTRATED for o in outcomes):
                counts["flaky"] += 1
            if last == Status.PASSED:
                counts["passed"] += 1
            elif last in NOT_DEMONSTRATED:
                counts["failed"] += 1
            else:
                counts["skipped"] += 1
        self.counts = counts

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)
