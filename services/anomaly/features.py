"""Feature vectors: from client rows (`{column: value}`) and from stored dataset tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from services.anomaly.tabular import Table, parse_number
from services.common.problems import FieldError, validation_failed

MAX_REPORTED_ERRORS = 20


class RowError(ValueError):
    """One row cannot be turned into a feature vector; the message names the feature."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def vector_of(row: Any, features: Sequence[str]) -> list[float]:
    """The row's feature values in detector order; RowError when one is missing or not a number."""
    if not isinstance(row, dict):
        raise RowError("invalid_type", "a row must be a JSON object of column values")
    vector: list[float] = []
    for name in features:
        value = row.get(name)
        if type(value) is float or type(value) is int:
            number: float | None = parse_number(value)
        elif value is None or (isinstance(value, str) and not value.strip()):
            raise RowError("missing_feature", f"has no value for feature {name!r}")
        else:
            number = parse_number(value)
        if number is None:
            raise RowError("invalid_value", f"feature {name!r} must be a finite number")
        vector.append(number)
    return vector


def matrix_of_rows(rows: Sequence[Any], features: Sequence[str], *, field: str = "rows") -> np.ndarray:
    """All rows as a matrix, or one 422 naming each broken row by its index (from 0)."""
    vectors: list[list[float]] = []
    errors: list[FieldError] = []
    for index, row in enumerate(rows):
        try:
            vectors.append(vector_of(row, features))
        except RowError as exc:
            errors.append(FieldError(f"{field}[{index}]", exc.code, f"row {index} {exc.message}"))
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
    if errors:
        raise validation_failed(errors, "Some rows cannot be scored.")
    return np.asarray(vectors, dtype=float).reshape(len(vectors), len(features))


def check_features(table: Table, features: Sequence[str], *, field: str = "features") -> list[int]:
    """Column positions of the features; 422 `unknown_feature` for any that is not a numeric column."""
    positions: list[int] = []
    errors: list[FieldError] = []
    for index, name in enumerate(features):
        position = table.column_index(name)
        if position is None:
            errors.append(FieldError(f"{field}[{index}]", "unknown_feature",
                                     f"{name!r} is not a column of the dataset"))
        elif table.types[position] != "numeric":
            errors.append(FieldError(f"{field}[{index}]", "unknown_feature",
                                     f"{name!r} is not a numeric column of the dataset"))
        else:
            positions.append(position)
    if errors:
        raise validation_failed(errors, "The detector's features must be numeric columns of the dataset.")
    return positions


def complete_rows(table: Table, positions: Sequence[int]) -> np.ndarray:
    """The matrix of the rows that have a value for every feature (training skips the others)."""
    vectors = [
        [row[p] for p in positions] for row in table.rows if all(row[p] is not None for p in positions)
    ]
    return np.asarray(vectors, dtype=float).reshape(len(vectors), len(positions))


def table_matrix(table: Table, positions: Sequence[int]) -> np.ndarray:
    """Every row of the table as a matrix; 422 naming the rows (from 0) that lack a feature value."""
    errors: list[FieldError] = []
    for index, row in enumerate(table.rows):
        missing = [table.columns[p] for p in positions if row[p] is None]
        if missing:
            errors.append(FieldError(f"rows[{index}]", "missing_feature",
                                     f"row {index} of the dataset has no value for feature {missing[0]!r}"))
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
    if errors:
        raise validation_failed(errors, "Some rows of the dataset cannot be scored.")
    return complete_rows(table, positions)
