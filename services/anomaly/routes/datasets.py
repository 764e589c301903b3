"""`/api/v1/datasets`: upload (CSV or JSON), list, read, profile, delete."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from services.anomaly import dataset_service, repository
from services.anomaly.access import CanReadAnalyses, CanRunAnalyses
from services.anomaly.deps import StateDep
from services.anomaly.quotas import PlanLimitsDep
from services.anomaly.schemas import DatasetOut, DatasetPage, ProfileOut
from services.anomaly.uploads import read_dataset_upload
from services.anomaly.views import dataset_view, profile_view
from services.common.deps import SessionDep
from services.common.pagination import PageDep

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "name"],
                    "properties": {"file": {"type": "string", "format": "binary"}, "name": {"type": "string"}},
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["name", "columns", "rows"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string"},
                        "columns": {"type": "array", "items": {"type": "string"}},
                        "rows": {"type": "array", "items": {"oneOf": [{"type": "array"}, {"type": "object"}]}},
                    },
                }
            },
        },
    }
}


@router.post("", status_code=201, name="dataset.created", response_model=DatasetOut, openapi_extra=_UPLOAD_BODY)
async def upload_dataset(request: Request, caller: CanRunAnalyses, limits: PlanLimitsDep, state: StateDep,
                         response: Response) -> DatasetOut:
    name, table = await read_dataset_upload(request)

    def store() -> DatasetOut:  # the body was read on the event loop; the database is used in a worker thread
        with state.db.session() as session:
            return dataset_view(dataset_service.create_dataset(session, state.audit, caller, limits, name, table))

    view = await run_in_threadpool(store)
    response.headers["Location"] = f"{router.prefix}/{view.id}"
    return view


@router.get("", name="dataset.listed", response_model=DatasetPage)
def list_datasets(caller: CanReadAnalyses, session: SessionDep, page: PageDep) -> DatasetPage:
    return dataset_service.list_datasets(session, caller, page)


@router.get("/{dataset_id}", name="dataset.read", response_model=DatasetOut)
def read_dataset(dataset_id: str, caller: CanReadAnalyses, session: SessionDep) -> DatasetOut:
    return dataset_view(repository.dataset(session, caller.tenant_id, dataset_id))


@router.get("/{dataset_id}/profile", name="dataset.profiled", response_model=ProfileOut)
def read_profile(dataset_id: str, caller: CanReadAnalyses, session: SessionDep) -> ProfileOut:
    return profile_view(repository.dataset(session, caller.tenant_id, dataset_id))


@router.delete("/{dataset_id}", status_code=204, name="dataset.deleted")
def remove_dataset(dataset_id: str, caller: CanRunAnalyses, session: SessionDep, state: StateDep) -> Response:
    dataset_service.delete_dataset(session, state.audit, caller, dataset_id)
    return Response(status_code=204)
