"""Reading answers: the suite's one JSON reader and its one media-type parser.

The matchers (`support.matchers.answers`) and the conformance check (`support.http.conformance`) both
read bodies through these, so "is this JSON?" has one answer everywhere.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

NOT_JSON: Any = object()  # `json_body(answer, default=NOT_JSON)` tells "not JSON" from a JSON null


def json_body(answer: httpx.Response, default: Any = None) -> Any:
    """The answer's JSON value, or `default` when the body is not JSON (never raises)."""
    try:
        return answer.json()
    except (ValueError, httpx.ResponseNotRead):
        return default


def json_lines(answer: httpx.Response) -> list[Any]:
    """The JSON values of an NDJSON body, one per non-blank line; a line that is not JSON is NOT_JSON."""
    values = []
    for line in answer.content.splitlines():
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except ValueError:
            values.append(NOT_JSON)
    return values


def media_type(answer: httpx.Response) -> str:
    """The media type of the answer without parameters, lower case ("" when there is none)."""
    return answer.headers.get("content-type", "").split(";")[0].strip().lower()


def is_json_media_type(kind: str) -> bool:
    """application/json, any `+json` type (problem+json) or NDJSON."""
    return kind == "application/json" or kind.endswith("+json") or kind == "application/x-ndjson"
