"""Read a dataset upload: multipart (`file` CSV + `name`) or JSON `{name, columns, rows}`."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from services.anomaly.ingest import parse_csv, parse_json_table
from services.anomaly.schemas import DatasetJsonIn
from services.anomaly.tabular import Table
from services.common.errors import field_errors
from services.common.problems import FieldError, ProblemError, field_error, validation_failed

MULTIPART = "multipart/form-data"
JSON = "application/json"
FORM_FIELDS = ("file", "name")


def _media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


async def read_dataset_upload(request: Request) -> tuple[str, Table]:
    media_type = _media_type(request)
    if media_type == MULTIPART:
        return await _read_multipart(request)
    if media_type == JSON or (media_type.startswith("application/") and media_type.endswith("+json")):
        return await _read_json(request)
    if not media_type and not await request.body():
        raise field_error("body", "required", "send a CSV file (multipart/form-data) or a JSON body")
    raise ProblemError(415, "unsupported-media-type",
                       "Send the dataset as multipart/form-data (file + name) or application/json.")


async def _read_json(request: Request) -> tuple[str, Table]:
    raw = await request.body()
    try:
        document: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise field_error("body", "malformed_json", "is not valid JSON") from exc
    try:
        body = DatasetJsonIn.model_validate(document)
    except ValidationError as exc:
        raise validation_failed(field_errors(list(exc.errors()))) from exc
    table = await run_in_threadpool(parse_json_table, body.columns, body.rows)
    return body.name, table


async def _read_multipart(request: Request) -> tuple[str, Table]:
    try:
        form = await request.form(max_files=2, max_fields=10)
    except HTTPException as exc:
        raise field_error("file", "invalid_multipart", "the multipart body cannot be read") from exc
    errors: list[FieldError] = [
        FieldError(key, "unknown_field", "is not a known field") for key in form if key not in FORM_FIELDS
    ]
    name = form.get("name")
    upload = form.get("file")
    if not isinstance(name, str) or not name.strip():
        errors.append(FieldError("name", "required", "give the dataset a name"))
    elif len(name.strip()) > 200:
        errors.append(FieldError("name", "too_long", "must be at most 200 characters"))
    if upload is None:
        errors.append(FieldError("file", "required", "attach the CSV file as the form field 'file'"))
    if errors:
        raise validation_failed(errors)
    data = await upload.read() if isinstance(upload, UploadFile) else str(upload).encode()
    table = await run_in_threadpool(parse_csv, data)
    return str(name).strip(), table
