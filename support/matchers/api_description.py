"""A service's description of its own interface (`GET /openapi.json`, contract §1): served, and valid OpenAPI.

Validity is judged by openapi-spec-validator (OpenAPI 2.0, 3.0, 3.1 and 3.2, detected from the document).
"""

from __future__ import annotations

from typing import Any

import httpx
from hamcrest.core.description import Description
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError

from support.matchers.answers import AnswerMatcher, json_body, media_type

MAX_REASON_CHARS = 200


def openapi_faults(document: Any) -> list[str]:
    """What makes `document` an invalid OpenAPI document (empty when it is valid)."""
    if not isinstance(document, dict):
        return ["the description is not a JSON object"]
    try:
        validate(document)
    except ValidatorDetectError:
        return ["the description names no OpenAPI version ('openapi: 3.x' or 'swagger: 2.0')"]
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in getattr(exc, "absolute_path", ()) or ())
        reason = " ".join(str(getattr(exc, "message", exc)).split())
        reason = reason if len(reason) <= MAX_REASON_CHARS else reason[:MAX_REASON_CHARS] + "…"
        return [f"the description is not valid OpenAPI{f' at {where}' if where else ''}: {reason}"]
    return []


class DescribesItsInterface(AnswerMatcher):
    """A 200 JSON answer holding a valid OpenAPI document."""

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == 200 else [f"the status is {answer.status_code}, not 200"]
        if media_type(answer) != "application/json":
            faults.append(f"the content type is {media_type(answer) or 'missing'}, not application/json")
        return faults + openapi_faults(json_body(answer))

    def describe_to(self, description: Description) -> None:
        description.append_text("a valid OpenAPI document describing the service's interface")


def describes_its_interface() -> DescribesItsInterface:
    return DescribesItsInterface()
