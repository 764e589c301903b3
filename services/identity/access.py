"""Who may do what in identity (contract §3): permissions named after what they allow, and the rules
that depend on the user acted on, written once.

Whatever any user may do for itself (its profile, password, tenant, sign-out) needs only common's `SignedIn`;
whether it may read or change another user is decided by `ensure_may_read` / `ensure_may_patch`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from services.common.problems import forbidden
from services.common.tenancy import Caller, permission
from services.identity.roles import ADMIN, ANALYST, AUDITOR, OPERATOR

READERS = frozenset({ADMIN, AUDITOR})

CanManageUsers = Annotated[Caller, Depends(permission(ADMIN))]
CanListUsers = Annotated[Caller, Depends(permission(ADMIN, AUDITOR))]
CanCreateTenants = Annotated[Caller, Depends(permission(OPERATOR))]
CanChangeSettings = Annotated[Caller, Depends(permission(ADMIN))]
CanReportUsage = Annotated[Caller, Depends(permission(ANALYST, ADMIN))]


def ensure_may_read(caller: Caller, user_id: str) -> None:
    """Admins and auditors read everyone in their tenant; anyone else only themselves (403 otherwise)."""
    if not caller.has_any(READERS) and caller.user_id != user_id:
        raise forbidden("You may read only your own user.")


def ensure_may_patch(caller: Caller, user_id: str, changes: dict[str, Any]) -> None:
    """Admins change anyone; others only their own name; auditors only read (contract §2)."""
    if ADMIN in caller.roles:
        return
    if AUDITOR in caller.roles or caller.user_id != user_id:
        raise forbidden("Only an admin may change this user.")
    if set(changes) - {"name"}:
        raise forbidden("You may change only your own name.")
