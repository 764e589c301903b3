"""`/api/v1/deals`: every deal answer carries `ETag: "<version>"`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlalchemy import Row

from services.common.deps import SessionDep
from services.common.pagination import PageDep
from services.common.routing import InProcessRoute
from services.sales import deal_service
from services.sales.access import CanDecideApprovals, CanUseSales
from services.sales.deps import AuditDep, IfMatch, TermsDep
from services.sales.models import Deal
from services.sales.schemas import ApprovalRequest, DealCreate, DealOut, DealPage, DealUpdate, TransitionRequest
from services.sales.stages import Stage
from services.sales.views import deal_view, etag

router = APIRouter(prefix="/api/v1/deals", tags=["deals"], route_class=InProcessRoute)


def _answer(deal: Deal | Row[Any], response: Response) -> DealOut:
    response.headers["ETag"] = etag(deal.version)
    return deal_view(deal)


@router.post("", status_code=201, name="deal.created", response_model=DealOut)
def create_deal(caller: CanUseSales, terms: TermsDep, body: DealCreate, session: SessionDep, audit: AuditDep,
                response: Response) -> DealOut:
    deal = deal_service.create_deal(session, audit, caller, terms, body)
    response.headers["Location"] = f"{router.prefix}/{deal.id}"
    return _answer(deal, response)


@router.get("", name="deal.listed", response_model=DealPage)
def list_deals(caller: CanUseSales, session: SessionDep, page: PageDep,
               stage: Annotated[Stage | None, Query()] = None,
               owner_id: Annotated[str | None, Query()] = None,
               client_id: Annotated[str | None, Query()] = None) -> DealPage:
    return deal_service.list_deals(session, caller, page, stage=stage, owner_id=owner_id, client_id=client_id)


@router.get("/{deal_id}", name="deal.read", response_model=DealOut)
def read_deal(caller: CanUseSales, deal_id: str, session: SessionDep, response: Response) -> DealOut:
    return _answer(deal_service.show_deal(session, caller, deal_id), response)


@router.patch("/{deal_id}", name="deal.updated", response_model=DealOut)
def update_deal(caller: CanUseSales, terms: TermsDep, deal_id: str, body: DealUpdate, session: SessionDep,
                audit: AuditDep, response: Response, if_match: IfMatch = None) -> DealOut:
    deal = deal_service.update_deal(session, audit, caller, terms, deal_id, body, if_match)
    return _answer(deal, response)


@router.post("/{deal_id}/transitions", name="deal.transitioned", response_model=DealOut)
def transition_deal(caller: CanUseSales, deal_id: str, body: TransitionRequest, session: SessionDep,
                    audit: AuditDep, response: Response, if_match: IfMatch = None) -> DealOut:
    deal = deal_service.transition_deal(session, audit, caller, deal_id, body.to, if_match)
    return _answer(deal, response)


@router.post("/{deal_id}/approval", name="deal.approval", response_model=DealOut)
def decide_approval(caller: CanDecideApprovals, deal_id: str, body: ApprovalRequest, session: SessionDep,
                    audit: AuditDep, response: Response, if_match: IfMatch = None) -> DealOut:
    deal = deal_service.decide_approval(session, audit, caller, deal_id, body, if_match)
    return _answer(deal, response)
