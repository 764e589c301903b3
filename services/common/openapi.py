"""The OpenAPI document of every service declares the platform's problem answers (contract §1, §2).

FastAPI documents only the success answer and a 422 in its own shape. The platform answers every error
as an RFC 9457 problem document (`application/problem+json`), so each operation's `responses` here name
the problem statuses it can answer, with the problem schema: a client (or Schemathesis) that checks
answers against the document then sees the platform's real answers, not FastAPI's defaults.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.common.problems import PROBLEM_MEDIA_TYPE

# Calls that take no bearer token (contract §2).
PUBLIC_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/auth/refresh"})
_BODY_METHODS = frozenset({"post", "put", "patch"})
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["field", "code", "message"],
    "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "pattern": "^https://problems\\.platform\\.example/[a-z0-9-]+$"},
        "title": {"type": "string", "minLength": 1},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
    },
}
VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "allOf": [
        {"$ref": "#/components/schemas/Problem"},
        {"type": "object", "required": ["errors"],
         "properties": {"status": {"const": 422}, "errors": {"type": "array", "minItems": 1}}},
    ],
}
DESCRIPTIONS: dict[int, str] = {
    400: "Bad request (`bad-request`): an unreadable Content-Length",
    401: "No valid access token (`unauthenticated`), or wrong credentials (`invalid-credentials`)",
    403: "The caller's roles do not allow the call (`forbidden`), or a plan limit (`quota-exceeded`)",
    404: "No such resource in the caller's tenant (`not-found`)",
    409: "The request conflicts with the resource's state (`conflict`, `invalid-state`, ...)",
    412: "The `If-Match` version is stale (`precondition-failed`)",
    413: "The body is too large (`payload-too-large`)",
    415: "The body's media type is not accepted (`unsupported-media-type`)",
    422: "The request has invalid fields (`validation-failed`), one `errors` entry per broken rule",
    429: "Too many requests (`rate-limited`, `too-many-attempts`), see `Retry-After`",
    503: "A dependency is not available (`service-unavailable`)",
}


def problem_response(status: int) -> dict[str, Any]:
    schema = "ValidationProblem" if status == 422 else "Problem"
    return {"description": DESCRIPTIONS.get(status, "A problem document"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def problem_statuses(path: str, method: str, operation: dict[str, Any], *, remote_identity: bool) -> list[int]:
    """The problem statuses one `/api/v1` operation can answer."""
    statuses = {401, 403, 404, 429}
    header_names = {str(p.get("name", "")).lower() for p in operation.get("parameters", []) if p.get("in") == "header"}
    if operation.get("parameters") or operation.get("requestBody") or path in PUBLIC_PATHS:
        statuses.add(422)
    if method != "get":
        statuses.add(409)
    if method in _BODY_METHODS:
        statuses.update({400, 413, 415, 422})
    if "if-match" in header_names:
        statuses.add(412)
    if remote_identity:
        statuses.add(503)
    return sorted(statuses)


def document_problems(schema: dict[str, Any], *, remote_identity: bool) -> dict[str, Any]:
    """Rewrite a FastAPI OpenAPI document in place so that every error answer is a documented problem."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update({"FieldError": FIELD_ERROR_SCHEMA, "Problem": PROBLEM_SCHEMA,
                    "ValidationProblem": VALIDATION_PROBLEM_SCHEMA})
    components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer",
                                                             "bearerFormat": "JWT"}
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if path.startswith("/api/"):
                for status in problem_statuses(path, method, operation, remote_identity=remote_identity):
                    responses[str(status)] = problem_response(status)
                if path not in PUBLIC_PATHS:
                    operation["security"] = [{"bearer": []}]
            elif "503" in responses:
                responses["503"] = problem_response(503)
    return schema


def install_problem_docs(app: FastAPI, *, remote_identity: bool) -> None:
    """Make `app.openapi()` (and so `GET /openapi.json`) answer the documented problems."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                                 description=app.description, routes=app.routes)
            app.openapi_schema = document_problems(schema, remote_identity=remote_identity)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
