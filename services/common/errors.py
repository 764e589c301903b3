"""Exception handlers: every error leaves as a problem document, never a stack trace (contract §1)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.common.problems import PROBLEM_MEDIA_TYPE, FieldError, ProblemError, problem_body
from services.common.schemas import READ_ONLY_FIELDS

log = logging.getLogger("services")

_STATUS_SLUGS = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 409: "conflict", 413: "payload-too-large", 415: "unsupported-media-type",
    422: "validation-failed", 429: "rate-limited", 503: "service-unavailable",
}
_CODES = {
    "missing": "required",
    "json_invalid": "malformed_json",
    "model_attributes_type": "invalid_type",
    "dict_type": "invalid_type",
    "list_type": "invalid_type",
    "string_type": "invalid_type",
    "int_type": "invalid_type",
    "int_parsing": "invalid_type",
    "int_from_float": "invalid_type",
    "float_type": "invalid_type",
    "float_parsing": "invalid_type",
    "bool_type": "invalid_type",
    "bool_parsing": "invalid_type",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_short",
    "too_long": "too_long",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_pattern_mismatch": "invalid_format",
    "value_error": "invalid",
    "finite_number": "invalid_number",
}


_UNPARSABLE_BODY = "There was an error parsing the body"


def problem_response(status: int, slug: str, detail: str, *, errors: list[FieldError] | None = None,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(problem_body(status, slug, detail, errors), status_code=status,
                        media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


def field_errors(raw: list[dict[str, Any]]) -> list[FieldError]:
    errors: list[FieldError] = []
    for error in raw:
        kind = error.get("type", "invalid")
        field = _field_name(tuple(error.get("loc", ())))
        if kind == "extra_forbidden":
            leaf = field.rsplit(".", 1)[-1]
            code = "read_only_field" if leaf in READ_ONLY_FIELDS else "unknown_field"
            message = "is read-only" if code == "read_only_field" else "is not a known field"
        elif kind == "json_invalid":
            field, code, message = "body", "malformed_json", "is not valid JSON"
        else:
            code = _CODES.get(kind, kind)
            message = str(error.get("msg", "is invalid"))
        errors.append(FieldError(field, code, message))
    return errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def on_problem(request: Request, exc: ProblemError) -> JSONResponse:
        if exc.status == 403:
            audit = getattr(request.app.state, "audit", None)
            if audit is not None:
                try:
                    # In a worker thread: a write on the event loop could wait for SQLite's lock while
                    # the lock holder waits for the loop to run its commit.
                    await run_in_threadpool(audit.record_denied, request)
                except Exception:  # the refusal must still be answered
                    log.exception("could not audit a denied call")
        return problem_response(exc.status, exc.slug, exc.detail, errors=exc.errors, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(422, "validation-failed", "The request has invalid fields.",
                                errors=field_errors(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # FastAPI's answer to a JSON body that is not even text (bytes that are not UTF-8): malformed JSON.
            return problem_response(422, "validation-failed", "The request has invalid fields.",
                                    errors=[FieldError("body", "malformed_json", "is not valid JSON")])
        slug = _STATUS_SLUGS.get(exc.status_code, "error")
        detail = {
            404: f"There is nothing at {request.url.path}.",
            405: f"{request.method} is not allowed here.",
        }.get(exc.status_code, str(exc.detail))
        return problem_response(exc.status_code, slug, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DisconnectionError)
    async def on_database_unreachable(request: Request, exc: Exception) -> JSONResponse:
        # The database is away (file gone, server refusing or restarting): nothing was committed, say so.
        log.warning("database unreachable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return problem_response(503, "service-unavailable", "The service cannot reach its database right now. "
                                "Try again shortly.")

    @app.exception_handler(PoolTimeout)
    async def on_busy(request: Request, exc: Exception) -> JSONResponse:
        # Every database connection stayed in use for the pool's whole timeout: overloaded, nothing was done.
        log.warning("no database connection free in time on %s %s", request.method, request.url.path)
        return problem_response(503, "service-unavailable", "The service is too busy to answer right now. "
                                "Try again shortly.", headers={"Retry-After": "1"})

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(500, "internal-error", "The service failed to answer.")
