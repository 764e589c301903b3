"""Who may do what in sales (contract §4): permissions named after what they allow, and the ownership
rules, written once.

A sales rep reads and changes only the clients and deals it owns; managers, admins and auditors see the
whole tenant (auditors only read, which `permission` enforces). The list statements of `repository.py`
apply the same rule through `sees_all`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.common.problems import forbidden
from services.common.tenancy import Caller, permission

ADMIN, MANAGER, REP, AUDITOR = "admin", "sales_manager", "sales_rep", "auditor"
SEE_ALL_ROLES = frozenset({ADMIN, MANAGER, AUDITOR})
ASSIGN_ROLES = frozenset({ADMIN, MANAGER})
NOT_YOURS = "You may only act on your own clients and deals."


def sees_all(caller: Caller) -> bool:
    """Managers, admins and auditors see the whole tenant; a rep sees only its own."""
    return caller.has_any(SEE_ALL_ROLES)


def ensure_owns(caller: Caller, owner_id: str, detail: str = NOT_YOURS) -> None:
    """403 unless the caller sees all or owns the resource (call after the 404 lookup)."""
    if not sees_all(caller) and owner_id != caller.user_id:
        raise forbidden(detail)


def ensure_may_assign(caller: Caller, owner_id: str) -> None:
    """Only managers and admins may name someone else as a client's owner."""
    if owner_id != caller.user_id and not caller.has_any(ASSIGN_ROLES):
        raise forbidden("You may not assign a client to another owner.")


def ensure_may_decide(caller: Caller, owner_id: str) -> None:
    """Nobody decides on the approval of a deal they own."""
    if owner_id == caller.user_id:
        raise forbidden("You cannot decide on the approval of your own deal.")


# Clients, deals, payments (reading), commission statements, notifications; auditors only read.
CanUseSales = Annotated[Caller, Depends(permission(ADMIN, MANAGER, REP, AUDITOR))]
CanRecordPayments = Annotated[Caller, Depends(permission(ADMIN, MANAGER))]
CanDecideApprovals = Annotated[Caller, Depends(permission(ADMIN, MANAGER))]
CanReadPipeline = Annotated[Caller, Depends(permission(ADMIN, MANAGER, AUDITOR))]
