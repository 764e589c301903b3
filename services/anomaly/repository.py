"""Where every query of anomaly's tenant-owned tables starts (datasets, detectors, jobs, feedback).

Callers' lookups and lists take the caller's `TenantId` (which only a permission mints): another tenant's
row is "not found", exactly like one that never existed. The training worker acts for whichever tenant
queued a job, so its statements (at the end) take the job and stay within the job's tenant.
`tests/platform/test_tenant_scoping.py` fails when a module outside the repositories starts a query of a
tenant-owned table.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from services.anomaly.models import Dataset, DatasetRows, Detector, Feedback, Job
from services.anomaly.tabular import Table
from services.common.problems import field_error, not_found
from services.common.tenancy import TenantId


def encode_rows(table: Table) -> bytes:
    return zlib.compress(json.dumps(table.rows, separators=(",", ":")).encode(), 3)


def decode_table(dataset: Dataset, blob: bytes) -> Table:
    columns = tuple(column["name"] for column in dataset.columns)
    types = tuple(column["type"] for column in dataset.columns)
    return Table(columns=columns, types=types, rows=json.loads(zlib.decompress(blob)))  # type: ignore[arg-type]


def _owned(row: Any, tenant_id: str) -> Any:
    if row is None or row.tenant_id != tenant_id:
        raise not_found()
    return row


# -- datasets --------------------------------------------------------------------------------------


def datasets_in(tenant_id: TenantId) -> Select[tuple[Dataset]]:
    return select(Dataset).where(Dataset.tenant_id == tenant_id)


def dataset(session: Session, tenant_id: TenantId, dataset_id: str) -> Dataset:
    return _owned(session.get(Dataset, dataset_id), tenant_id)


def referenced_dataset(session: Session, tenant_id: TenantId, dataset_id: str, *, field: str = "dataset_id") -> Dataset:
    """A dataset named in a body: unknown or another tenant's is 422 `unknown_reference` (contract §4)."""
    found = session.get(Dataset, dataset_id)
    if found is None or found.tenant_id != tenant_id:
        raise field_error(field, "unknown_reference", "no such dataset")
    return found


def table_of(session: Session, found: Dataset) -> Table:
    stored = session.get(DatasetRows, found.id)
    if stored is None:  # pragma: no cover - written in the same transaction as the dataset
        raise not_found()
    return decode_table(found, stored.blob)


def delete_dataset(session: Session, found: Dataset) -> None:
    """Delete a dataset found through this module, with its rows."""
    session.execute(delete(DatasetRows).where(DatasetRows.dataset_id == found.id))
    session.delete(found)


# -- detectors and their feedback ------------------------------------------------------------------


def detectors_in(tenant_id: TenantId) -> Select[tuple[Detector]]:
    return select(Detector).where(Detector.tenant_id == tenant_id)


def detector(session: Session, tenant_id: TenantId, detector_id: str) -> Detector:
    return _owned(session.get(Detector, detector_id), tenant_id)


def detector_count(session: Session, tenant_id: TenantId) -> int:
    return session.scalar(select(func.count()).select_from(Detector).where(Detector.tenant_id == tenant_id)) or 0


def feedback_on(session: Session, found: Detector) -> list[Feedback]:
    """The feedback recorded on a detector found through this module, oldest first."""
    stmt = (select(Feedback).where(Feedback.tenant_id == found.tenant_id, Feedback.detector_id == found.id)
            .order_by(Feedback.created_at, Feedback.id))
    return list(session.scalars(stmt))


# -- jobs ------------------------------------------------------------------------------------------


def job(session: Session, tenant_id: TenantId, job_id: str) -> Job:
    return _owned(session.get(Job, job_id), tenant_id)


# -- the training worker: the queue spans tenants; a job's work stays in the job's tenant -------------


def requeue_interrupted_jobs(session: Session) -> int:
    """Jobs left `running` by a crash go back to `queued`; how many did."""
    result = session.execute(update(Job).where(Job.status == "running").values(status="queued", started_at=None))
    return int(getattr(result, "rowcount", 0) or 0)


def oldest_queued_job_id(session: Session) -> str | None:
    return session.scalar(select(Job.id).where(Job.status == "queued").order_by(Job.created_at, Job.id).limit(1))


def claim_job(session: Session, job_id: str, now: Any) -> bool:
    """Mark a queued job `running`; False when another worker claimed it first."""
    claimed = session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                              .values(status="running", started_at=now))
    return getattr(claimed, "rowcount", 1) != 0


def claimed_job(session: Session, job_id: str) -> Job | None:
    """A job the worker has claimed, by id."""
    return session.get(Job, job_id)


def detector_of_job(session: Session, queued: Job) -> Detector | None:
    return session.scalar(select(Detector).where(Detector.id == queued.detector_id,
                                                 Detector.tenant_id == queued.tenant_id))


def dataset_of_job(session: Session, queued: Job) -> Dataset | None:
    return session.scalar(select(Dataset).where(Dataset.id == queued.dataset_id, Dataset.tenant_id == queued.tenant_id))


def other_job_pending(session: Session, queued: Job) -> bool:
    """Whether another job of the same detector is still queued or running."""
    return session.scalar(
        select(Job.id).where(Job.tenant_id == queued.tenant_id, Job.detector_id == queued.detector_id,
                             Job.id != queued.id, Job.status.in_(("queued", "running"))).limit(1)
    ) is not None
