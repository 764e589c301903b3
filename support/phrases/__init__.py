"""How sentences become values: every step parameter type of the suite, registered once.

`import support.phrases` (environment.py does it, before behave loads the steps) registers them all.
A phrase outside a type's vocabulary then leaves the step undefined, which `behave --dry-run`
reports, instead of failing halfway through a run. Each area keeps its vocabulary in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from behave import register_type

from support.phrases import anomaly, auth, common, operations, sales, tenancy

AREAS = (common, sales, anomaly, auth, tenancy, operations)


def all_types() -> dict[str, Callable[[str], Any]]:
    """Every area's types by name; two areas may not define the same name."""
    types: dict[str, Callable[[str], Any]] = {}
    for area in AREAS:
        clash = set(types) & set(area.TYPES)
        if clash:
            raise RuntimeError(f"step types defined twice: {sorted(clash)} (again in {area.__name__})")
        types.update(area.TYPES)
    return types


register_type(**all_types())
