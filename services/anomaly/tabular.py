"""Tables of cells: numeric parsing, missing values and column type inference (contract §5).

A raw cell is what the client sent: a CSV string, or a JSON string / number / bool / null.
After inference every stored cell is `None` (missing), a `float` (numeric column) or a `str`
(categorical column), so the stored table is plain JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["numeric", "categorical"]
Cell = float | str | None
RawCell = str | int | float | bool | None

# A plain decimal number with an optional exponent. Python's float() alone would also accept
# "nan", "inf", "1_000" and "infinity", which are not finite numbers in the contract's sense.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_missing(raw: RawCell) -> bool:
    """An empty value: null, or a string that is empty once surrounding blanks are removed."""
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def parse_number(raw: object) -> float | None:
    """The finite float that `raw` denotes, or None when it is not a finite number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()):
        value = float(raw.strip())
    else:
        return None
    return value if math.isfinite(value) else None


def _as_text(raw: RawCell) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


@dataclass(frozen=True)
class Table:
    """A typed, validated table: the stored form of a dataset."""

    columns: tuple[str, ...]
    types: tuple[ColumnType, ...]
    rows: list[list[Cell]]

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def column_index(self, name: str) -> int | None:
        try:
            return self.columns.index(name)
        except ValueError:
            return None

    def describe_columns(self) -> list[dict[str, str]]:
        return [{"name": name, "type": kind} for name, kind in zip(self.columns, self.types, strict=True)]


def infer_type(values: Sequence[RawCell]) -> ColumnType:
    """Numeric when every non-empty value is a finite number (an all-empty column is numeric)."""
    for raw in values:
        if not is_missing(raw) and parse_number(raw) is None:
            return "categorical"
    return "numeric"


def build_table(columns: Sequence[str], raw_rows: Sequence[Sequence[RawCell]]) -> Table:
    """Infer each column's type and normalise the cells. Rows must already have len(columns) cells."""
    width = len(columns)
    types: list[ColumnType] = [infer_type([row[j] for row in raw_rows]) for j in range(width)]
    rows: list[list[Cell]] = []
    for raw_row in raw_rows:
        row: list[Cell] = []
        for raw, kind in zip(raw_row, types, strict=True):
            if is_missing(raw):
                row.append(None)
            elif kind == "numeric":
                row.append(parse_number(raw))
            else:
                row.append(_as_text(raw))
        rows.append(row)
    return Table(columns=tuple(columns), types=tuple(types), rows=rows)
