"""Data for the anomaly scenarios: Gherkin tables as CSV files or structured rows, readings from phrases.

Everything here is deterministic: the same table or count always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_QUOTED = re.compile(r'"([^"]*)"')
_PAIR = re.compile(r"^(?P<name>[A-Za-z_][\w ]*?)\s+(?P<value>\S+)$")
# How a scenario names a line of a stream that is not a reading.
NOT_A_READING = "something that is not a reading"
SENSOR_SEED = 20261201


@dataclass(frozen=True)
class Upload:
    """What a scenario uploads as a dataset: a CSV file, or structured rows (`columns` + `rows`)."""

    name: str
    csv: bytes | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


def table_of(table: Any) -> tuple[list[str], list[list[str]]]:
    """A behave table as (column names, rows of cell texts)."""
    columns = [str(heading).strip() for heading in table.headings]
    return columns, [[str(cell).strip() for cell in row.cells] for row in table.rows]


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The table as a UTF-8 CSV file with a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def docstring_bytes(text: str) -> bytes:
    """A file written out in a scenario's doc string (each line ends with a newline)."""
    return "".join(f"{line.strip()}\n" for line in text.strip().splitlines()).encode("utf-8")


def number_or_text(cell: str) -> int | float | str | None:
    """How the cell reads as a structured value: empty -> None, "12" -> 12, "1e3" -> 1000.0, else text."""
    text = cell.strip()
    if not text:
        return None
    if _NUMBER.fullmatch(text):
        value = float(text)
        return int(value) if value.is_integer() and re.fullmatch(r"[+-]?\d+", text) else value
    return text


def structured_rows(rows: Sequence[Sequence[str]]) -> list[list[Any]]:
    """The rows of a table as structured values, one list per row in column order."""
    return [[number_or_text(cell) for cell in row] for row in rows]


def quoted_values(text: str) -> list[str]:
    """'"12", "", "n/a"' -> ["12", "", "n/a"]."""
    values = _QUOTED.findall(text)
    if not values:
        raise ValueError(f'write the values in double quotes, e.g. "12", "", "n/a" (got {text!r})')
    return values


def one_column_csv(column: str, values: Sequence[str]) -> bytes:
    """A CSV of meters m1, m2, ... with one value each in `column` (the meter column keeps empty values apart)."""
    return csv_bytes(["meter", column], [[f"m{index + 1}", value] for index, value in enumerate(values)])


def reading(text: str) -> dict[str, Any]:
    """ "temperature 29 and pressure 106" -> {"temperature": 29, "pressure": 106} """
    row: dict[str, Any] = {}
    for part in re.split(r",\s*|\s+and\s+", text.strip()):
        match = _PAIR.match(part.strip())
        if match is None:
            raise ValueError(f"cannot read {part!r} as '<feature> <value>' in the reading {text!r}")
        row[match["name"].strip()] = number_or_text(match["value"])
    return row


def readings_of(table: Any) -> list[dict[str, Any]]:
    """Table rows as readings; an empty cell leaves that feature out of the reading."""
    columns, rows = table_of(table)
    return [{name: number_or_text(cell) for name, cell in zip(columns, row, strict=True) if cell} for row in rows]


def stream_line(text: str) -> dict[str, Any] | str:
    """A line of a stream as a scenario names it: a reading ("temperature 22") or NOT_A_READING."""
    if text.strip().lower() == NOT_A_READING:
        return "this line is not a reading {"
    return reading(text)


def temperature_at(index: int) -> float:
    """A temperature between 20.0 and 24.9 that repeats every 50 readings."""
    return 20 + (index % 50) / 10


def generated_readings_csv(count: int) -> bytes:
    """`count` meter readings (meter, temperature) as a CSV file."""
    return csv_bytes(["meter", "temperature"], [[f"m{index}", temperature_at(index)] for index in range(count)])


def generated_readings(count: int) -> list[dict[str, Any]]:
    """`count` readings of the temperature, to be checked at once."""
    return [{"temperature": temperature_at(index)} for index in range(count)]


def count_of(text: str) -> int:
    """ "10,001" -> 10001 """
    return int(text.replace(",", "").replace("_", "").strip())


def feature_names(text: str) -> list[str]:
    """ "temperature, pressure and vibration" -> ["temperature", "pressure", "vibration"] """
    return [part.strip() for part in re.split(r",|\band\b", text) if part.strip()]


def rows_of(table: Any) -> list[dict[str, str]]:
    """A behave table as one dict of cell texts per row, by heading."""
    columns, rows = table_of(table)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def ragged_readings(count: int, *, longer: int) -> tuple[list[str], list[list[Any]]]:
    """`count` meter readings (meter, temperature); the `longer`-th (from 1) carries a value too many."""
    rows: list[list[Any]] = [[f"m{number}", 19 + number] for number in range(1, count + 1)]
    rows[longer - 1].append(99)
    return ["meter", "temperature"], rows


def sensor_names(count: int) -> list[str]:
    return [f"sensor_{number}" for number in range(1, count + 1)]


def sensor_readings_csv(rows: int, sensors: int) -> bytes:
    """`rows` readings of `sensors` sensors (Gaussian around 50, seeded) as a CSV file."""
    draw = random.Random(SENSOR_SEED)
    values = [[round(draw.gauss(50.0, 5.0), 3) for _ in range(sensors)] for _ in range(rows)]
    return csv_bytes(sensor_names(sensors), values)
