"""A bite case: a mutant applied to one service, the scenarios that guard its rule, and how they must fail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    mutant: str
    service: str  # the service whose process runs the mutant
    select: str  # behave tag expression: the scenarios that guard the rule
    catches: str | None  # regex matched against the names of the failed scenarios; None: a known gap
    because: str | None = None  # regex that the failure output must hold: red for the right reason
    gap: str = ""  # why nothing catches it yet (known gaps only)
