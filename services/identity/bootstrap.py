"""Start-up: the tables, and the platform operator in the reserved tenant `operator`.

The operator comes from OPERATOR_EMAIL / OPERATOR_PASSWORD. Configuration is trusted, so the
password rules of contract §3 are not applied to it (the default password would break the email
rule); a changed OPERATOR_PASSWORD replaces the stored hash at the next start.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError

from services.common.db import Database
from services.common.settings import Settings
from services.identity.hashing import hash_password, verify_password
from services.identity.models import Base, Tenant, User
from services.identity.passwords import check_password
from services.identity.repository import email_key, tenant_by_slug, user_by_email
from services.identity.roles import OPERATOR, OPERATOR_TENANT_SLUG

log = logging.getLogger("services.identity")


def bootstrap(db: Database, settings: Settings) -> None:
    db.create_all(Base)
    if check_password(settings.operator_password, settings.operator_email):
        log.warning("OPERATOR_PASSWORD breaks the password rules; set a stronger one")
    for attempt in range(2):  # two processes starting together may race on the unique slug/email
        try:
            _ensure_operator(db, settings)
            return
        except IntegrityError:
            if attempt == 1:
                raise


def _ensure_operator(db: Database, settings: Settings) -> None:
    with db.session() as session:
        tenant = tenant_by_slug(session, OPERATOR_TENANT_SLUG)
        if tenant is None:
            tenant = Tenant(name="Platform operator", slug=OPERATOR_TENANT_SLUG, plan="enterprise",
                            currency="EUR")
            session.add(tenant)
            session.flush()
        user = user_by_email(session, tenant.id, settings.operator_email)
        if user is None:
            session.add(User(tenant_id=tenant.id, email=settings.operator_email,
                             email_key=email_key(settings.operator_email), name="Platform operator",
                             roles=[OPERATOR], active=True, password_hash=hash_password(settings.operator_password)))
        elif not verify_password(user.password_hash, settings.operator_password) or not user.active:
            user.password_hash = hash_password(settings.operator_password)
            user.active = True
            user.roles = [OPERATOR]
