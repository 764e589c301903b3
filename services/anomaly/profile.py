"""Dataset profile (contract §5): per-column counts and, for numeric columns, summary statistics.

- `count`: non-missing values; `missing`: empty values; `distinct`: distinct non-missing values.
- `duplicate_rows`: rows minus distinct rows (a row equal to an earlier one counts once per repeat).
- `std` is the sample standard deviation (n - 1; null for fewer than two values); percentiles use
  linear interpolation (numpy's default). Statistics of a numeric column with no values are null.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from services.anomaly.tabular import Table


def _numeric_stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return dict.fromkeys(("mean", "std", "min", "max", "p25", "p50", "p75"))
    array = np.asarray(values, dtype=float)
    p25, p50, p75 = np.percentile(array, [25, 50, 75])
    return {
        "mean": float(array.mean()),
        "std": float(array.std(ddof=1)) if array.size > 1 else None,
        "min": float(array.min()),
        "max": float(array.max()),
        "p25": float(p25),
        "p50": float(p50),
        "p75": float(p75),
    }


def profile(table: Table) -> dict[str, Any]:
    columns: list[dict[str, Any]] = []
    for index, (name, kind) in enumerate(zip(table.columns, table.types, strict=True)):
        present = [row[index] for row in table.rows if row[index] is not None]
        entry: dict[str, Any] = {
            "name": name,
            "type": kind,
            "count": len(present),
            "missing": table.row_count - len(present),
            "distinct": len(set(present)),
        }
        if kind == "numeric":
            entry.update(_numeric_stats([float(value) for value in present]))  # type: ignore[arg-type]
        columns.append(entry)
    distinct_rows = len({tuple(row) for row in table.rows})
    return {
        "row_count": table.row_count,
        "duplicate_rows": table.row_count - distinct_rows,
        "columns": columns,
    }
