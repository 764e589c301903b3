"""The identity service: tenants, users, roles and tokens (contract §1, §2, §3, §6)."""

from __future__ import annotations

from fastapi import FastAPI

from services.common.app import create_app as create_platform_app
from services.common.audit import AuditLog
from services.common.db import Database
from services.common.settings import Settings, load_settings
from services.identity.bootstrap import bootstrap
from services.identity.context import IdentityContext
from services.identity.models import AuditEvent
from services.identity.routes import auth, keys, tenants, users
from services.identity.tokens import signing_key
from services.identity.verifier import LocalVerifier


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings("identity")
    db = Database(settings.database_url)
    bootstrap(db, settings)
    key = signing_key(settings)
    audit = AuditLog(AuditEvent)
    app = create_platform_app(
        "identity",
        settings,
        db=db,
        verifier=LocalVerifier(key, db, issuer=settings.issuer),
        routers=[keys.router, auth.router, tenants.router, users.router],
        audit=audit,
    )
    app.state.identity_context = IdentityContext(settings=settings, key=key, db=db, audit=audit)
    return app
