"""Dataset use cases: store a validated table (within the plan), list, delete."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.anomaly import repository
from services.anomaly.models import Dataset, DatasetRows
from services.anomaly.profile import profile
from services.anomaly.quotas import check_dataset_rows
from services.anomaly.schemas import DatasetPage
from services.anomaly.tabular import Table
from services.anomaly.views import dataset_view
from services.common.audit import AuditLog
from services.common.clock import utcnow
from services.common.ids import new_id
from services.common.pagination import PageParams, page_of
from services.common.plans import PlanLimits
from services.common.tenancy import Caller


def create_dataset(session: Session, audit: AuditLog, caller: Caller, limits: PlanLimits, name: str,
                   table: Table) -> Dataset:
    check_dataset_rows(limits, table.row_count)
    dataset = Dataset(
        id=new_id(),
        tenant_id=caller.tenant_id,
        name=name,
        row_count=table.row_count,
        columns=table.describe_columns(),
        profile=profile(table),
        created_at=utcnow(),
    )
    session.add(dataset)
    session.flush()
    session.add(DatasetRows(dataset_id=dataset.id, blob=repository.encode_rows(table)))
    audit.record(session, caller, "dataset.created", "dataset", dataset.id)
    return dataset


def list_datasets(session: Session, caller: Caller, page: PageParams) -> DatasetPage:
    stmt = repository.datasets_in(caller.tenant_id).order_by(Dataset.created_at, Dataset.id)
    return page_of(session, stmt, page, DatasetPage, dataset_view)


def delete_dataset(session: Session, audit: AuditLog, caller: Caller, dataset_id: str) -> None:
    dataset = repository.dataset(session, caller.tenant_id, dataset_id)
    repository.delete_dataset(session, dataset)
    audit.record(session, caller, "dataset.deleted", "dataset", dataset.id)
