"""The application factory every service uses: middleware, problem handlers, health, metrics.

Services name each route after its audit action (`name="deal.transitioned"`): that name is what a
`denied` audit event records when the call is refused with 403.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from services.common.audit import AuditLog
from services.common.auth import RemoteVerifier, TokenVerifier
from services.common.db import Database
from services.common.errors import install_error_handlers, problem_response
from services.common.identity_client import IdentityClient, poll_until
from services.common.metrics import Metrics
from services.common.middleware import BodyRules, PlatformMiddleware
from services.common.openapi import install_problem_docs
from services.common.ratelimit import TenantRateLimiter
from services.common.settings import Settings
from services.common.tenant_facts import TenantFactsCache

PLATFORM_VERSION = "1.0.0"
WORKER_THREADS = 400

ReadinessCheck = Callable[[], bool]
Hook = Callable[[FastAPI], Awaitable[None] | None]


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
    readiness: dict[str, ReadinessCheck] | None = None,
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
) -> FastAPI:
    """Build a service. `identity` (sales, anomaly) enables TenantFactsDep and the JWKS warm-up."""
    checks: dict[str, ReadinessCheck] = {"database": db.ping}
    if isinstance(verifier, RemoteVerifier):
        checks["identity_keys"] = lambda: verifier.ready
    checks.update(readiness or {})

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A writer holds SQLite's lock from its first statement until the commit in SessionDep's exit,
        # which needs a worker thread of its own: enough threads that waiting writers never starve it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        stop = asyncio.Event()
        warm_up = None
        if isinstance(verifier, RemoteVerifier):
            warm_up = asyncio.create_task(poll_until(verifier.warm_up, interval=0.5, stop=stop))
        for hook in on_startup:
            result = hook(app)
            if asyncio.iscoroutine(result):
                await result
        try:
            yield
        finally:
            stop.set()
            if warm_up is not None:
                await warm_up
            for hook in on_shutdown:
                result = hook(app)
                if asyncio.iscoroutine(result):
                    await result
            if identity is not None:
                await identity.aclose()
            db.dispose()

    app = FastAPI(
        title=f"{name} service",
        version=PLATFORM_VERSION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    metrics = Metrics()
    app.state.settings = settings
    app.state.db = db
    app.state.verifier = verifier
    app.state.audit = audit
    app.state.identity = identity
    app.state.tenant_facts = TenantFactsCache(identity) if identity is not None else None
    app.state.limiter = TenantRateLimiter(settings.rate_limit_per_tenant, settings.rate_limit_burst)
    app.state.metrics = metrics

    install_error_handlers(app)
    app.add_middleware(PlatformMiddleware, metrics=metrics,
                       rules=BodyRules(large_body_paths=large_body_paths, media_types=media_types or {}))

    @app.get("/health/live", tags=["health"], name="health.live")
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", tags=["health"], name="health.ready",
             responses={503: {"description": "A dependency is not ready"}})
    def ready(request: Request) -> Any:
        results = {check: ("ok" if probe() else "failing") for check, probe in checks.items()}
        failing = [check for check, state in results.items() if state != "ok"]
        if failing:
            response = problem_response(503, "service-unavailable", "Not ready: " + ", ".join(failing) + ".")
            body: dict[str, Any] = {**_json(response), "checks": results}
            return JSONResponse(body, status_code=503, media_type="application/problem+json")
        return {"status": "ready", "checks": results}

    @app.get("/metrics", tags=["health"], name="metrics", response_class=PlainTextResponse)
    def render_metrics() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    if audit is not None:
        app.include_router(audit.router())
    for router in routers:
        app.include_router(router)
    install_problem_docs(app, remote_identity=isinstance(verifier, RemoteVerifier))
    return app


def _json(response: JSONResponse) -> dict[str, Any]:
    import json

    return json.loads(response.body)
