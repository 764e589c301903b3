"""The tenancy vocabulary: capabilities, kinds of record, roles, slugs, plans, refusals, changes to oneself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parse_type import TypeBuilder

from support.data.tables import count_of
from support.phrases.common import typed, words
from support.tasks.capabilities import CAPABILITIES
from support.tasks.isolation import KINDS
from support.tasks.tenancy import OWN_CHANGES, REFUSALS, SLUG_SHAPES

A_ROLE = words({"an admin": "admin", "a sales manager": "sales_manager", "a sales rep": "sales_rep",
                "an analyst": "analyst", "an auditor": "auditor"})

TYPES: dict[str, Callable[[str], Any]] = {
    "Capability": words(CAPABILITIES),
    "TenantRecord": words({kind: kind for kind in KINDS}),
    "TenancyAllowance": words({"allowed": True, "not allowed": False}),
    "TenancyRole": A_ROLE,
    "TenancyRoles": TypeBuilder.with_many(A_ROLE, listsep="and"),
    "TenancyRoleName": words({"admin": "admin", "sales manager": "sales_manager", "sales rep": "sales_rep",
                        "analyst": "analyst", "auditor": "auditor"}),
    "SlugShape": words({shape: shape for shape in SLUG_SHAPES}),
    "SlugOwner": words({"Acme's": "Acme", "Globex's": "Globex", "the operator's": ""}),
    "TenancyPlan": words({plan: plan for plan in ("starter", "growth", "enterprise")}),
    "TenancyFigure": typed(r"\d{1,3}(?:,\d{3})+|\d+", count_of),
    "TenancyAttempt": words({thing: thing for thing in ("the tenant", "that colleague", "that change", "that detector",
                                                   "that upload")}),
    "TenancyRefusal": words({reason: reason for reason in REFUSALS}),
    "OwnAccountChange": words({change: change for change in OWN_CHANGES}),
    "TenancyAdminStanding": words({"still an active": True, "no longer an": False}),
}
