"""Mutants of §5 anomaly: each breaks one promise; its case names the scenario that must go red."""

from __future__ import annotations

from tests.bites.case import Case
from tests.bites.mutants import Mutant

MUTANTS: tuple[Mutant, ...] = ()
CASES: tuple[Case, ...] = ()
