"""Health and metrics of every service (contract §6): liveness, readiness with its checks, Prometheus text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from services.common.metrics import MetricsSink
from services.common.problems import PROBLEM_MEDIA_TYPE, problem_body

ReadinessCheck = Callable[[], bool]


def health_router(checks: Mapping[str, ReadinessCheck], metrics: MetricsSink) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live", name="health.live")
    def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", name="health.ready", responses={503: {"description": "A dependency is not ready"}})
    def ready() -> Any:
        results = {check: ("ok" if probe() else "failing") for check, probe in checks.items()}
        failing = [check for check, state in results.items() if state != "ok"]
        if failing:
            body = {**problem_body(503, "service-unavailable", "Not ready: " + ", ".join(failing) + "."),
                    "checks": results}
            return JSONResponse(body, status_code=503, media_type=PROBLEM_MEDIA_TYPE)
        return {"status": "ready", "checks": results}

    @router.get("/metrics", name="metrics", response_class=PlainTextResponse)
    def render_metrics() -> PlainTextResponse:
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    return router
