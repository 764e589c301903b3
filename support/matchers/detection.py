"""How anomaly outcomes are judged (contract §5): datasets, profiles, detectors, jobs, detections, streams.

Records are judged by `RecordMatcher`s, which list their faults in plain words and quote the record.
Numbers are compared within a tolerance; rows are put in order by their `index`, which may count from
0 or from 1; a refusal "names" a row by its number in an error's field or message, or in the detail.
Only what the contract promises is checked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx
from hamcrest import any_of
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from support.drivers.records import Body
from support.matchers.answers import (
    AnswerMatcher,
    IsProblem,
    is_problem,
    json_lines,
    json_object,
    media_type,
    validation_errors,
)
from support.matchers.conventions import timestamp_fault

REL_TOLERANCE = 1e-6
ABS_TOLERANCE = 1e-9
COLUMN_TYPES = ("numeric", "categorical")
DETECTOR_STATUSES = ("untrained", "training", "trained", "failed")
NDJSON = "application/x-ndjson"
STATISTICS = ("mean", "std", "min", "max", "p25", "p50", "p75")
COUNTS = ("count", "missing", "distinct")


# -- numbers and rows ------------------------------------------------------------------------------
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def near(actual: Any, expected: float) -> bool:
    """`actual` is a JSON number within 1e-6 relative (1e-9 absolute near 0) of `expected`."""
    return is_number(actual) and math.isclose(float(actual), expected, rel_tol=REL_TOLERANCE,
                                              abs_tol=ABS_TOLERANCE)


def moment(text: str) -> datetime:
    """An RFC 3339 UTC timestamp as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def body_of(item: Any) -> Any:
    return item.body if isinstance(item, Body) else item


def ordered_results(detection: Any) -> list[dict[str, Any]] | None:
    """The results of a detection in row order (by `index`), or None when they are not a list of rows."""
    items = body_of(detection).get("results") if isinstance(body_of(detection), dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) and is_number(item.get("index"))
                                              for item in items):
        return None
    return sorted(items, key=lambda item: item["index"])


def index_fault(results: Sequence[dict[str, Any]]) -> str | None:
    """What is wrong with the indexes of results in row order: one per row, counted from 0 or 1."""
    indexes = [item.get("index") for item in results]
    first = indexes[0] if indexes else 0
    if first not in (0, 1) or indexes != list(range(first, first + len(indexes))):
        return f"the results' indexes {indexes[:20]} are not one per row, counted from 0 or 1"
    return None


def verdict_of(result: dict[str, Any]) -> str | None:
    flag = result.get("is_anomaly")
    return ("anomalous" if flag else "normal") if isinstance(flag, bool) else None


def flagged_positions(results: Sequence[dict[str, Any]]) -> set[int]:
    return {position for position, item in enumerate(results) if item.get("is_anomaly") is True}


# -- the base --------------------------------------------------------------------------------------
class RecordMatcher(BaseMatcher[Any]):
    """Base of the matchers of records (or JSON objects): subclasses list the faults; a mismatch quotes it."""

    def faults(self, item: Any) -> list[str]:
        raise NotImplementedError

    def _matches(self, item: Any) -> bool:
        return not self.faults(item)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        text = str(body_of(item))
        quoted = text if len(text) <= 600 else text[:600] + "..."
        mismatch_description.append_text("; ".join(self.faults(item)) + f". It was {quoted}")


def _field_faults(body: dict[str, Any], expected: Mapping[str, Any]) -> list[str]:
    return [f"{key} is {body.get(key)!r}, not {value!r}" for key, value in expected.items()
            if value is not None and body.get(key) != value]


# -- datasets and profiles ---------------------------------------------------------------------------
class IsDataset(RecordMatcher):
    """A dataset of the contract's shape: id, tenant_id, name, row_count, typed columns, created_at."""

    def __init__(self, expected: Mapping[str, Any]) -> None:
        self.expected = dict(expected)

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        if not isinstance(body, dict):
            return ["it is not a dataset"]
        faults = [] if isinstance(body.get("id"), str) and body["id"] else ["it has no id"]
        faults += _field_faults(body, self.expected)
        columns = body.get("columns")
        if not isinstance(columns, list) or not all(
                isinstance(column, dict) and isinstance(column.get("name"), str)
                and column.get("type") in COLUMN_TYPES for column in columns):
            faults.append(f"its columns {columns!r} are not a list of {{name, type: numeric|categorical}}")
        fault = timestamp_fault("created_at", body.get("created_at"))
        return [*faults, *([fault] if fault else [])]

    def describe_to(self, description: Description) -> None:
        wanted = ", ".join(f"{key} {value!r}" for key, value in self.expected.items() if value is not None)
        description.append_text(f"a dataset of the contract's shape ({wanted})")


def is_dataset(*, rows: int | None = None, name: str | None = None, tenant_id: str | None = None,
               columns: list[Any] | None = None) -> IsDataset:
    return IsDataset({"row_count": rows, "name": name, "tenant_id": tenant_id, "columns": columns})


class HasColumn(RecordMatcher):
    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind

    def faults(self, item: Any) -> list[str]:
        columns = body_of(item).get("columns") or []
        found = [column for column in columns if isinstance(column, dict) and column.get("name") == self.name]
        if len(found) != 1:
            return [f"the column {self.name} is listed {len(found)} times"]
        return [] if found[0].get("type") == self.kind else [f"the column {self.name} is {found[0].get('type')!r}"]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a dataset whose {self.name} column is {self.kind}")


def has_column(name: str, kind: str) -> HasColumn:
    return HasColumn(name, kind)


def _profile_column(profile: Any, name: str) -> dict[str, Any] | None:
    columns = body_of(profile).get("columns") or []
    found = [column for column in columns if isinstance(column, dict) and column.get("name") == name]
    return found[0] if len(found) == 1 else None


class ProfilesColumns(RecordMatcher):
    """A profile whose named columns have these type, counts (exact) and statistics (within a tolerance)."""

    def __init__(self, columns: Mapping[str, Mapping[str, str]]) -> None:
        self.columns = columns

    def faults(self, item: Any) -> list[str]:
        faults = []
        for name, wanted in self.columns.items():
            column = _profile_column(item, name)
            if column is None:
                faults.append(f"the profile does not describe the column {name} exactly once")
                continue
            for key, text in wanted.items():
                value = column.get(key)
                ok = (value == text if key == "type" else value == int(text) if key in COUNTS
                      else near(value, float(text)))
                if not ok:
                    faults.append(f"the {key} of {name} is {value!r}, not {text}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a profile describing {dict(self.columns)}")


def profiles_columns(rows: Iterable[Mapping[str, str]]) -> ProfilesColumns:
    """Rows of a table with a `column` cell and any of type, count, missing, distinct, mean, std, ..."""
    return ProfilesColumns({row["column"]: {key: value for key, value in row.items() if key != "column"}
                            for row in rows})


def gives_statistics(name: str, statistics: Mapping[str, str]) -> ProfilesColumns:
    return ProfilesColumns({name: {key: statistics[key] for key in STATISTICS}})


class SameProfileAs(RecordMatcher):
    def __init__(self, other: Any) -> None:
        self.other = body_of(other)

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        return [f"its {key} is {body.get(key)!r}, the other's {self.other.get(key)!r}"
                for key in ("row_count", "duplicate_rows", "columns") if body.get(key) != self.other.get(key)]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"the same profile as {self.other}")


def same_profile_as(other: Any) -> SameProfileAs:
    return SameProfileAs(other)


# -- detectors and jobs ------------------------------------------------------------------------------
class IsDetector(RecordMatcher):
    def __init__(self, expected: Mapping[str, Any], *, trained: bool) -> None:
        self.expected, self.trained = dict(expected), trained

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        faults = _field_faults(body, self.expected)
        if body.get("status") not in DETECTOR_STATUSES:
            faults.append(f"its status {body.get('status')!r} is not one of {', '.join(DETECTOR_STATUSES)}")
        if self.trained:
            fault = timestamp_fault("trained_at", body.get("trained_at"))
            faults += [fault] if fault else []
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a detector with {self.expected}")


def is_detector(*, trained: bool = False, **expected: Any) -> IsDetector:
    return IsDetector(expected, trained=trained)


class IsFinishedJob(RecordMatcher):
    """A training job of the contract's shape that ended as `status`: its detector, error, created_at, finished_at."""

    def __init__(self, job_id: str, detector_id: str, status: str) -> None:
        self.expected = {"id": job_id, "kind": "training", "status": status, "detector_id": detector_id}

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        faults = _field_faults(body, self.expected)
        if "error" not in body:
            faults.append("it has no error field")
        elif self.expected["status"] == "succeeded" and body["error"] is not None:
            faults.append(f"it succeeded with the error {body['error']!r}")
        faults += [fault for name in ("created_at", "finished_at")
                   if (fault := timestamp_fault(name, body.get(name)))]
        if not faults and moment(body["finished_at"]) < moment(body["created_at"]):
            faults.append("it finished before it was created")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a finished job {self.expected} with error, created_at and finished_at")


def is_finished_job(job_id: str, detector_id: str, *, status: str = "succeeded") -> IsFinishedJob:
    return IsFinishedJob(job_id, detector_id, status)


class CreatedDetector(AnswerMatcher):
    """A 201 answer holding a new detector: an id, untrained, at version 0."""

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == 201 else [f"the status is {answer.status_code}, not 201"]
        body = json_object(answer)
        faults += [] if isinstance(body.get("id"), str) and body["id"] else ["the detector has no id"]
        return faults + IsDetector({"status": "untrained", "version": 0}, trained=False).faults(body)

    def describe_to(self, description: Description) -> None:
        description.append_text("a new detector (201), untrained at version 0")


def created_detector() -> CreatedDetector:
    return CreatedDetector()


class TookUnder(BaseMatcher[float]):
    """A duration in seconds under `limit` (the promise) plus `allowance` (the suite's own round trips)."""

    def __init__(self, limit: float, allowance: float) -> None:
        self.limit, self.allowance = limit, allowance

    def _matches(self, item: Any) -> bool:
        return is_number(item) and item < self.limit + self.allowance

    def describe_to(self, description: Description) -> None:
        description.append_text(f"under {self.limit:g} s (measured from the suite: {self.limit + self.allowance:g} s "
                                f"with {self.allowance:g} s for its requests and polling)")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"it took {item:.2f} s")


def took_under(limit: float, *, allowance: float) -> TookUnder:
    return TookUnder(limit, allowance)


# -- detections ----------------------------------------------------------------------------------------
class IsDetection(RecordMatcher):
    """A detection result of the contract's shape: detector_id, detector_version, threshold, anomaly_count
    (agreeing with the results) and one {index, score, is_anomaly} per row."""

    def __init__(self, detector_id: str, expected: Mapping[str, Any], *, rows: int | None,
                 threshold: float | None) -> None:
        self.detector_id, self.expected, self.rows, self.threshold = detector_id, dict(expected), rows, threshold

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        if not isinstance(body, dict):
            return ["it is not a detection result"]
        faults = _field_faults(body, {"detector_id": self.detector_id, **self.expected})
        if not isinstance(body.get("detector_version"), int) or isinstance(body.get("detector_version"), bool):
            faults.append(f"detector_version {body.get('detector_version')!r} is not a whole number")
        threshold = body.get("threshold")
        if not is_number(threshold) or (self.threshold is not None and not near(threshold, self.threshold)):
            faults.append(f"the threshold is {threshold!r}, not {self.threshold or 'a number'}")
        results = ordered_results(body)
        if results is None:
            return [*faults, "its results are not a list of {index, score, is_anomaly}"]
        if self.rows is not None and len(results) != self.rows:
            faults.append(f"it holds {len(results)} results for {self.rows} rows")
        fault = index_fault(results)
        faults += [fault] if fault else []
        # a score beyond every JSON number (a value off the median of a feature with MAD 0) may come as null
        broken = [item for item in results
                  if not (is_number(item.get("score")) or ("score" in item and item["score"] is None))
                  or verdict_of(item) is None]
        if broken:
            faults.append(f"{len(broken)} results lack a numeric score or a true/false is_anomaly: {broken[:3]}")
        if body.get("anomaly_count") != len(flagged_positions(results)):
            faults.append(f"anomaly_count is {body.get('anomaly_count')!r} but "
                          f"{len(flagged_positions(results))} results are anomalous")
        return faults

    def describe_to(self, description: Description) -> None:
        rows = f"{self.rows} rows" if self.rows is not None else "its rows"
        description.append_text(f"the result of detector {self.detector_id} for {rows}")


def is_detection_by(detector_id: str, *, rows: int | None = None, version: int | None = None,
                    threshold: float | None = None) -> IsDetection:
    """The result of detector `detector_id`, of the contract's shape (and of `version`, `threshold`, `rows`)."""
    return IsDetection(detector_id, {"detector_version": version}, rows=rows, threshold=threshold)


class Judges(RecordMatcher):
    """A detection whose rows, in order, are judged `verdicts` (and score `scores`, against `threshold`, if given)."""

    def __init__(self, verdicts: Sequence[str], scores: Sequence[float] | None = None,
                 threshold: float | None = None) -> None:
        self.verdicts, self.scores, self.threshold = list(verdicts), scores, threshold

    def faults(self, item: Any) -> list[str]:
        results = ordered_results(item)
        if results is None or len(results) != len(self.verdicts):
            return [f"it does not hold one result for each of the {len(self.verdicts)} rows"]
        faults = [f"row {position + 1} is {verdict_of(result)}, not {wanted}"
                  for position, (result, wanted) in enumerate(zip(results, self.verdicts, strict=True))
                  if verdict_of(result) != wanted]
        for position, (result, score) in enumerate(zip(results, self.scores or (), strict=False)):
            if not near(result.get("score"), score):
                faults.append(f"row {position + 1} scores {result.get('score')!r}, not {score}")
        threshold = body_of(item).get("threshold")
        if self.threshold is not None and not near(threshold, self.threshold):
            faults.append(f"the threshold is {threshold!r}, not {self.threshold}")
        return faults

    def describe_to(self, description: Description) -> None:
        scores = f" scoring {list(self.scores)}" if self.scores else ""
        threshold = f" against the threshold {self.threshold}" if self.threshold is not None else ""
        description.append_text(f"rows judged {self.verdicts}{scores}{threshold}")


def judges(verdicts: Sequence[str]) -> Judges:
    return Judges(verdicts)


def scores(score: float, verdict: str, *, threshold: float | None = None) -> Judges:
    """A detection of one row that scores `score` and is `verdict` (against `threshold`, the result's own)."""
    return Judges([verdict], [score], threshold)


class Flags(RecordMatcher):
    """A detection of `rows` rows whose anomalous rows (0-based positions in index order) satisfy a rule."""

    def __init__(self, rows: int, *, exactly: set[int] | None = None, including: set[int] | None = None,
                 about: int | None = None) -> None:
        self.rows, self.exactly, self.including, self.about = rows, exactly, including, about

    def flagged(self, item: Any) -> set[int] | None:
        results = ordered_results(item)
        return None if results is None or len(results) != self.rows else flagged_positions(results)

    def faults(self, item: Any) -> list[str]:
        flagged = self.flagged(item)
        if flagged is None:
            results = ordered_results(item)
            return [f"the result holds {len(results) if results is not None else 'no'} rows instead of {self.rows}"]
        faults = []
        if self.exactly is not None and flagged != self.exactly:
            faults.append(f"rows {sorted(self.exactly - flagged)} were not flagged and rows "
                          f"{sorted(flagged - self.exactly)} were")
        if self.including is not None and not self.including <= flagged:
            faults.append(f"rows {sorted(self.including - flagged)} were not flagged")
        if self.about is not None and abs(len(flagged) - self.about) > 1:
            faults.append(f"{len(flagged)} rows were flagged")
        return faults

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("; ".join(self.faults(item)))

    def describe_to(self, description: Description) -> None:
        if self.exactly is not None:
            description.append_text(f"exactly rows {sorted(self.exactly)} of {self.rows} flagged as anomalies")
        if self.including is not None:
            description.append_text(f"rows {sorted(self.including)} of {self.rows} among the flagged")
        if self.about is not None:
            description.append_text(f"{self.about} +- 1 of {self.rows} rows flagged")


def flags_exactly(expected: set[int], *, rows: int) -> Flags:
    """The detection result flags exactly the rows at `expected` positions, out of `rows` rows."""
    return Flags(rows, exactly=expected)


def flags_including(expected: set[int], *, rows: int) -> Flags:
    return Flags(rows, including=expected)


def flags_about(count: int, *, rows: int) -> Flags:
    """round(c * n) +- 1 of the rows flagged (ties at the boundary)."""
    return Flags(rows, about=count)


class SameResultsAs(RecordMatcher):
    """Two detections agree on version, threshold, count and every row's score and verdict."""

    def __init__(self, first: Any) -> None:
        self.first = body_of(first)

    def faults(self, item: Any) -> list[str]:
        second = body_of(item)
        differing = [key for key in ("detector_version", "threshold", "anomaly_count")
                     if self.first.get(key) != second.get(key)]
        one, two = ordered_results(self.first) or [], ordered_results(second) or []
        rows = [a.get("index") for a, b in zip(one, two, strict=False)
                if (a.get("score"), a.get("is_anomaly")) != (b.get("score"), b.get("is_anomaly"))]
        faults = [f"the fields {differing} differ"] if differing else []
        faults += [f"{len(one)} vs {len(two)} results"] if len(one) != len(two) or not one else []
        return faults + ([f"rows {rows[:10]} differ"] if rows else [])

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("; ".join(self.faults(item)))

    def describe_to(self, description: Description) -> None:
        description.append_text("the same results as the first check, score for score")


def same_results_as(first: Any) -> SameResultsAs:
    return SameResultsAs(first)


# -- streams ----------------------------------------------------------------------------------------------
class StreamsInOrder(AnswerMatcher):
    """An NDJSON answer with one result line per input line, in order: a verdict, or `{index, error}`."""

    def __init__(self, expected: Sequence[str]) -> None:
        self.expected = list(expected)

    def faults(self, answer: httpx.Response) -> list[str]:
        faults = [] if answer.status_code == 200 else [f"the status is {answer.status_code}"]
        if media_type(answer) != NDJSON:
            faults.append(f"the content type is {media_type(answer) or 'missing'}, not {NDJSON}")
        results = json_lines(answer)
        if not all(isinstance(result, dict) for result in results):
            return [*faults, "a line of the answer is not a JSON object"]
        if len(results) != len(self.expected):
            return [*faults, f"{len(results)} result lines for {len(self.expected)} lines"]
        fault = index_fault(results)
        faults += [f"out of order: {fault}"] if fault else []
        for position, (result, wanted) in enumerate(zip(results, self.expected, strict=True)):
            if wanted == "an error":
                if not isinstance(result.get("error"), str) or not result["error"]:
                    faults.append(f"line {position + 1} got no error: {result}")
            elif verdict_of(result) != wanted or not is_number(result.get("score")):
                faults.append(f"line {position + 1} is not {wanted} with a score: {result}")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"an {NDJSON} answer with one line per input line, in order: {self.expected}")


def streams_in_order(expected: Sequence[str]) -> StreamsInOrder:
    return StreamsInOrder(expected)


# -- evaluations -----------------------------------------------------------------------------------------
class Evaluates(RecordMatcher):
    def __init__(self, counts: Mapping[str, int], ratios: Mapping[str, float]) -> None:
        self.counts, self.ratios = dict(counts), dict(ratios)

    def faults(self, item: Any) -> list[str]:
        body = body_of(item)
        faults = _field_faults(body, self.counts)
        return faults + [f"{key} is {body.get(key)!r}, not {value}" for key, value in self.ratios.items()
                         if not near(body.get(key), value)]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"an evaluation with {self.counts | self.ratios}")


def counts_outcomes(tp: int, fp: int, tn: int, fn: int) -> Evaluates:
    return Evaluates({"true_positives": tp, "false_positives": fp, "true_negatives": tn, "false_negatives": fn}, {})


def gives_ratios(precision: float, recall: float, f1: float) -> Evaluates:
    return Evaluates({}, {"precision": precision, "recall": recall, "f1": f1})


# -- refusals ----------------------------------------------------------------------------------------------
def refused_as_too_large() -> Matcher[httpx.Response]:
    """A request over a size rule refused as invalid (422) or as too large (413)."""
    return any_of(is_problem("validation-failed"), is_problem("payload-too-large"))


def _mentions(text: str, number: int) -> bool:
    return re.search(rf"(?<![\d.]){number}(?![\d.])", text) is not None


class NamesARow(IsProblem):
    """A 422 `validation-failed` problem that names a row by one of `acceptable` numbers (field, message, detail)."""

    def __init__(self, acceptable: Iterable[int], what: str) -> None:
        super().__init__("validation-failed")
        self.acceptable, self.what = sorted(set(acceptable)), what

    def faults(self, answer: httpx.Response) -> list[str]:
        texts = [str(json_object(answer).get("detail", ""))]
        for error in validation_errors(answer):
            texts += [str(error.get("field", "")), str(error.get("message", ""))]
        named = any(_mentions(text, number) for text in texts for number in self.acceptable)
        return [*super().faults(answer), *([] if named else [
            f"it does not name {self.what} (as any of {self.acceptable}) in its errors or detail"])]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a 'validation-failed' problem naming {self.what}")


def names_data_row(number: int) -> NamesARow:
    """Names the `number`-th data row of an upload: counted from 0 or from 1, or as the file's line (header 1)."""
    return NamesARow({number - 1, number, number + 1}, f"data row {number}")


def names_reading(index: int) -> NamesARow:
    """Names the reading at `index`, in the numbering the platform's own results use."""
    return NamesARow({index}, f"the reading of index {index}")
