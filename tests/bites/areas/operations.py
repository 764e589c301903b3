"""Mutants of §1 conventions, §3 rate limits, the §4 audit trails of every service, and §6 health and metrics.

Each mutant breaks one promise; its case names the scenario that must go red. Seams are in
`services.common` (the same framework serves all three services, so a mutant applies to the service
its case names) or in an app module's constants; a few mutants wrap the built app in an outer ASGI
layer that spoils what leaves or enters it, the way a misconfigured proxy or middleware would.
"""

from __future__ import annotations

import base64
import contextvars
import importlib
import itertools
import json
import re
import sys
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.bites.case import Case
from tests.bites.mutants import SERVICES, AppFactory, Mutant, _replace
from tests.bites.wire import answers_rewritten, request_bodies_rewritten

ROLES = ("admin", "sales_manager", "sales_rep", "analyst", "auditor")


# -- outer layers -------------------------------------------------------------------------------------------
def _wrapped(factory: AppFactory, layer: Callable[[ASGIApp], ASGIApp]) -> AppFactory:
    """The factory of the same app, with `layer` put around everything it answers."""

    def build() -> FastAPI:
        app = factory()
        inner = app.build_middleware_stack
        app.build_middleware_stack = lambda: layer(inner())  # type: ignore[method-assign]
        return app

    return build


def _answers_spoilt(spoil: Callable[[int, list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]
                    ) -> Callable[[ASGIApp], ASGIApp]:
    """A layer that rewrites the headers of every answer: `spoil(status, headers) -> headers`."""

    def layer(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            async def spoilt(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = spoil(message["status"], list(message.get("headers", [])))
                await send(message)

            await app(scope, receive, spoilt if scope["type"] == "http" else send)

        return wrapped

    return layer


def _without(name: bytes) -> Callable[[int, list[tuple[bytes, bytes]]], list[tuple[bytes, bytes]]]:
    def spoil(status: int, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return headers if status < 400 else [(key, value) for key, value in headers if key.lower() != name]
    return spoil


def _queries_rewritten(rewrite: Callable[[str], str]) -> Callable[[ASGIApp], ASGIApp]:
    """A layer that rewrites the query string of every business request before the service reads it."""

    def layer(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"].startswith("/api/v1/"):
                scope = {**scope, "query_string": rewrite(scope.get("query_string", b"").decode()).encode()}
            await app(scope, receive, send)

        return wrapped

    return layer


# -- §1 headers, ids, UTF-8, routes ---------------------------------------------------------------------------
def request_id_dropped_on_refusals(factory: AppFactory) -> AppFactory:
    """Refusals (4xx/5xx) leave without X-Request-ID (a proxy that only decorates successes)."""
    return _wrapped(factory, _answers_spoilt(_without(b"x-request-id")))


def no_store_missing_on_refusals(factory: AppFactory) -> AppFactory:
    """Refusals of business calls leave without Cache-Control: no-store."""
    return _wrapped(factory, _answers_spoilt(_without(b"cache-control")))


def ids_sequential(factory: AppFactory) -> AppFactory:
    """New records get ids that count up (UUIDs made from a counter) instead of random ones."""
    counter = itertools.count(1)
    _replace("services.common.ids", "uuid", SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(counter))))
    return factory


def json_in_latin_1(factory: AppFactory) -> AppFactory:
    """JSON answers are encoded in ISO 8859-1 (and say so) instead of UTF-8."""

    def layer(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            start: Message = {}
            chunks: list[bytes] = []

            async def recoded(message: Message) -> None:
                nonlocal start
                if message["type"] == "http.response.start":
                    start = message
                    return
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body, headers = b"".join(chunks), dict(start.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"application/json"):
                    body = body.decode("utf-8").encode("latin-1", errors="replace")
                    headers[b"content-type"] = b"application/json; charset=iso-8859-1"
                headers[b"content-length"] = str(len(body)).encode()
                await send({**start, "headers": list(headers.items())})
                await send({"type": "http.response.body", "body": body})

            await app(scope, receive, recoded if scope["type"] == "http" else send)

        return wrapped

    return _wrapped(factory, layer)


def method_not_allowed_as_not_found(factory: AppFactory) -> AppFactory:
    """A known place used with a method it does not offer answers 404 not-found instead of 405."""
    errors = importlib.import_module("services.common.errors")
    original = errors.problem_response

    def problem_response(status: int, slug: str, detail: str, **kwargs: Any) -> JSONResponse:
        if status == 405:
            return original(404, "not-found", "The resource does not exist.")
        return original(status, slug, detail, **kwargs)

    _replace("services.common.errors", "problem_response", problem_response)
    return factory


# -- §1 bodies and fields -------------------------------------------------------------------------------------
def json_limit_a_kib_late(factory: AppFactory) -> AppFactory:
    """Ordinary bodies are refused only from 1 MiB + 1 KiB on."""
    _replace("services.common.middleware", "JSON_LIMIT", 1024 * 1024 + 1024)
    return factory


def detections_at_ordinary_limit(factory: AppFactory) -> AppFactory:
    """Detections and streams are held to the 1 MiB limit of ordinary bodies instead of 10 MiB."""
    _replace("services.anomaly.app", "LARGE_BODY_PATHS", (r"/api/v1/datasets",))
    return factory


def read_only_reported_unknown(factory: AppFactory) -> AppFactory:
    """Fields only the platform sets are refused as unknown_field instead of read_only_field."""
    _replace("services.common.errors", "READ_ONLY_FIELDS", frozenset({"id", "tenant_id"}))
    return factory


def deal_changes_drop_read_only_fields(factory: AppFactory) -> AppFactory:
    """A change of a deal silently drops the fields only the platform sets instead of refusing them."""
    dropped = {"stage", "version", "paid_amount", "owner_id", "net_amount", "id", "tenant_id"}
    return _wrapped(factory, request_bodies_rewritten(("PATCH",), r"/api/v1/deals/[^/]+",
                                                      lambda body: {k: v for k, v in body.items() if k not in dropped}))


# -- §1 lists ---------------------------------------------------------------------------------------------------
def page_size_clamped(factory: AppFactory) -> AppFactory:
    """A page size over 100 is served as 100 instead of being refused."""
    return _wrapped(factory, _queries_rewritten(
        lambda query: re.sub(r"page_size=(\d{4,}|10[1-9]|1[1-9]\d|[2-9]\d\d)\b", "page_size=100", query)))


def default_page_size_50(factory: AppFactory) -> AppFactory:
    """A list asked without a page size serves pages of 50."""
    return _wrapped(factory, _queries_rewritten(
        lambda query: query if "page_size=" in query else "&".join(filter(None, [query, "page_size=50"]))))


def _newest_first(stmt: Any) -> Any:
    return stmt.order_by(None).order_by(*[clause.desc() for clause in stmt._order_by_clauses])


def lists_newest_first(factory: AppFactory) -> AppFactory:
    """Every list is served newest first (the lists read through the ORM and those read as plain rows)."""
    pagination = importlib.import_module("services.common.pagination")
    original_rows, original_plain = pagination.page_rows, pagination.page_of_rows

    def page_rows(session: Any, stmt: Any, *rest: Any, **kwargs: Any) -> Any:
        return original_rows(session, _newest_first(stmt), *rest, **kwargs)

    def page_of_rows(session: Any, query: Any, *rest: Any, **kwargs: Any) -> Any:
        reordered = pagination.RowsQuery(_newest_first(query.rows), query.count, query.params)
        return original_plain(session, reordered, *rest, **kwargs)

    # `page_of` looks `page_rows` up in its own module; the rest took them by name, whatever they are called
    replacements = {"page_rows": (original_rows, page_rows), "page_of_rows": (original_plain, page_of_rows)}
    for function, (original, replacement) in replacements.items():
        users = [name for name, module in list(sys.modules.items())
                 if name.startswith("services.") and getattr(module, function, None) is original]
        for name in users:
            _replace(name, function, replacement)
    return factory


# -- §3 rate limits ---------------------------------------------------------------------------------------------
_CALLER: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="")


def _caller_of(scope: Scope) -> str:
    """The `sub` of the request's bearer token, unverified (the limiter only needs a key)."""
    header = dict(scope.get("headers", [])).get(b"authorization", b"").decode()
    try:
        payload = header.split(" ", 1)[1].split(".")[1]
        return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("sub", ""))
    except (IndexError, ValueError):
        return ""


def rate_limit_per_person(factory: AppFactory) -> AppFactory:
    """The rate limit counts each person's requests on their own instead of their company's together."""

    def layer(app: ASGIApp) -> ASGIApp:
        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            token = _CALLER.set(_caller_of(scope) if scope["type"] == "http" else "")
            try:
                await app(scope, receive, send)
            finally:
                _CALLER.reset(token)

        return wrapped

    def build() -> FastAPI:
        app = _wrapped(factory, layer)()
        limiter = app.state.limiter
        original = limiter.acquire
        limiter.acquire = lambda tenant_id: original(f"{tenant_id}/{_CALLER.get()}")
        return app

    return build


def rate_limit_shared_by_all_tenants(factory: AppFactory) -> AppFactory:
    """One allowance for all companies together: one company's flood slows every other one down."""

    def build() -> FastAPI:
        app = factory()
        original = app.state.limiter.acquire
        app.state.limiter.acquire = lambda tenant_id: original("everyone")
        return app

    return build


def rate_limit_without_retry_after(factory: AppFactory) -> AppFactory:
    """Requests over the rate limit are refused without telling when to retry."""

    def layer_spoil(status: int, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        return headers if status != 429 else [(k, v) for k, v in headers if k.lower() != b"retry-after"]

    return _wrapped(factory, _answers_spoilt(layer_spoil))


# -- §4 audit trails --------------------------------------------------------------------------------------------
def _audit() -> Any:
    return importlib.import_module("services.common.audit").AuditLog


def audit_events_doubled(factory: AppFactory) -> AppFactory:
    """Every successful change is written down twice."""
    log = _audit()
    original = log.record

    def record(self: Any, session: Any, principal: Any, action: str, *args: Any, **kwargs: Any) -> None:
        original(self, session, principal, action, *args, **kwargs)
        if kwargs.get("outcome", "success") == "success":
            original(self, session, principal, action, *args, **kwargs)

    log.record = record
    return factory


def denied_writes_not_audited(factory: AppFactory) -> AppFactory:
    """A 403 is written down only for reads: refused changes leave no denied event."""
    log = _audit()
    original = log.record_denied

    def record_denied(self: Any, request: Any) -> None:
        if request.method == "GET":
            original(self, request)

    log.record_denied = record_denied
    return factory


def login_failures_not_audited(factory: AppFactory) -> AppFactory:
    """Failed sign-ins leave no auth.login_failed event."""
    log = _audit()
    original = log.record

    def record(self: Any, session: Any, principal: Any, action: str, *args: Any, **kwargs: Any) -> None:
        if action != "auth.login_failed":
            original(self, session, principal, action, *args, **kwargs)

    log.record = record
    return factory


def audit_filters_ignored(factory: AppFactory) -> AppFactory:
    """The trail's `actor_id` and `resource_id` filters are ignored (action and outcome still work)."""
    return _wrapped(factory, _queries_rewritten(lambda query: re.sub(r"(^|&)(actor_id|resource_id)=[^&]*", "", query)))


def trail_readable_by_every_role(factory: AppFactory) -> AppFactory:
    """Every role of the company may read the trail, not only admins and auditors."""
    log = _audit()
    original = log.__init__

    def init(self: Any, model: type, *, readers: tuple[str, ...] = ()) -> None:
        original(self, model, readers=ROLES)

    log.__init__ = init
    return factory


def trail_deletable(factory: AppFactory) -> AppFactory:
    """DELETE on the trail erases it (204) instead of being refused with 405."""

    def build() -> FastAPI:
        app = factory()

        @app.delete("/api/v1/audit-events", status_code=204, include_in_schema=False)
        def erase() -> None:
            return None

        app.router.routes.insert(0, app.router.routes.pop())
        return app

    return build


# -- §6 health and metrics ----------------------------------------------------------------------------------------
def ready_without_checks(factory: AppFactory) -> AppFactory:
    """GET /health/ready says ready but names none of the checks it made."""

    def without_checks(answer: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in answer.items() if key != "checks"}

    return answers_rewritten(factory, "GET", "/health/ready", without_checks)


def metrics_without_status(factory: AppFactory) -> AppFactory:
    """http_requests_total counts by method and route only, not by status."""
    metrics = importlib.import_module("services.common.metrics")
    original = metrics._labels
    _replace("services.common.metrics", "_labels", lambda method, route, status=None: original(method, route))
    return factory


MUTANTS: tuple[Mutant, ...] = (
    Mutant("request_id_dropped_on_refusals", SERVICES,
           "§1 Every response carries X-Request-ID (the caller's, if sent)", request_id_dropped_on_refusals),
    Mutant("no_store_missing_on_refusals", SERVICES,
           "§1 every /api/v1 response carries Cache-Control: no-store", no_store_missing_on_refusals),
    Mutant("ids_sequential", SERVICES, "§1 IDs are opaque, non-sequential strings", ids_sequential),
    Mutant("json_in_latin_1", SERVICES, "§1 JSON in and out, UTF-8", json_in_latin_1),
    Mutant("method_not_allowed_as_not_found", SERVICES,
           "§1 a known route with another method 405 method-not-allowed", method_not_allowed_as_not_found),
    Mutant("json_limit_a_kib_late", SERVICES, "§1 Request bodies over 1 MiB answer 413", json_limit_a_kib_late),
    Mutant("detections_at_ordinary_limit", ("anomaly",),
           "§1 detections and streams: 10 MiB", detections_at_ordinary_limit),
    Mutant("read_only_reported_unknown", SERVICES,
           "§1 read-only fields are rejected with 422 code read_only_field", read_only_reported_unknown),
    Mutant("deal_changes_drop_read_only_fields", ("sales",),
           "§1 read-only fields in a request body are rejected with 422", deal_changes_drop_read_only_fields),
    Mutant("page_size_clamped", SERVICES, "§1 page_size 1..100; outside -> 422", page_size_clamped),
    Mutant("default_page_size_50", SERVICES, "§1 page_size default 20", default_page_size_50),
    Mutant("lists_newest_first", SERVICES, "§1 lists oldest first (created_at, then id)", lists_newest_first),
    Mutant("rate_limit_per_person", SERVICES, "§3 Each service limits each tenant", rate_limit_per_person),
    Mutant("rate_limit_shared_by_all_tenants", SERVICES, "§3 other tenants are not slowed",
           rate_limit_shared_by_all_tenants),
    Mutant("rate_limit_without_retry_after", SERVICES, "§3 over it 429 rate-limited with Retry-After",
           rate_limit_without_retry_after),
    Mutant("audit_events_doubled", SERVICES, "§4 Audit events: one per successful mutation", audit_events_doubled),
    Mutant("denied_writes_not_audited", SERVICES, "§4 Audit events: one denied per 403", denied_writes_not_audited),
    Mutant("login_failures_not_audited", ("identity",),
           "§4 in identity one denied auth.login_failed per failed sign-in", login_failures_not_audited),
    Mutant("audit_filters_ignored", SERVICES,
           "§4 GET /api/v1/audit-events?action=&actor_id=&resource_id=&outcome=", audit_filters_ignored),
    Mutant("trail_readable_by_every_role", SERVICES, "§4 Readers: admin, auditor (every service)",
           trail_readable_by_every_role),
    Mutant("trail_deletable", SERVICES, "§4 Append-only: PUT/PATCH/DELETE answer 405", trail_deletable),
    Mutant("ready_without_checks", SERVICES, '§6 GET /health/ready: 200 {"status": "ready", "checks": {...}}',
           ready_without_checks),
    Mutant("metrics_without_status", SERVICES, "§6 http_requests_total{method,route,status}",
           metrics_without_status),
)

CASES: tuple[Case, ...] = (
    Case("request_id_dropped_on_refusals", "sales", "@REQ-OPS-CONV-01",
         r"^every service hands back the reference the caller chose", r"sales: no pass: X-Request-ID is None"),
    Case("no_store_missing_on_refusals", "anomaly", "@REQ-OPS-CONV-02",
         r"^every answer, refusals included, is marked not to be guessed, and no business answer",
         r"anomaly: .*Cache-Control is missing"),
    Case("ids_sequential", "anomaly", "@REQ-OPS-CONV-03",
         r"^records made one right after the other in every service get unrelated ids",
         r"datasets: the ids .* count up"),
    Case("json_in_latin_1", "sales", "@REQ-OPS-CONV-05",
         r"^a colleague, a client and a dataset named in several scripts keep their names",
         r"not UTF-8|The sales service's answer .* breaks the \w+ schema: the body is not JSON where the contract"),
    Case("method_not_allowed_as_not_found", "identity", "@REQ-OPS-ERR-05",
         r"^every service refuses actions its places do not offer", r"Alice: deleting the published keys"),
    Case("json_limit_a_kib_late", "sales", "@REQ-OPS-LIMIT-01",
         r"^ordinary requests just over 1 MiB are refused as too large", r"Rita: a new client just over"),
    Case("detections_at_ordinary_limit", "anomaly", "@REQ-OPS-LIMIT-02",
         r"^Ana's uploads, detections and streams just over 10 MiB are refused",
         r"Ana: a detection request just under: the status is 413"),
    Case("read_only_reported_unknown", "sales", "@REQ-OPS-FIELD-02",
         r"^requests to every service that set a field only the platform sets", r"no entry reports stage"),
    Case("deal_changes_drop_read_only_fields", "sales", "@REQ-OPS-FIELD-02",
         r"^requests to every service that set a field only the platform sets",
         r"Rita: a change of her deal with paid_amount: the status is 200"),
    Case("page_size_clamped", "identity", "@REQ-OPS-LIST-04",
         r"^every list of the identity service keeps to pages of 1 to 100 records", r"page 1 of 101"),
    Case("default_page_size_50", "anomaly", "@REQ-OPS-LIST-03",
         r"^every list of the anomaly service keeps to pages of 1 to 100 records", r"page_size is 50, not 20"),
    Case("lists_newest_first", "sales", "@REQ-OPS-LIST-01",
         r"^every list of the sales service, read 2 at a time, shows the oldest records first",
         r"not oldest first"),
    Case("rate_limit_per_person", "sales", "@REQ-OPS-RATE-01",
         r"^Acme's flood of the sales service is slowed down", r"No read was refused"),
    Case("rate_limit_shared_by_all_tenants", "anomaly", "@REQ-OPS-RATE-01",
         r"^Acme's flood of the anomaly service is slowed down", r"Bob was not served"),
    Case("rate_limit_without_retry_after", "identity", "@REQ-OPS-RATE-01",
         r"^Acme's flood of the identity service is slowed down", r"there is no Retry-After header"),
    Case("audit_events_doubled", "anomaly", "@REQ-OPS-AUDIT-01",
         r"^Ana's dataset, its deletion and her detector are each written down once",
         r"4 events instead of 2"),
    Case("denied_writes_not_audited", "sales", "@REQ-OPS-AUDIT-02",
         r"^Ravi's refused attempts to open Rita's deal and move it on", r"0 events instead of 1"),
    Case("login_failures_not_audited", "identity", "@REQ-OPS-AUDIT-03",
         r"^two wrong passwords for Rita and an unknown email are each written down once", r"0 events instead of 1"),
    Case("audit_filters_ignored", "sales", "@REQ-OPS-AUDIT-04",
         r"^each search of the sales trail finds what it names", r"searching by person for Ravi: .*should leave out"),
    Case("trail_readable_by_every_role", "anomaly", "@REQ-OPS-AUDIT-05",
         r"^only Alice and Otto may read the trails", r"Rita on anomaly: the status is 200"),
    Case("trail_deletable", "identity", "@REQ-OPS-AUDIT-06",
         r"^Alice can neither change nor erase the trail of any service", r"DELETE identity's trail"),
    Case("ready_without_checks", "sales", "@REQ-OPS-HEALTH-02",
         r"^the sales service is live and ready",
         r"checks is None, not an object|/health/ready -> 200 .* breaks the [\w-]+ schema: \$\.checks is missing"),
    Case("metrics_without_status", "anomaly", "@REQ-OPS-METRICS-01",
         r"^the metrics of every service hold the request count",
         r"anomaly: .*not labelled by method, route and status"),
)
