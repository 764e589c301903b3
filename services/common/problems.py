"""RFC 9457 problem details: the one error shape of every service (contract §1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PROBLEM_BASE = "https://problems.platform.example/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

TITLES: dict[str, str] = {
    "validation-failed": "Validation failed",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "payload-too-large": "Payload too large",
    "unsupported-media-type": "Unsupported media type",
    "unauthenticated": "Unauthenticated",
    "forbidden": "Forbidden",
    "conflict": "Conflict",
    "invalid-credentials": "Invalid credentials",
    "too-many-attempts": "Too many attempts",
    "quota-exceeded": "Quota exceeded",
    "rate-limited": "Rate limited",
    "invalid-transition": "Invalid transition",
    "approval-required": "Approval required",
    "invalid-state": "Invalid state",
    "precondition-failed": "Precondition failed",
    "idempotency-key-reused": "Idempotency key reused",
    "detector-not-trained": "Detector not trained",
    "service-unavailable": "Service unavailable",
    "internal-error": "Internal error",
}


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_body(status: int, slug: str, detail: str, errors: list[FieldError] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": TITLES.get(slug, slug.replace("-", " ").capitalize()),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = [error.as_dict() for error in errors]
    return body


def validation_failed(errors: list[FieldError], detail: str | None = None) -> ProblemError:
    return ProblemError(422, "validation-failed", detail or "The request has invalid fields.", errors=errors)


def field_error(field: str, code: str, message: str) -> ProblemError:
    return validation_failed([FieldError(field, code, message)])


def not_found(detail: str = "The resource does not exist.") -> ProblemError:
    """The one answer for missing ids and other tenants' ids alike: never mention the id or tenant."""
    return ProblemError(404, "not-found", detail)


def forbidden(detail: str = "Your roles do not allow this action.") -> ProblemError:
    return ProblemError(403, "forbidden", detail)


def conflict(detail: str) -> ProblemError:
    return ProblemError(409, "conflict", detail)


def invalid_state(detail: str) -> ProblemError:
    return ProblemError(409, "invalid-state", detail)


def quota_exceeded(detail: str) -> ProblemError:
    return ProblemError(403, "quota-exceeded", detail)


def unauthenticated(detail: str = "A valid access token is required.", *, token_sent: bool = True) -> ProblemError:
    challenge = 'Bearer error="invalid_token"' if token_sent else "Bearer"
    return ProblemError(401, "unauthenticated", detail, headers={"WWW-Authenticate": challenge})
