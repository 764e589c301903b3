"""The tenancy vocabulary: changes to one's own account, actions in identity, kinds of record a tenant owns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.phrases.common import words
from support.tasks.isolation import RECORD_KINDS

LAST_ADMIN_CHANGES: dict[str, dict[str, Any]] = {
    "give up her admin role": {"roles": ["sales_manager"]},
    "deactivate her own account": {"active": False},
}
IDENTITY_ACTIONS = ("add a colleague", "look through Acme's people", "read identity's audit trail",
                    "change the discount threshold")

TYPES: dict[str, Callable[[str], Any]] = {
    "OwnAccountChange": words({change: change for change in LAST_ADMIN_CHANGES}),
    "IdentityAction": words({action: action for action in IDENTITY_ACTIONS}),
    "TenantRecord": words({kind: kind for kind in RECORD_KINDS}),
}
