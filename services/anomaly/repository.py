"""Tenant-scoped reads and writes. Every lookup takes a `TenantId`; another tenant's row is "not found"."""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import Select, func, select
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


def _owned(row: Any, tenant_id: TenantId) -> Any:
    if row is None or row.tenant_id != tenant_id:
        raise not_found()
    return row


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


def datasets(tenant_id: TenantId) -> Select[tuple[Dataset]]:
    return select(Dataset).where(Dataset.tenant_id == tenant_id).order_by(Dataset.created_at, Dataset.id)


def detector(session: Session, tenant_id: TenantId, detector_id: str) -> Detector:
    return _owned(session.get(Detector, detector_id), tenant_id)


def detectors(tenant_id: TenantId) -> Select[tuple[Detector]]:
    return select(Detector).where(Detector.tenant_id == tenant_id).order_by(Detector.created_at, Detector.id)


def detector_count(session: Session, tenant_id: TenantId) -> int:
    return session.scalar(select(func.count()).select_from(Detector).where(Detector.tenant_id == tenant_id)) or 0


def job(session: Session, tenant_id: TenantId, job_id: str) -> Job:
    return _owned(session.get(Job, job_id), tenant_id)


def feedback_of(session: Session, detector_id: str) -> list[Feedback]:
    stmt = select(Feedback).where(Feedback.detector_id == detector_id).order_by(Feedback.created_at, Feedback.id)
    return list(session.scalars(stmt))
