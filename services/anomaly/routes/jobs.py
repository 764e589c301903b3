"""`/api/v1/jobs/{id}`: the state of a training job."""

from __future__ import annotations

from fastapi import APIRouter

from services.anomaly import repository
from services.anomaly.access import CanReadAnalyses
from services.anomaly.schemas import JobOut
from services.anomaly.views import job_view
from services.common.deps import SessionDep

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", name="job.read", response_model=JobOut)
def read_job(job_id: str, caller: CanReadAnalyses, session: SessionDep) -> JobOut:
    return job_view(repository.job(session, caller.tenant_id, job_id))
