"""`/api/v1/clients`: route names are the audit actions (a 403 is audited under that name)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.common.deps import SessionDep
from services.common.pagination import PageDep
from services.common.routing import InProcessRoute
from services.sales import client_service
from services.sales.access import CanUseSales
from services.sales.deps import AuditDep
from services.sales.schemas import ClientCreate, ClientOut, ClientPage, ClientUpdate
from services.sales.views import client_view

router = APIRouter(prefix="/api/v1/clients", tags=["clients"], route_class=InProcessRoute)


@router.post("", status_code=201, name="client.created", response_model=ClientOut)
def create_client(caller: CanUseSales, body: ClientCreate, session: SessionDep, audit: AuditDep,
                  response: Response) -> ClientOut:
    client = client_service.create_client(session, audit, caller, body)
    response.headers["Location"] = f"{router.prefix}/{client.id}"
    return client_view(client)


@router.get("", name="client.listed", response_model=ClientPage)
def list_clients(caller: CanUseSales, session: SessionDep, page: PageDep,
                 q: Annotated[str | None, Query(max_length=200)] = None,
                 owner_id: Annotated[str | None, Query()] = None) -> ClientPage:
    return client_service.list_clients(session, caller, page, q=q, owner_id=owner_id)


@router.get("/{client_id}", name="client.read", response_model=ClientOut)
def read_client(caller: CanUseSales, client_id: str, session: SessionDep) -> ClientOut:
    return client_view(client_service.read_client(session, caller, client_id))


@router.patch("/{client_id}", name="client.updated", response_model=ClientOut)
def update_client(caller: CanUseSales, client_id: str, body: ClientUpdate, session: SessionDep,
                  audit: AuditDep) -> ClientOut:
    return client_view(client_service.update_client(session, audit, caller, client_id, body))


@router.delete("/{client_id}", status_code=204, name="client.deleted")
def delete_client(caller: CanUseSales, client_id: str, session: SessionDep, audit: AuditDep) -> Response:
    client_service.delete_client(session, audit, caller, client_id)
    return Response(status_code=204)
