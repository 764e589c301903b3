"""What identity's request handlers share: settings, signing key, database and audit log."""

from __future__ import annotations

from dataclasses import dataclass

from services.common.audit import AuditLog
from services.common.db import Database
from services.common.keys import SigningKey
from services.common.settings import Settings


@dataclass(frozen=True)
class IdentityContext:
    settings: Settings
    key: SigningKey
    db: Database
    audit: AuditLog
