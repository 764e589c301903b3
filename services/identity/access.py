"""Who may do what in identity (contract §3): permissions named after what they allow.

Whatever any user may do for itself (its profile, password, tenant, sign-out) needs only `SignedIn`;
a non-admin acting on another user is refused in `user_service` (it depends on the target).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.common.tenancy import Caller, SignedIn, permission
from services.identity.roles import ADMIN, ANALYST, AUDITOR, OPERATOR

__all__ = ["CanChangeSettings", "CanCreateTenants", "CanListUsers", "CanManageUsers", "CanReportUsage", "SignedIn"]

CanManageUsers = Annotated[Caller, Depends(permission(ADMIN))]
CanListUsers = Annotated[Caller, Depends(permission(ADMIN, AUDITOR))]
CanCreateTenants = Annotated[Caller, Depends(permission(OPERATOR))]
CanChangeSettings = Annotated[Caller, Depends(permission(ADMIN))]
CanReportUsage = Annotated[Caller, Depends(permission(ANALYST, ADMIN))]
