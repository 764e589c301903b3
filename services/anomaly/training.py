"""Asynchronous training: one worker thread runs the queued jobs stored in the `jobs` table.

The database is the queue, so a job survives a crash: at start-up, jobs left `running` go back to
`queued` and everything queued is run again. A successful run stores the model, bumps the
detector's version and marks the job `succeeded` in one transaction.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
from sqlalchemy.orm import Session

from services.anomaly import repository
from services.anomaly.algorithms import TrainedModel, TrainingError, train
from services.anomaly.detector_service import feedback_labels
from services.anomaly.features import check_features, complete_rows
from services.anomaly.model_store import ModelStore
from services.anomaly.models import Job
from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.db import Database
from services.common.problems import ProblemError, not_found

log = logging.getLogger("services.anomaly")
IDLE_POLL_SECONDS = 1.0


class JobRunner:
    def __init__(self, db: Database, audit: AuditLog, store: ModelStore) -> None:
        self.db = db
        self.audit = audit
        self.store = store
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker (recovering interrupted jobs) unless it runs; either way, wake it."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self.recover()
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name="anomaly-training", daemon=True)
                self._thread.start()
        self.notify()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        self._thread = None

    def notify(self) -> None:
        self._wake.set()

    def recover(self) -> int:
        """Jobs interrupted by a crash run again: `running` goes back to `queued`."""
        with self.db.session() as session:
            return repository.requeue_interrupted_jobs(session)

    # -- the worker ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_next()
            except Exception:  # never let the worker die; the job is marked failed in run_job
                log.exception("training worker error")
                ran = False
            if not ran:
                self._wake.wait(IDLE_POLL_SECONDS)
                self._wake.clear()

    def run_next(self) -> bool:
        """Run the oldest queued job, if any; True when one ran."""
        with self.db.session() as session:
            job_id = repository.oldest_queued_job_id(session)
            if job_id is None:
                return False
            claimed = repository.claim_job(session, job_id, utcnow())
        if not claimed:
            return True
        self.run_job(job_id)
        return True

    def run_job(self, job_id: str) -> None:
        try:
            with self.db.session() as session:
                job = repository.claimed_job(session, job_id)
                if job is None:
                    return
                model, rows = self._train(session, job)
            self._finish(job_id, model=model, training_rows=rows)
        except (TrainingError, ProblemError) as exc:
            self._finish(job_id, error=_message(exc))
        except Exception:
            log.exception("training job %s failed", job_id)
            self._finish(job_id, error="training failed unexpectedly")

    def _train(self, session: Session, job: Job) -> tuple[TrainedModel, int]:
        detector = repository.detector_of_job(session, job)
        if detector is None:
            raise not_found()
        dataset = repository.dataset_of_job(session, job)
        if dataset is None:
            raise TrainingError("the training dataset no longer exists")
        table = repository.table_of(session, dataset)
        matrix = complete_rows(table, check_features(table, detector.features))
        labels: dict[tuple[float, ...], bool] = {}
        if job.use_feedback:
            labels = feedback_labels(repository.feedback_on(session, detector))
            matrix = _with_feedback(matrix, labels)
        params = detector.params
        model = train(
            detector.algorithm, tuple(detector.features), matrix,
            contamination=float(params.get("contamination", 0.05)),
            threshold=params.get("threshold"),
            random_seed=int(params.get("random_seed", 0)),
            overrides=labels,
        )
        return model, int(matrix.shape[0])

    def _finish(self, job_id: str, *, model: TrainedModel | None = None, training_rows: int = 0,
                error: str | None = None) -> None:
        with self.db.session() as session:
            job = repository.claimed_job(session, job_id)
            if job is None:
                return
            detector = repository.detector_of_job(session, job)
            now = utcnow()
            job.finished_at = now
            if model is not None and detector is not None:
                detector.version += 1
                self.store.save(session, detector.id, detector.version, model)
                detector.trained_at = now
                detector.training_rows = training_rows
                job.status = "succeeded"
                action = "detector.trained"
            else:
                job.status = "failed"
                job.error = error or "training failed"
                action = "detector.training_failed"
            if detector is not None:
                detector.status = _status_after(session, job)
                self.audit.record(session, None, action, "detector", detector.id, tenant_id=job.tenant_id,
                                  actor_id=job.requested_by, outcome="success")


def _status_after(session: Session, finished: Job) -> str:
    """The detector's status once `finished` is: training while another of its jobs waits or runs."""
    if repository.other_job_pending(session, finished):
        return "training"
    return "trained" if finished.status == "succeeded" else "failed"


def _with_feedback(matrix: np.ndarray, labels: dict[tuple[float, ...], bool]) -> np.ndarray:
    """Training rows minus those labelled anomaly, plus every row labelled normal."""
    if not labels:
        return matrix
    keep = [row for row in matrix if labels.get(tuple(float(v) for v in row)) is not True]
    normal = [list(key) for key, is_anomaly in labels.items() if not is_anomaly]
    width = matrix.shape[1]
    return np.asarray([*(list(row) for row in keep), *normal], dtype=float).reshape(-1, width)


def _message(exc: Exception) -> str:
    if isinstance(exc, ProblemError):
        details = "; ".join(error.message for error in exc.errors or [])
        return details or exc.detail
    return str(exc)
