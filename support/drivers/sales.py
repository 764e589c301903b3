"""Sales: clients, deals and their stages, approvals, payments, commissions, notifications."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from support.drivers.base import Driver, if_match, page_params
from support.drivers.records import JSON, AuditEvent, Client, Deal, Notification, Page, Payment, Pipeline, Statement
from support.http.client import API

# The happy path of a deal; `advance` walks it one transition at a time.
STAGE_PATH = ("lead", "qualified", "proposal", "won")


class SalesDriver(Driver):
    service = "sales"

    # -- clients -------------------------------------------------------------------------------
    def create_client(self, *, name: str, email: str, country: str, owner_id: str | None = None) -> Client:
        body: JSON = {"name": name, "email": email, "country": country}
        if owner_id is not None:
            body["owner_id"] = owner_id
        return self._record(Client, "POST", f"{API}/clients", intent=f"add the client {name}", expect=201, json=body)

    def list_clients(self, *, q: str | None = None, owner_id: str | None = None,
                     page: int | None = None, page_size: int | None = None) -> Page[Client]:
        return self._page(Client, f"{API}/clients", intent="list clients",
                          params={"q": q, "owner_id": owner_id, **page_params(page, page_size)})

    def get_client(self, client_id: str) -> Client:
        return self._record(Client, "GET", f"{API}/clients/{client_id}", intent=f"read client {client_id}")

    def update_client(self, client_id: str, **changes: Any) -> Client:
        return self._record(Client, "PATCH", f"{API}/clients/{client_id}", intent=f"change client {client_id}",
                          json=changes)

    def delete_client(self, client_id: str) -> None:
        self._request("DELETE", f"{API}/clients/{client_id}", intent=f"delete client {client_id}", expect=204)

    # -- deals ---------------------------------------------------------------------------------
    def create_deal(self, *, client_id: str, title: str, amount: str | int | float,
                    discount_percent: str | int | None = None, owner_id: str | None = None) -> Deal:
        """Open a deal; `owner_id` is sent only when given (the contract refuses it: the owner is fixed)."""
        body: JSON = {"client_id": client_id, "title": title, "amount": amount}
        if discount_percent is not None:
            body["discount_percent"] = discount_percent
        if owner_id is not None:
            body["owner_id"] = owner_id
        return self._record(Deal, "POST", f"{API}/deals", intent=f"open the deal {title!r}", expect=201, json=body)

    def list_deals(self, *, stage: str | None = None, owner_id: str | None = None,
                   page: int | None = None, page_size: int | None = None) -> Page[Deal]:
        return self._page(Deal, f"{API}/deals", intent="list deals",
                          params={"stage": stage, "owner_id": owner_id, **page_params(page, page_size)})

    def get_deal(self, deal_id: str) -> Deal:
        return self._record(Deal, "GET", f"{API}/deals/{deal_id}", intent=f"read deal {deal_id}")

    def deal_tag(self) -> str | None:
        """The ETag of the last answer (deal answers carry `"<version>"`)."""
        return self.last_response.headers.get("etag")

    def update_deal(self, deal_id: str, *, version: int | None = None, **changes: Any) -> Deal:
        return self._record(Deal, "PATCH", f"{API}/deals/{deal_id}", intent=f"change deal {deal_id}",
                          json=changes, headers=if_match(version))

    def transition(self, deal_id: str, to: str, *, version: int | None = None) -> Deal:
        return self._record(Deal, "POST", f"{API}/deals/{deal_id}/transitions", intent=f"move deal {deal_id} to {to}",
                          json={"to": to}, headers=if_match(version))

    def advance(self, deal_id: str, to: str) -> Deal:
        """Move a deal along lead -> qualified -> proposal -> won until it reaches `to`."""
        deal = self.get_deal(deal_id)
        if to not in STAGE_PATH or deal.stage not in STAGE_PATH:
            return self.transition(deal_id, to)
        for stage in STAGE_PATH[STAGE_PATH.index(deal.stage) + 1: STAGE_PATH.index(to) + 1]:
            deal = self.transition(deal_id, stage)
        return deal

    def decide_approval(self, deal_id: str, decision: str, *, comment: str | None = None) -> Deal:
        body: JSON = {"decision": decision}
        if comment is not None:
            body["comment"] = comment
        return self._record(Deal, "POST", f"{API}/deals/{deal_id}/approval", intent=f"{decision} deal {deal_id}",
                          json=body)

    # -- payments and commissions --------------------------------------------------------------
    def record_payment(self, deal_id: str, amount: str | int, *, received_at: str | None = None,
                       idempotency_key: str | None = None) -> Payment:
        """Record a payment; every call carries an Idempotency-Key (a fresh one unless given)."""
        body: JSON = {"amount": amount}
        if received_at is not None:
            body["received_at"] = received_at
        key = idempotency_key or str(uuid.uuid4())
        return self._record(Payment, "POST", f"{API}/deals/{deal_id}/payments", intent=f"record a payment of {amount}",
                          expect=201, json=body, headers={"Idempotency-Key": key})

    def list_payments(self, deal_id: str, *, page: int | None = None,
                      page_size: int | None = None) -> Page[Payment]:
        return self._page(Payment, f"{API}/deals/{deal_id}/payments", intent=f"list payments of deal {deal_id}",
                          params=page_params(page, page_size))

    def commission_statement(self, *, owner_id: str | None = None, period: str | None = None) -> Statement:
        return Statement.of(self._json("GET", f"{API}/commissions", intent="read a commission statement",
                                       params={"owner_id": owner_id, "period": period}))

    # -- notifications, reports, audit ---------------------------------------------------------
    def notifications(self, *, unread: bool | None = None, page: int | None = None,
                      page_size: int | None = None) -> Page[Notification]:
        flag = None if unread is None else str(unread).lower()
        return self._page(Notification, f"{API}/notifications", intent="read notifications",
                          params={"unread": flag, **page_params(page, page_size)})

    def mark_read(self, notification_id: str) -> None:
        self._request("POST", f"{API}/notifications/{notification_id}/read",
                      intent=f"mark notification {notification_id} read", expect=204)

    def pipeline(self) -> Pipeline:
        return Pipeline.of(self._json("GET", f"{API}/reports/pipeline", intent="read the pipeline report"))

    def audit_events(self, **filters: Any) -> Page[AuditEvent]:
        return self._page(AuditEvent, f"{API}/audit-events", intent="read sales' audit events", params=filters)

    def tamper_with_audit(self, method: str, event_id: str | None = None) -> JSON:
        """Try to change (PUT/PATCH) or erase (DELETE) the audit log or one of its events."""
        path = f"{API}/audit-events" + (f"/{event_id}" if event_id else "")
        body = None if method == "DELETE" else {"outcome": "success", "action": "nothing.happened"}
        return self._json(method, path, intent=f"{method} {path}", json=body)

    def tamper_with_audit_everywhere(self, event_id: str) -> dict[str, httpx.Response]:
        """Every way to change or erase the trail and one event, each answer by what was tried."""
        answers = {}
        for method in ("PUT", "PATCH", "DELETE"):
            answers[f"{method} on the trail"] = self.attempt(self.tamper_with_audit, method)
            answers[f"{method} on an event"] = self.attempt(self.tamper_with_audit, method, event_id)
        return answers
