"""The anomaly service's own request dependencies: its audit log, model store and job runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from services.anomaly.model_store import ModelStore
from services.anomaly.training import JobRunner
from services.common.audit import AuditLog
from services.common.db import Database


@dataclass(frozen=True)
class AnomalyState:
    db: Database
    audit: AuditLog
    store: ModelStore
    runner: JobRunner


async def anomaly_state(request: Request) -> AnomalyState:
    return request.app.state.anomaly


StateDep = Annotated[AnomalyState, Depends(anomaly_state)]
