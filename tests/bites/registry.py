"""Every mutant of the platform: the first ones (mutants.py) and each area's (areas/<area>.py)."""

from __future__ import annotations

from tests.bites.areas import AREAS
from tests.bites.mutants import MUTANTS as FIRST_MUTANTS
from tests.bites.mutants import SERVICES, AppFactory, Mutant, MutantError

__all__ = ["MUTANTS", "SERVICES", "MutantError", "apply"]


def _all() -> dict[str, Mutant]:
    found = dict(FIRST_MUTANTS)
    for area in AREAS:
        for mutant in area.MUTANTS:
            if mutant.name in found:
                raise MutantError(f"mutant '{mutant.name}' is defined twice (again in {area.__name__})")
            found[mutant.name] = mutant
    return found


MUTANTS: dict[str, Mutant] = _all()


def apply(service: str, name: str, factory: AppFactory) -> AppFactory:
    """Apply mutant `name` to `service`; the factory to serve."""
    mutant = MUTANTS.get(name)
    if mutant is None:
        raise MutantError(f"unknown mutant '{name}' (known: {', '.join(sorted(MUTANTS))})")
    if service not in mutant.services:
        raise MutantError(f"mutant '{name}' applies to {', '.join(mutant.services)}, not {service}")
    return mutant.patch(factory)
