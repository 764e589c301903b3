"""Checks of anomaly outcomes: numbers within a tolerance, detection results, rows named in refusals.

Only what contract §5 promises is checked; row numbers are found in an error's field, message or
the detail, in whichever numbering the caller says is acceptable.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import httpx
from hamcrest import any_of
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from support.drivers.records import Body
from support.http.client import describe
from support.matchers.answers import is_problem, json_object, validation_errors

REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9


def refused_as_too_large() -> Matcher[httpx.Response]:
    """A request over a size rule refused as invalid (422) or as too large (413)."""
    return any_of(is_problem("validation-failed"), is_problem("payload-too-large"))


def _mentions(text: str, number: int) -> bool:
    return re.search(rf"(?<![\d.]){number}(?![\d.])", text) is not None


def names_a_row(response: httpx.Response, acceptable: Iterable[int], *, what: str) -> None:
    """The refusal names the broken row by one of the `acceptable` numbers (field, message or detail)."""
    numbers = sorted(set(acceptable))
    texts = [str(json_object(response).get("detail", ""))]
    for error in validation_errors(response):
        texts += [str(error.get("field", "")), str(error.get("message", ""))]
    named = any(_mentions(text, number) for text in texts for number in numbers)
    assert named, (f"The refusal does not name {what} (as any of {numbers}) in its errors or detail. "
                   f"The platform answered {describe(response)}")


def close_to(actual: Any, expected: float, *, what: str, evidence: str) -> None:
    """`actual` is a JSON number within 1e-6 relative (1e-9 absolute near 0) of `expected`."""
    ok = isinstance(actual, int | float) and not isinstance(actual, bool) and math.isclose(
        float(actual), expected, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
    assert ok, f"{what} is {actual!r}, expected {expected} (within {REL_TOLERANCE:g} relative). {evidence}"


def results_of(detection: Any, *, rows: int, evidence: str) -> list[dict[str, Any]]:
    """The results of a detection, one per row and put in row order by `index`."""
    items = detection.get("results") if isinstance(detection, dict | Body) else None
    assert isinstance(items, list) and len(items) == rows, (
        f"The detection holds {len(items) if isinstance(items, list) else 'no'} results for {rows} rows. {evidence}")
    ordered = sorted(items, key=lambda item: item["index"])
    first = ordered[0]["index"] if ordered else 0
    assert [item["index"] for item in ordered] == list(range(first, first + rows)) and first in (0, 1), (
        f"The results' indexes are not one per row, counted from 0 or 1: {[item['index'] for item in items]}. "
        f"{evidence}")
    return ordered


def index_base(detection: Any, *, evidence: str) -> int:
    """The number a detection gives its first row (0 or 1)."""
    return int(results_of(detection, rows=len(detection.get("results", [])), evidence=evidence)[0]["index"])


def verdict(result: dict[str, Any], *, evidence: str) -> str:
    flag = result.get("is_anomaly")
    assert isinstance(flag, bool), f"The result {result} has no true/false is_anomaly. {evidence}"
    return "anomalous" if flag else "normal"


def anomaly_count_agrees(detection: dict[str, Any], *, evidence: str) -> None:
    flagged = sum(1 for item in detection.get("results", []) if item.get("is_anomaly") is True)
    assert detection.get("anomaly_count") == flagged, (
        f"anomaly_count is {detection.get('anomaly_count')} but {flagged} results are anomalous. {evidence}")


def same_results(first: dict[str, Any], second: dict[str, Any], *, evidence: str) -> None:
    """Two detections agree on version, threshold, count and every row's score and verdict."""
    keys = ("detector_version", "threshold", "anomaly_count")
    differing = [key for key in keys if first.get(key) != second.get(key)]
    one = sorted(first.get("results", []), key=lambda item: item["index"])
    two = sorted(second.get("results", []), key=lambda item: item["index"])
    rows = [a["index"] for a, b in zip(one, two, strict=False)
            if (a.get("score"), a.get("is_anomaly")) != (b.get("score"), b.get("is_anomaly"))]
    assert not differing and len(one) == len(two) and not rows, (
        f"The two checks differ: fields {differing}, {len(one)} vs {len(two)} results, rows {rows[:10]}. {evidence}")


def flagged_positions(results: Sequence[dict[str, Any]]) -> set[int]:
    return {position for position, item in enumerate(results) if item.get("is_anomaly") is True}




class FlagsExactly(BaseMatcher[dict[str, Any]]):
    """A detection result whose anomalous rows are exactly `expected` (0-based row positions).

    Results are put in row order by their `index`, so the check holds whether an implementation
    numbers rows from 0 or from 1.
    """

    def __init__(self, expected: set[int], *, rows: int) -> None:
        self.expected = expected
        self.rows = rows

    def _flagged(self, result: Any) -> set[int] | None:
        items = result.get("results") if isinstance(result, dict | Body) else None
        if not isinstance(items, list) or len(items) != self.rows:
            return None
        ordered = sorted(items, key=lambda item: item["index"])
        return {position for position, item in enumerate(ordered) if item.get("is_anomaly") is True}

    def _matches(self, item: Any) -> bool:
        return self._flagged(item) == self.expected

    def describe_to(self, description: Description) -> None:
        description.append_text(f"exactly rows {sorted(self.expected)} of {self.rows} flagged as anomalies")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        flagged = self._flagged(item)
        if flagged is None:
            count = len(item.get("results", [])) if isinstance(item, dict | Body) else 0
            mismatch_description.append_text(f"the result holds {count} rows instead of {self.rows}")
            return
        missed, extra = sorted(self.expected - flagged), sorted(flagged - self.expected)
        mismatch_description.append_text(f"rows {missed} were not flagged and rows {extra} were")


def flags_exactly(expected: set[int], *, rows: int) -> FlagsExactly:
    """The detection result flags exactly the rows at `expected` positions, out of `rows` rows."""
    return FlagsExactly(expected, rows=rows)
