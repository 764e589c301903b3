"""`/api/v1/detectors`: create, list, read, train, detect, stream, feedback, evaluate."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from services.anomaly import detector_service as service
from services.anomaly import repository
from services.anomaly.access import CanReadAnalyses, CanRunAnalyses
from services.anomaly.algorithms import TrainedModel
from services.anomaly.deps import StateDep
from services.anomaly.quotas import PlanLimitsDep
from services.anomaly.schemas import (
    DetectionIn,
    DetectionResult,
    DetectorIn,
    DetectorOut,
    DetectorPage,
    EvaluationIn,
    EvaluationOut,
    FeedbackIn,
    FeedbackOut,
    TrainingAccepted,
    TrainingIn,
)
from services.anomaly.stream import NDJSON, NdjsonResponse, results
from services.anomaly.views import detector_view, feedback_view
from services.common.deps import SessionDep
from services.common.pagination import PageDep

router = APIRouter(prefix="/api/v1/detectors", tags=["detectors"])

_NDJSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {NDJSON: {"schema": {"type": "string", "description": "one JSON object (a row) per line"}}},
    }
}


# Python's json module writes this answer, as it always has: pydantic writes some floats of `params` another
# way (0.000015 for 1.5e-05), and a creation answer must read exactly as before.
@router.post("", status_code=201, name="detector.created", response_model=DetectorOut, response_class=JSONResponse)
def create_detector(body: DetectorIn, caller: CanRunAnalyses, limits: PlanLimitsDep, session: SessionDep,
                    state: StateDep, response: Response) -> DetectorOut:
    detector = service.create_detector(session, state.audit, caller, limits, body)
    response.headers["Location"] = f"{router.prefix}/{detector.id}"
    return detector_view(detector)


@router.get("", name="detector.listed", response_model=DetectorPage)
def list_detectors(caller: CanReadAnalyses, session: SessionDep, page: PageDep) -> DetectorPage:
    return service.list_detectors(session, caller, page)


@router.get("/{detector_id}", name="detector.read", response_model=DetectorOut)
def read_detector(detector_id: str, caller: CanReadAnalyses, session: SessionDep) -> DetectorOut:
    return detector_view(repository.detector(session, caller.tenant_id, detector_id))


@router.post("/{detector_id}/training", status_code=202, name="detector.training_requested",
             response_model=TrainingAccepted)
def train_detector(detector_id: str, body: TrainingIn, caller: CanRunAnalyses, session: SessionDep, state: StateDep,
                   background: BackgroundTasks, response: Response) -> TrainingAccepted:
    job = service.request_training(session, state.audit, caller, detector_id, body)
    background.add_task(state.runner.start)  # after the commit; start() is idempotent and wakes the worker
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return TrainingAccepted(job_id=job.id, status=job.status)


@router.post("/{detector_id}/detections", name="detector.detected", response_model=DetectionResult)
def detect(detector_id: str, body: DetectionIn, caller: CanRunAnalyses, session: SessionDep,
           state: StateDep) -> DetectionResult:
    return service.detect(session, state.store, caller, detector_id, body)


@router.post("/{detector_id}/stream", name="detector.streamed", response_class=NdjsonResponse,
             openapi_extra=_NDJSON_BODY)
async def stream(detector_id: str, request: Request, caller: CanRunAnalyses, state: StateDep) -> NdjsonResponse:
    def load() -> tuple[list[str], int, TrainedModel]:
        with state.db.session() as session:
            detector = repository.detector(session, caller.tenant_id, detector_id)
            version, model = state.store.current(session, detector)
            return list(detector.features), version, model

    features, version, model = await run_in_threadpool(load)
    return NdjsonResponse(results(request.stream(), model, features),
                          headers={"X-Detector-Version": str(version)})


@router.post("/{detector_id}/feedback", status_code=201, name="feedback.recorded", response_model=FeedbackOut)
def record_feedback(detector_id: str, body: FeedbackIn, caller: CanRunAnalyses, session: SessionDep,
                    state: StateDep) -> FeedbackOut:
    return feedback_view(service.record_feedback(session, state.audit, caller, detector_id, body))


@router.post("/{detector_id}/evaluations", name="detector.evaluated", response_model=EvaluationOut)
def evaluate(detector_id: str, body: EvaluationIn, caller: CanRunAnalyses, session: SessionDep,
             state: StateDep) -> EvaluationOut:
    return service.evaluate(session, state.store, caller, detector_id, body)
