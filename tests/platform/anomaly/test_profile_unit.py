"""Profile statistics (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from services.anomaly.ingest import parse_csv
from services.anomaly.profile import profile


def test_profile_counts_and_statistics() -> None:
    table = parse_csv(b"x,c\n1,a\n2,b\n2,b\n,a\n10,\n1,a\n")
    result = profile(table)
    assert result["row_count"] == 6
    assert result["duplicate_rows"] == 2  # (2,b) and (1,a) repeat once each
    x, c = result["columns"]
    values = np.array([1, 2, 2, 10, 1], dtype=float)
    assert (x["count"], x["missing"], x["distinct"]) == (5, 1, 3)
    assert x["mean"] == pytest.approx(values.mean())
    assert x["std"] == pytest.approx(values.std(ddof=1))
    assert (x["min"], x["max"]) == (1.0, 10.0)
    assert [x["p25"], x["p50"], x["p75"]] == pytest.approx(list(np.percentile(values, [25, 50, 75])))
    assert c == {"name": "c", "type": "categorical", "count": 5, "missing": 1, "distinct": 2}


def test_single_value_has_no_sample_std() -> None:
    result = profile(parse_csv(b"x\n5\n"))
    assert result["columns"][0]["std"] is None
    assert result["columns"][0]["p75"] == 5.0
