"""Evaluation of a detector against a labelled dataset: confusion counts, precision, recall, F1.

Labels: 1 / true mean anomaly, 0 / false mean normal (numbers, or strings in any case). Precision,
recall and F1 are JSON numbers between 0 and 1, and 0 when their denominator is 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from services.anomaly.tabular import Cell, Table
from services.common.problems import FieldError, field_error, validation_failed

_TRUE = frozenset({"1", "true", "1.0"})
_FALSE = frozenset({"0", "false", "0.0"})
MAX_REPORTED_ERRORS = 20


def label_of(cell: Cell) -> bool | None:
    if isinstance(cell, float):
        return True if cell == 1.0 else False if cell == 0.0 else None
    if isinstance(cell, str):
        text = cell.strip().lower()
        return True if text in _TRUE else False if text in _FALSE else None
    return None


def labels_of(table: Table, label_column: str, features: Sequence[str]) -> np.ndarray:
    """The label column as booleans; 422 when it is unknown, a feature, or holds other values."""
    if label_column in features:
        raise field_error("label_column", "label_is_feature",
                          f"{label_column!r} is one of the detector's features; labels must be another column")
    position = table.column_index(label_column)
    if position is None:
        raise field_error("label_column", "unknown_column", f"{label_column!r} is not a column of the dataset")
    labels: list[bool] = []
    errors: list[FieldError] = []
    for index, row in enumerate(table.rows):
        label = label_of(row[position])
        if label is None:
            errors.append(FieldError(f"rows[{index}]", "invalid_label",
                                     f"row {index} has label {row[position]!r}; labels must be 0/1 or true/false"))
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
        else:
            labels.append(label)
    if errors:
        raise validation_failed(errors, f"The column {label_column!r} is not a 0/1 or true/false label column.")
    return np.asarray(labels, dtype=bool)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def metrics(predicted: np.ndarray, actual: np.ndarray) -> dict[str, Any]:
    tp = int(np.sum(predicted & actual))
    fp = int(np.sum(predicted & ~actual))
    tn = int(np.sum(~predicted & ~actual))
    fn = int(np.sum(~predicted & actual))
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_positives": tp,
        "false_positives": fp,
        "true_negatives": tn,
        "false_negatives": fn,
    }
