"""Detector use cases: create, list, request training, detect, record feedback, evaluate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from services.anomaly import repository
from services.anomaly.algorithms import DEFAULT_CONTAMINATION, DEFAULT_THRESHOLDS, TrainedModel, json_score
from services.anomaly.evaluation import labels_of, metrics
from services.anomaly.features import RowError, check_features, matrix_of_rows, table_matrix, vector_of
from services.anomaly.model_store import ModelStore, not_trained
from services.anomaly.models import Detector, Feedback, Job
from services.anomaly.quotas import check_detectors
from services.anomaly.schemas import (
    MAX_DETECTION_ROWS,
    DetectionIn,
    DetectionResult,
    DetectorIn,
    DetectorPage,
    EvaluationIn,
    EvaluationOut,
    FeedbackIn,
    RowResult,
    TrainingIn,
)
from services.anomaly.views import detector_view
from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.ids import new_id
from services.common.pagination import PageParams, page_of
from services.common.plans import PlanLimits
from services.common.problems import FieldError, field_error, validation_failed
from services.common.tenancy import Caller


def _params(body: DetectorIn) -> dict[str, Any]:
    seed = 0 if body.random_seed is None else body.random_seed
    if body.algorithm == "isolation_forest":
        if body.threshold is not None:
            raise field_error("threshold", "not_applicable",
                              "isolation_forest learns its threshold from contamination; omit threshold")
        contamination = DEFAULT_CONTAMINATION if body.contamination is None else body.contamination
        return {"contamination": contamination, "random_seed": seed}
    if body.contamination is not None:
        raise field_error("contamination", "not_applicable", f"{body.algorithm} uses threshold, not contamination")
    threshold = DEFAULT_THRESHOLDS[body.algorithm] if body.threshold is None else body.threshold
    return {"threshold": threshold, "random_seed": seed}


def create_detector(session: Session, audit: AuditLog, caller: Caller, limits: PlanLimits,
                    body: DetectorIn) -> Detector:
    params = _params(body)
    check_detectors(limits, repository.detector_count(session, caller.tenant_id))
    detector = Detector(
        id=new_id(), tenant_id=caller.tenant_id, name=body.name, algorithm=body.algorithm,
        features=list(body.features), params=params, status="untrained", version=0, trained_at=None,
        training_rows=None, created_at=utcnow(),
    )
    session.add(detector)
    audit.record(session, caller, "detector.created", "detector", detector.id)
    return detector


def list_detectors(session: Session, caller: Caller, page: PageParams) -> DetectorPage:
    stmt = repository.detectors_in(caller.tenant_id).order_by(Detector.created_at, Detector.id)
    return page_of(session, stmt, page, DetectorPage, detector_view)


def request_training(session: Session, audit: AuditLog, caller: Caller, detector_id: str, body: TrainingIn) -> Job:
    detector = repository.detector(session, caller.tenant_id, detector_id)
    dataset = repository.referenced_dataset(session, caller.tenant_id, body.dataset_id)
    check_features(repository.table_of(session, dataset), detector.features)
    job = Job(
        id=new_id(), tenant_id=caller.tenant_id, kind="training", status="queued", detector_id=detector.id,
        dataset_id=dataset.id, use_feedback=body.use_feedback, requested_by=caller.user_id, error=None,
        created_at=utcnow(),
    )
    session.add(job)
    detector.status = "training"
    audit.record(session, caller, "detector.training_requested", "detector", detector.id)
    return job


def result_of(detector_id: str, version: int, model: TrainedModel, matrix: np.ndarray) -> DetectionResult:
    """Built without validation: every value is computed here (ints, floats, bools), and up to 10,000 rows
    would cost more to check than to compute."""
    scores, flags = model.detect(matrix)
    results = [
        RowResult(index=index, score=json_score(score), is_anomaly=flag)
        for index, (score, flag) in enumerate(zip(scores.tolist(), flags.tolist(), strict=True))
    ]
    return DetectionResult.model_construct(detector_id=detector_id, detector_version=version,
                                           threshold=json_score(model.threshold), anomaly_count=int(flags.sum()),
                                           results=results)


def detect(session: Session, store: ModelStore, caller: Caller, detector_id: str,
           body: DetectionIn) -> DetectionResult:
    detector = repository.detector(session, caller.tenant_id, detector_id)
    if (body.rows is None) == (body.dataset_id is None):
        raise validation_failed([FieldError("rows", "exactly_one", "send either rows or dataset_id, not both"),
                                 FieldError("dataset_id", "exactly_one", "send either rows or dataset_id")])
    if body.rows is not None and len(body.rows) > MAX_DETECTION_ROWS:
        raise field_error("rows", "too_many_rows", f"at most {MAX_DETECTION_ROWS} rows per detection")
    version, model = store.current(session, detector)
    if body.rows is not None:
        matrix = matrix_of_rows(body.rows, detector.features)
    else:
        dataset = repository.referenced_dataset(session, caller.tenant_id, str(body.dataset_id))
        if dataset.row_count > MAX_DETECTION_ROWS:
            raise field_error("dataset_id", "too_many_rows",
                              f"the dataset has {dataset.row_count} rows; at most {MAX_DETECTION_ROWS} per detection")
        table = repository.table_of(session, dataset)
        matrix = table_matrix(table, check_features(table, detector.features))
    return result_of(detector.id, version, model, matrix)


def record_feedback(session: Session, audit: AuditLog, caller: Caller, detector_id: str, body: FeedbackIn) -> Feedback:
    detector = repository.detector(session, caller.tenant_id, detector_id)
    try:
        vector = vector_of(body.row, detector.features)
    except RowError as exc:
        raise field_error("row", exc.code, f"the row {exc.message}") from exc
    feedback = Feedback(
        id=new_id(), tenant_id=caller.tenant_id, detector_id=detector.id, row=body.row, vector=vector,
        label=body.label, created_by=caller.user_id, created_at=utcnow(),
    )
    session.add(feedback)
    audit.record(session, caller, "feedback.recorded", "detector", detector.id)
    return feedback


def evaluate(session: Session, store: ModelStore, caller: Caller, detector_id: str,
             body: EvaluationIn) -> EvaluationOut:
    detector = repository.detector(session, caller.tenant_id, detector_id)
    dataset = repository.referenced_dataset(session, caller.tenant_id, body.dataset_id)
    if detector.version == 0:
        raise not_trained()
    table = repository.table_of(session, dataset)
    positions = check_features(table, detector.features)
    actual = labels_of(table, body.label_column, detector.features)
    _version, model = store.current(session, detector)
    _scores, predicted = model.detect(table_matrix(table, positions))
    return EvaluationOut(**metrics(np.asarray(predicted, dtype=bool), actual))


def feedback_labels(entries: Sequence[Feedback]) -> dict[tuple[float, ...], bool]:
    """The newest label of each distinct feature vector: True means anomaly."""
    return {tuple(float(value) for value in entry.vector): entry.label == "anomaly" for entry in entries}
