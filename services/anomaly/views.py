"""Answers: how each stored resource is shown to clients (rows to the answer models of contract §5)."""

from __future__ import annotations

from services.anomaly.models import Dataset, Detector, Feedback, Job
from services.anomaly.schemas import ColumnOut, DatasetOut, DetectorOut, FeedbackOut, JobOut, ProfileOut
from services.common.clock import rfc3339


def dataset_view(dataset: Dataset) -> DatasetOut:
    return DatasetOut(
        id=dataset.id,
        tenant_id=dataset.tenant_id,
        name=dataset.name,
        row_count=dataset.row_count,
        columns=[ColumnOut.model_validate(column) for column in dataset.columns],
        created_at=rfc3339(dataset.created_at),
    )


def profile_view(dataset: Dataset) -> ProfileOut:
    """The profile computed at upload (`profile.py`), as stored."""
    return ProfileOut.model_validate(dataset.profile)


def detector_view(detector: Detector) -> DetectorOut:
    return DetectorOut(
        id=detector.id,
        tenant_id=detector.tenant_id,
        name=detector.name,
        algorithm=detector.algorithm,
        features=detector.features,
        params=detector.params,
        status=detector.status,
        version=detector.version,
        trained_at=rfc3339(detector.trained_at),
        training_rows=detector.training_rows,
        created_at=rfc3339(detector.created_at),
    )


def job_view(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        detector_id=job.detector_id,
        dataset_id=job.dataset_id,
        use_feedback=job.use_feedback,
        error=job.error,
        created_at=rfc3339(job.created_at),
        started_at=rfc3339(job.started_at),
        finished_at=rfc3339(job.finished_at),
    )


def feedback_view(feedback: Feedback) -> FeedbackOut:
    return FeedbackOut(
        id=feedback.id,
        detector_id=feedback.detector_id,
        row=feedback.row,
        label=feedback.label,
        created_at=rfc3339(feedback.created_at),
    )
