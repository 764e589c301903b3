"""The sales service: `create_app(settings=None, *, identity=None) -> FastAPI` (contract §4)."""

from __future__ import annotations

from fastapi import FastAPI

from services.common.app import create_app as create_platform_app
from services.common.audit import AuditLog
from services.common.auth import RemoteVerifier
from services.common.db import Database
from services.common.identity_client import HttpIdentityClient, IdentityClient
from services.common.settings import Settings, load_settings
from services.sales.models import AuditEvent, Base
from services.sales.routes import clients, commissions, deals, notifications, payments, reports

SERVICE = "sales"


def create_app(settings: Settings | None = None, *, identity: IdentityClient | None = None) -> FastAPI:
    """Build the sales app; `identity` defaults to the HTTP client of IDENTITY_URL (tests pass a fake)."""
    settings = settings or load_settings(SERVICE)
    identity = identity or HttpIdentityClient(settings.identity_url)
    db = Database(settings.database_url)
    db.create_all(Base)
    return create_platform_app(
        SERVICE,
        settings,
        db=db,
        verifier=RemoteVerifier(identity, issuer=settings.issuer),
        identity=identity,
        audit=AuditLog(AuditEvent, readers=("admin", "auditor")),
        routers=[clients.router, deals.router, payments.router, commissions.router, notifications.router,
                 reports.router],
    )
