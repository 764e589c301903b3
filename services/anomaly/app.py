"""The anomaly service: datasets, detectors, training jobs, detection, streaming, feedback (contract §5)."""

from __future__ import annotations

from fastapi import FastAPI

from services.anomaly.deps import AnomalyState
from services.anomaly.model_store import ModelStore
from services.anomaly.models import AuditEvent, Base
from services.anomaly.routes import datasets, detectors, jobs
from services.anomaly.stream import NDJSON
from services.anomaly.training import JobRunner
from services.common.app import create_app as create_platform_app
from services.common.audit import AuditLog
from services.common.auth import RemoteVerifier
from services.common.db import Database
from services.common.identity_client import HttpIdentityClient, IdentityClient
from services.common.settings import Settings, load_settings

SERVICE = "anomaly"
LARGE_BODY_PATHS = (
    r"/api/v1/datasets",
    r"/api/v1/detectors/[^/]+/detections",
    r"/api/v1/detectors/[^/]+/stream",
)
MEDIA_TYPES = {
    r"/api/v1/datasets": ("application/json", "multipart/form-data"),
    r"/api/v1/detectors/[^/]+/stream": (NDJSON,),
}


def create_app(settings: Settings | None = None, *, identity: IdentityClient | None = None) -> FastAPI:
    settings = settings or load_settings(SERVICE)
    db = Database(settings.database_url)
    db.create_all(Base)
    identity = identity or HttpIdentityClient(settings.identity_url)
    audit = AuditLog(AuditEvent)
    store = ModelStore()
    runner = JobRunner(db, audit, store)
    app = create_platform_app(
        SERVICE,
        settings,
        db=db,
        verifier=RemoteVerifier(identity, issuer=settings.issuer),
        routers=[datasets.router, detectors.router, jobs.router],
        audit=audit,
        identity=identity,
        large_body_paths=LARGE_BODY_PATHS,
        media_types={pattern: list(types) for pattern, types in MEDIA_TYPES.items()},
        on_startup=[lambda _app: runner.start()],
        on_shutdown=[lambda _app: runner.stop()],
    )
    app.state.anomaly = AnomalyState(db=db, audit=audit, store=store, runner=runner)
    return app
