"""The application factory every service uses: state, middleware, problem handlers, health, metrics, routes.

Services name each route after its audit action (`name="deal.transitioned"`): that name is what a
`denied` audit event records when the call is refused with 403.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager

import anyio.to_thread
from fastapi import APIRouter, FastAPI

from services.common.audit import AuditLog
from services.common.auth import RemoteVerifier, TokenVerifier
from services.common.db import Database
from services.common.errors import install_error_handlers
from services.common.health import ReadinessCheck, health_router
from services.common.identity_client import IdentityClient, poll_until
from services.common.metrics import Metrics, MetricsSink
from services.common.middleware import BodyRules, PlatformMiddleware
from services.common.openapi import install_problem_docs
from services.common.ratelimit import RateLimiter, TenantRateLimiter
from services.common.settings import Settings
from services.common.shared_state import SharedFile, SharedMetrics, SharedPassStates, SharedRateLimiter, shared_file
from services.common.tenant_facts import TenantFactsCache

PLATFORM_VERSION = "1.0.0"
WORKER_THREADS = 400
YOUNG_COLLECTION_AFTER = 7000  # allocations (Python's default: 700)
SERVED_ENV = "PLATFORM_SERVED"  # set by server.serve for its process and its worker processes

Hook = Callable[[FastAPI], Awaitable[None] | None]
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    name: str,
    settings: Settings,
    *,
    db: Database,
    verifier: TokenVerifier,
    routers: Sequence[APIRouter],
    audit: AuditLog | None = None,
    identity: IdentityClient | None = None,
    large_body_paths: Sequence[str] = (),
    media_types: dict[str, Sequence[str]] | None = None,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
) -> FastAPI:
    """Build a service. `identity` (sales, anomaly) enables TenantFactsDep and the JWKS warm-up."""
    app = FastAPI(title=f"{name} service", version=PLATFORM_VERSION, openapi_url="/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=_lifespan(db, verifier, identity, on_startup, on_shutdown))
    metrics, limiter = _state_of_the_workers(settings, verifier)
    app.state.settings = settings
    app.state.db = db
    app.state.verifier = verifier
    app.state.audit = audit
    app.state.tenant_facts = TenantFactsCache(identity) if identity is not None else None
    app.state.limiter = limiter

    install_error_handlers(app)
    app.add_middleware(PlatformMiddleware, metrics=metrics,
                       rules=BodyRules(large_body_paths=large_body_paths, media_types=media_types or {}))
    app.include_router(health_router(_readiness_checks(db, verifier), metrics))
    if audit is not None:
        app.include_router(audit.router())
    for router in routers:
        app.include_router(router)
    install_problem_docs(app, remote_identity=isinstance(verifier, RemoteVerifier))
    return app


def _state_of_the_workers(settings: Settings, verifier: TokenVerifier) -> tuple[MetricsSink, RateLimiter]:
    """This process's metrics and rate limits, or, with several worker processes, the ones they share (and
    identity's last answers about passes, for the verifier)."""
    if settings.workers == 1:
        return Metrics(), TenantRateLimiter(settings.rate_limit_per_tenant, settings.rate_limit_burst)
    store = SharedFile(shared_file(settings.data_dir, settings.service))
    if isinstance(verifier, RemoteVerifier):
        verifier.shared_states = SharedPassStates(store)
    return SharedMetrics(store), SharedRateLimiter(store, settings.rate_limit_per_tenant, settings.rate_limit_burst)


def _readiness_checks(db: Database, verifier: TokenVerifier) -> dict[str, ReadinessCheck]:
    """The database; for sales and anomaly also identity's keys, fetched at least once."""
    checks: dict[str, ReadinessCheck] = {"database": db.ping}
    if isinstance(verifier, RemoteVerifier):
        checks["identity_keys"] = lambda: verifier.ready
    return checks


def _lifespan(db: Database, verifier: TokenVerifier, identity: IdentityClient | None, on_startup: Sequence[Hook],
              on_shutdown: Sequence[Hook]) -> Lifespan:
    """Start: worker threads, the JWKS warm-up, the service's hooks. Stop: the same, then identity and the DB."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A writer holds SQLite's lock from its first statement until its commit: in the route's own thread
        # (routing), or, for routes that do not commit themselves (anomaly's), in SessionDep's exit, which
        # needs a worker thread of its own: enough threads that waiting writers never starve it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        stop = asyncio.Event()
        warm_up = None
        if isinstance(verifier, RemoteVerifier):
            warm_up = asyncio.create_task(poll_until(verifier.warm_up, interval=0.5, stop=stop))
        await _run(on_startup, app)
        if os.environ.get(SERVED_ENV) == "1":
            tune_collector()
        try:
            yield
        finally:
            stop.set()
            if warm_up is not None:
                await warm_up
            await _run(on_shutdown, app)
            if identity is not None:
                await identity.aclose()
            db.dispose()

    return lifespan


def tune_collector() -> None:
    """For a serving process only (never a test process, which builds and drops many apps): what start-up
    built lives as long as the process, so it leaves the collector's sight (gc.freeze), and young
    collections run ten times rarer, since each request leaves many short-lived objects. Under the capacity
    profile this shortened sales's pauses enough to carry about a fifth more requests within the p95 limit."""
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_AFTER, 10, 10)


async def _run(hooks: Sequence[Hook], app: FastAPI) -> None:
    for hook in hooks:
        result = hook(app)
        if asyncio.iscoroutine(result):
            await result
