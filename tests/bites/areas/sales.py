"""Mutants of §4 sales (and §1 money as sales applies it): each breaks one promise; its case names the scenario
that must go red.

Seams are patched in the mutant's own process only. They are chosen to outlive the services refactor
(`deals_service` -> `deal_service`, `SalesActor` -> `Caller`, queries moved into `repository`): a mutant wraps a
use case or a rule it can find under either layout, or changes what goes over the wire, instead of copying a
function body. `_service` finds a module under either name and fails loudly (MutantError) when neither exists,
so a mutant never silently serves the original.
"""

from __future__ import annotations

import contextvars
import importlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from fastapi import FastAPI

from tests.bites.case import Case
from tests.bites.mutants import AppFactory, Mutant, MutantError, _replace
from tests.bites.wire import ASGI, request_bodies_rewritten, rewrite_json, with_middleware


def _service(thing: str) -> str:
    """The module of the sales use cases about `thing` ("deal" -> services.sales.deal_service or deals_service)."""
    for name in (f"services.sales.{thing}_service", f"services.sales.{thing}s_service"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        return name
    raise MutantError(f"no sales use-case module for {thing!r} (was the service refactored?)")


def _around(module: str, attribute: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace `module.attribute` (a function looked up at call time) by `wrap(original)`."""
    original = getattr(importlib.import_module(module), attribute, None)
    if original is None:
        raise MutantError(f"seam {module}.{attribute} does not exist (was the service refactored?)")
    _replace(module, attribute, wrap(original))


def _during(outer_module: str, outer: str, inner_module: str, inner: str,
            instead: Callable[..., Any]) -> None:
    """While `outer_module.outer` runs, calls of `inner_module.inner` go to `instead(original, *args)`.

    A context variable marks the call, so the same function keeps its behaviour everywhere else (other
    requests run in other threads, each with its own context)."""
    active: contextvars.ContextVar[bool] = contextvars.ContextVar(f"during {outer}", default=False)
    _around(inner_module, inner, lambda original: (
        lambda *args, **kwargs: instead(original, *args, **kwargs) if active.get() else original(*args, **kwargs)))

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def marked(*args: Any, **kwargs: Any) -> Any:
            token = active.set(True)
            try:
                return original(*args, **kwargs)
            finally:
                active.reset(token)
        return marked

    _around(outer_module, outer, wrap)


# -- who owns and who may change ---------------------------------------------------------------------------
def deal_owner_is_opener(factory: AppFactory) -> AppFactory:
    """A new deal belongs to whoever opened it, not to its client's owner."""

    def wrap(create: Callable[..., Any]) -> Callable[..., Any]:
        def create_deal(session: Any, audit: Any, caller: Any, *rest: Any) -> Any:
            deal = create(session, audit, caller, *rest)
            deal.owner_id = caller.user_id
            session.flush()
            return deal
        return create_deal

    _around(_service("deal"), "create_deal", wrap)
    return factory


def deal_owner_id_ignored(factory: AppFactory) -> AppFactory:
    """`owner_id` in a deal's body is silently dropped (201/200) instead of refused as read-only."""
    return with_middleware(factory, request_bodies_rewritten(
        ("POST", "PATCH"), r"/api/v1/deals(/[^/]+)?",
        lambda document: {key: value for key, value in document.items() if key != "owner_id"}))


def rep_moves_others_deals(factory: AppFactory) -> AppFactory:
    """A transition checks the caller's role but not that a rep owns the deal (reads and edits still check it)."""
    repository = importlib.import_module("services.sales.repository")
    deals = _service("deal")
    _during(deals, "transition_deal", deals, "read_deal",
            lambda original, session, caller, deal_id: repository.get_deal(session, caller.tenant_id, deal_id))
    return factory


def rep_deletes_others_clients(factory: AppFactory) -> AppFactory:
    """Deleting a client checks the caller's role but not that a rep owns the client."""
    repository = importlib.import_module("services.sales.repository")
    clients = _service("client")
    _during(clients, "delete_client", clients, "read_client",
            lambda original, session, caller, client_id: repository.get_client(session, caller.tenant_id, client_id))
    return factory


def rep_names_client_owner(factory: AppFactory) -> AppFactory:
    """Anybody may name another owner for a client (a rep can add clients for, or hand them to, another rep)."""
    access = importlib.import_module("services.sales.access")
    actor = getattr(access, "SalesActor", None)
    if actor is not None and hasattr(actor, "ensure_may_assign"):  # the rule as a method of the caller
        actor.ensure_may_assign = lambda self, owner_id: None
    else:  # the rule as a function the client use cases import
        _replace(_service("client"), "ensure_may_assign", lambda caller, owner_id: None)
    return factory


# -- approvals -----------------------------------------------------------------------------------------------
def threshold_hard_coded(factory: AppFactory) -> AppFactory:
    """The approval threshold is always the default 20 %, whatever the tenant's admin set."""
    deps = importlib.import_module("services.sales.deps")
    terms = deps.TenantTerms
    _replace("services.sales.deps", "TenantTerms",
             lambda *, currency, threshold: terms(currency=currency, threshold=Decimal(20)))
    return factory


def approval_by_any_sales_user(factory: AppFactory) -> AppFactory:
    """Any sales user who does not own the deal may decide on its discount (reps too; auditors stay read-only)."""
    access = importlib.import_module("services.sales.access")
    deciders = getattr(access, "Approver", None) or getattr(access, "CanDecideApprovals", None)
    users = getattr(access, "SalesUser", None) or getattr(access, "CanUseSales", None)
    if deciders is None or users is None:
        raise MutantError("no permission dependency for deciding approvals in services.sales.access")
    approver, anyone = deciders.__metadata__[0].dependency, users.__metadata__[0].dependency

    def build() -> FastAPI:
        app = factory()
        app.dependency_overrides[approver] = anyone
        return app

    return build


def approval_decided_twice(factory: AppFactory) -> AppFactory:
    """An approval that is no longer pending (approved, rejected, not required) can be decided again."""

    def as_if_pending(original: Callable[..., Any], *args: Any) -> Any:
        deal = original(*args)
        deal.approval = "pending"  # the decision's own update overwrites it in the same transaction
        return deal

    _during(_service("deal"), "decide_approval", "services.sales.repository", "get_deal", as_if_pending)
    return factory


# -- stages and versions ---------------------------------------------------------------------------------------
def lead_skips_to_proposal(factory: AppFactory) -> AppFactory:
    """A lead may jump straight to proposal (one skip of the stage machine allowed)."""
    stages = importlib.import_module("services.sales.stages")
    allowed = getattr(stages, "_ALLOWED", None)
    if not isinstance(allowed, dict):
        raise MutantError("seam services.sales.stages._ALLOWED does not exist")
    allowed[stages.Stage.LEAD] = allowed[stages.Stage.LEAD] | {stages.Stage.PROPOSAL}
    return factory


def lost_deals_editable(factory: AppFactory) -> AppFactory:
    """Only won deals are locked against edits; a lost deal can still be renamed."""
    _replace(_service("deal"), "is_open", lambda stage: str(stage) != "won")
    return factory


def transition_ignores_if_match(factory: AppFactory) -> AppFactory:
    """Transitions ignore If-Match (edits still honour it): a move based on an old reading goes through."""
    _around(_service("deal"), "transition_deal", lambda original: (
        lambda *args: original(*args[:-1], None)))  # (session, audit, caller, deal_id, target, if_match)
    return factory


def etag_only_on_reads(factory: AppFactory) -> AppFactory:
    """Only reads of a deal carry its ETag; the answers to edits, moves and approvals do not."""

    def drop(app: ASGI) -> ASGI:
        async def handle(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["method"] == "GET":
                await app(scope, receive, send)
                return

            async def without_etag(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [(k, v) for k, v in message["headers"] if k.lower() != b"etag"]}
                await send(message)

            await app(scope, receive, without_etag)
        return handle

    return with_middleware(factory, drop)


def amount_cap_exclusive(factory: AppFactory) -> AppFactory:
    """The upper bound of a deal's amount is exclusive: 1,000,000,000.00 itself is refused."""
    _replace("services.sales.validation", "MAX_AMOUNT", Decimal("999999999.99"))
    return factory


# -- payments and commission ---------------------------------------------------------------------------------
def overpayment_against_amount(factory: AppFactory) -> AppFactory:
    """Payments are capped at the deal's amount instead of its net amount (the discount is forgotten)."""
    from sqlalchemy import update

    from services.common.clock import utcnow
    from services.sales.models import Deal
    payments = importlib.import_module(_service("payment"))

    def add_to_paid(session: Any, *args: Any) -> None:  # (session, [tenant_id,] deal, minor)
        deal, minor = args[-2], args[-1]
        result = session.execute(
            update(Deal).where(Deal.id == deal.id, Deal.tenant_id == deal.tenant_id, Deal.stage == "won",
                               Deal.paid_minor + minor <= Deal.amount_minor)
            .values(paid_minor=Deal.paid_minor + minor, version=Deal.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
        session.refresh(deal)
        if result.rowcount != 1:
            if deal.stage != "won":
                raise payments.invalid_state("Payments are recorded on won deals only.")
            raise payments.field_error("amount", "overpayment", "this payment would exceed the deal's amount")

    _replace(payments.__name__, "_add_to_paid", add_to_paid)
    return factory


def commission_tier_on_amount(factory: AppFactory) -> AppFactory:
    """The commission rate follows the deal's amount, not its net amount (the discount is forgotten)."""
    from services.sales.models import Deal
    commissions = _service("commission")
    # the statement's query is built where `select` is used for it: in the use case, or in the repository
    builder = commissions if hasattr(importlib.import_module(commissions), "select") else "services.sales.repository"

    def select(original: Callable[..., Any], *columns: Any) -> Any:
        return original(*[Deal.amount_minor if column is Deal.net_minor else column for column in columns])

    _during(commissions, "statement", builder, "select", select)
    return factory


def idempotency_keys_global(factory: AppFactory) -> AppFactory:
    """Idempotency-Keys are looked up across all tenants: another tenant's key answers 409 (or replays)."""
    idempotency = importlib.import_module("services.sales.idempotency")
    from sqlalchemy import select

    from services.sales.models import IdempotencyRecord

    def earlier_answer(session: Any, tenant_id: str, key: str, print_: str) -> Any:
        record = session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
        if record is None:
            return None
        if record.fingerprint != print_:
            raise idempotency.ProblemError(409, "idempotency-key-reused", "This Idempotency-Key was already used.")
        return record

    _replace("services.sales.idempotency", "earlier_answer", earlier_answer)
    return factory


# -- notifications ---------------------------------------------------------------------------------------------
def notifications_delivered_late(factory: AppFactory) -> AppFactory:
    """Notifications reach their readers 3 s after the event (a slow queue), later than the promised 2 s
    (and than the suite's 0.5 s allowance for its last probe)."""
    lag = timedelta(seconds=3.0)

    def delay(app: ASGI) -> ASGI:
        async def handle(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/api/v1/notifications":
                await app(scope, receive, send)
                return
            await rewrite_json(app, scope, receive, send, lambda page: _older_than(page, lag))
        return handle

    return with_middleware(factory, delay)


def _older_than(page: Any, lag: timedelta) -> Any:
    """The page without the notifications created less than `lag` ago."""
    now = datetime.now(UTC)
    items = [item for item in page.get("items", [])
             if now - datetime.fromisoformat(item["created_at"].replace("Z", "+00:00")) >= lag]
    return {**page, "items": items, "total": page.get("total", 0) - (len(page.get("items", [])) - len(items))}


def rejections_not_notified(factory: AppFactory) -> AppFactory:
    """Only approvals are told to the deal's owner; a rejected discount is never notified."""
    _around(_service("notification"), "approval_decided", lambda original: (
        lambda session, deal: None if deal.approval == "rejected" else original(session, deal)))
    return factory


def idempotency_window_in_seconds(factory: AppFactory) -> AppFactory:
    """The replay window is 24 seconds instead of 24 hours: a repeat half a minute later records a new payment."""
    _replace("services.sales.idempotency", "WINDOW", timedelta(seconds=24))
    return factory


def country_shape_only(factory: AppFactory) -> AppFactory:
    """Any two capital letters pass for a country: "ZX", assigned to no country, is taken."""
    _replace("services.sales.validation", "is_country_code", lambda code: bool(re.fullmatch(r"[A-Z]{2}", code)))
    return factory


def _mutant(patch: Callable[[AppFactory], AppFactory], promise: str) -> Mutant:
    return Mutant(patch.__name__, ("sales",), promise, patch)


MUTANTS: tuple[Mutant, ...] = (
    _mutant(deal_owner_is_opener, "§4 Deal: owner_id is the client's owner"),
    _mutant(deal_owner_id_ignored, "§4 Deal: owner_id in a deal body: 422 read_only_field"),
    _mutant(rep_moves_others_deals, "§4 a sales_rep changes only deals it owns (else 403)"),
    _mutant(rep_deletes_others_clients, "§4 a sales_rep changes only clients it owns (else 403)"),
    _mutant(rep_names_client_owner, "§4 a rep naming another owner for a client gets 403"),
    _mutant(threshold_hard_coded, "§4 approval is pending above the tenant's discount_approval_threshold"),
    _mutant(approval_by_any_sales_user, "§4 Approval: sales_manager or admin who is not the deal's owner"),
    _mutant(approval_decided_twice, "§4 Approval: not pending: 409 invalid-state"),
    _mutant(lead_skips_to_proposal, "§4 Stages: a skip is 409 invalid-transition"),
    _mutant(lost_deals_editable, "§4 Only open deals can be PATCHed (409 invalid-state)"),
    _mutant(transition_ignores_if_match, "§4 transitions honour If-Match (stale: 412 precondition-failed)"),
    _mutant(etag_only_on_reads, '§4 deal answers carry ETag: "<version>"'),
    _mutant(amount_cap_exclusive, "§4 Deal: amount <= 1,000,000,000"),
    _mutant(overpayment_against_amount, "§4 Payments: paid_amount + amount <= net_amount"),
    _mutant(commission_tier_on_amount, "§4 Commission: the rate follows the deal's net_amount"),
    _mutant(idempotency_keys_global, "§4 Payments: an Idempotency-Key is scoped to the tenant"),
    _mutant(idempotency_window_in_seconds, "§4 Payments: a repeat within 24 h replays the first 201 answer"),
    _mutant(country_shape_only, "§4 Client: country is an ISO 3166-1 alpha-2 code"),
    _mutant(notifications_delivered_late, "§4 Notifications: within 2 s of the event"),
    _mutant(rejections_not_notified, "§4 Notifications: approval_decided (owner), for a rejection too"),
)

CASES: tuple[Case, ...] = (
    Case("deal_owner_is_opener", "sales", "@REQ-SALES-DEAL-05",
         r"^Maria opens a deal for Rita's client, and the deal is Rita's"),
    Case("deal_owner_id_ignored", "sales", "@REQ-SALES-DEAL-06",
         r"^Maria can neither open a deal of Rita's client in her own name nor take Rita's deal over",
         r"read_only_field"),
    Case("rep_moves_others_deals", "sales", "@REQ-SALES-VIS-05",
         r"^Rita can neither edit, delete nor move Ravi's things", r"/transitions -> 200"),
    Case("rep_deletes_others_clients", "sales", "@REQ-SALES-VIS-05",
         r"^Rita can neither edit, delete nor move Ravi's things", r"DELETE /api/v1/clients/\S+ -> 409"),
    Case("rep_names_client_owner", "sales", "@REQ-SALES-VIS-06",
         r"^Rita can neither add a client for Ravi nor hand hers over to him", r"/api/v1/clients -> 201"),
    Case("threshold_hard_coded", "sales", "@REQ-SALES-APPR-05",
         r"^with Acme's threshold set to (10 %, a 10\.01 %|30 %, a 25 %|10 %, raising)"),
    Case("approval_by_any_sales_user", "sales", "@REQ-SALES-APPR-03",
         r"^neither Rita, another rep nor an auditor may decide on Rita's discount", r"/approval -> 200"),
    Case("approval_decided_twice", "sales", "@REQ-SALES-APPR-06",
         r"^Maria cannot (reject a discount she has already approved|approve a 10 % discount)"),
    Case("lead_skips_to_proposal", "sales", "@REQ-SALES-DEAL-02",
         r"^moves that skip a stage, go back, stay put or leave a won or lost deal are refused",
         r"the move from lead to proposal"),
    Case("lost_deals_editable", "sales", "@REQ-SALES-DEAL-04",
         r"^a won and a lost deal can no longer be renamed"),
    Case("transition_ignores_if_match", "sales", "@REQ-SALES-CONC-02",
         r"^Rita's move based on an old reading is refused after Maria renamed the deal"),
    Case("etag_only_on_reads", "sales", "@REQ-SALES-CONC-03",
         r"^each edit, move, approval and payment raises the deal's version by one", r"its ETag is None"),
    Case("amount_cap_exclusive", "sales", "@REQ-SALES-DEAL-07",
         r"^deals of 0\.01 and of 1,000,000,000\.00 are opened"),
    Case("overpayment_against_amount", "sales", "@REQ-SALES-PAY-03",
         r"^300\.01 more on a deal of 1,000\.00 with 10 % off, already paid 600\.00, is an overpayment"),
    Case("commission_tier_on_amount", "sales", "@REQ-SALES-COMM-01",
         r"^a payment of 1,000\.00 on a deal of (10,000\.00|55,000\.00) with 10 % off"),
    Case("idempotency_window_in_seconds", "sales", "@REQ-SALES-PAY-08",
         r"^Maria sends the payment of 300\.00 under reference \"bank-0042\" again half a minute later"),
    Case("country_shape_only", "sales", "@REQ-SALES-CLIENT-04", r"^clients in \"Germany\", \"DEU\" or \"ZX\""),
    Case("idempotency_keys_global", "sales", "@REQ-SALES-PAY-07",
         r"^Globex records its own payment under the reference \"bank-0042\" that Acme used first",
         r"idempotency-key-reused"),
    Case("notifications_delivered_late", "sales", "@REQ-SALES-NOTE-01",
         r"^(a 25 % discount asks every sales manager|Maria's decision to|a won deal is told|a payment received)",
         r"Waited \d\.\d s for \w+ to be told"),
    Case("rejections_not_notified", "sales", "@REQ-SALES-NOTE-01",
         r"^Maria's decision to reject a discount is told to the deal's owner"),
)
