"""Role names of contract §3."""

from __future__ import annotations

from typing import Literal

ADMIN = "admin"
AUDITOR = "auditor"
ANALYST = "analyst"
OPERATOR = "operator"

TenantRole = Literal["admin", "sales_manager", "sales_rep", "analyst", "auditor"]
OPERATOR_TENANT_SLUG = "operator"
