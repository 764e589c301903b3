"""Turn an uploaded CSV file or a JSON `{columns, rows}` body into a validated `Table`.

Errors are 422 problems. Row numbering, documented in services/anomaly/README.md:
- CSV: data rows count from 1 (the header is not a row); the field is `rows[<n>]` and the message
  also names the line of the file, e.g. "row 17 has 3 values, expected 4 (line 18 of the file)".
- JSON: rows are named by their index in the `rows` array (from 0), e.g. `rows[16]`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from services.anomaly.tabular import RawCell, Table, build_table
from services.common.problems import FieldError, field_error, validation_failed

MAX_REPORTED_ERRORS = 20
MAX_COLUMNS = 1_000


def _empty(field: str, message: str) -> Exception:
    return field_error(field, "empty_dataset", message)


def _check_columns(names: Sequence[str], field: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    if len(names) > MAX_COLUMNS:
        return [FieldError(field, "too_many_columns", f"at most {MAX_COLUMNS} columns are allowed")]
    for index, name in enumerate(names):
        where = f"{field}[{index}]"
        if name == "":
            errors.append(FieldError(where, "blank_column", f"column {index + 1} has a blank name"))
        elif name in seen:
            errors.append(
                FieldError(where, "duplicate_column", f"column name {name!r} is used more than once")
            )
        else:
            seen[name] = index
    return errors


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise validation_failed(errors[:MAX_REPORTED_ERRORS])


def parse_csv(data: bytes) -> Table:
    """Parse a UTF-8 CSV (comma separated, RFC 4180 quoting, first row = header); blank lines are skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise field_error(
            "file", "invalid_encoding", f"the file is not valid UTF-8 (byte offset {exc.start})"
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[RawCell]] = []
    errors: list[FieldError] = []
    try:
        for record in reader:
            if not record:
                continue
            if header is None:
                header = [name.strip() for name in record]
                _raise_if(_check_columns(header, "columns"))
                continue
            number = len(rows) + 1
            if len(record) != len(header):
                errors.append(
                    FieldError(
                        f"rows[{number}]",
                        "ragged_row",
                        f"row {number} has {len(record)} values, expected {len(header)} "
                        f"(line {reader.line_num} of the file)",
                    )
                )
            rows.append(list(record))
    except csv.Error as exc:
        raise field_error("file", "invalid_csv", f"the file is not valid CSV (line {reader.line_num})") from exc
    if header is None:
        raise _empty("file", "the file is empty: it needs a header row and at least one data row")
    if not rows:
        raise _empty("file", "the file has a header but no data rows")
    _raise_if(errors)
    return build_table(header, rows)


def _json_cell(value: Any, field: str, errors: list[FieldError]) -> RawCell:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            errors.append(FieldError(field, "invalid_value", "must be a finite number, a string or null"))
            return None
        return value
    errors.append(FieldError(field, "invalid_value", "must be a number, a string, a boolean or null"))
    return None


def _json_row(row: Any, index: int, columns: Sequence[str], errors: list[FieldError]) -> list[RawCell]:
    field = f"rows[{index}]"
    if isinstance(row, list):
        if len(row) != len(columns):
            errors.append(
                FieldError(field, "ragged_row", f"{field} has {len(row)} values, expected {len(columns)}")
            )
            return []
        return [_json_cell(value, f"{field}[{j}]", errors) for j, value in enumerate(row)]
    if isinstance(row, Mapping):
        unknown = [key for key in row if key not in columns]
        if unknown:
            errors.append(FieldError(field, "unknown_column", f"{field} names unknown column {unknown[0]!r}"))
            return []
        return [_json_cell(row.get(name), f"{field}.{name}", errors) for name in columns]
    errors.append(FieldError(field, "invalid_type", "each row must be an array of values or an object"))
    return []


def parse_json_table(columns: Any, rows: Any) -> Table:
    """`columns`: list of names; `rows`: list of arrays (one value per column) or of objects by column name."""
    if not isinstance(columns, list) or not all(isinstance(name, str) for name in columns):
        raise field_error("columns", "invalid_type", "must be a list of column names")
    if not isinstance(rows, list):
        raise field_error("rows", "invalid_type", "must be a list of rows")
    names = [name.strip() for name in columns]
    if not names:
        raise _empty("columns", "the dataset has no columns")
    _raise_if(_check_columns(names, "columns"))
    if not rows:
        raise _empty("rows", "the dataset has no rows")
    errors: list[FieldError] = []
    raw_rows = [_json_row(row, index, names, errors) for index, row in enumerate(rows)]
    _raise_if(errors)
    return build_table(names, raw_rows)
