"""Mutants of §5 anomaly: each breaks one promise; its case names the scenario that must go red.

Seams are patched where they are looked up at call time: a name imported with `from x import y` is
patched in the module that uses it. Answers whose route is bound at import are changed by wrapping the
built app (a middleware), never by a switch in product code.
"""

from __future__ import annotations

import importlib
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from tests.bites.case import Case
from tests.bites.mutants import AppFactory, Mutant, _replace
from tests.bites.wire import answers_rewritten

SLOW_TRAINING_S = 10.5
LARGE_TRAINING_ROWS = 10_000


def _default_threshold(algorithm: str, value: float) -> None:
    algorithms = importlib.import_module("services.anomaly.algorithms")
    defaults = {**algorithms.DEFAULT_THRESHOLDS, algorithm: value}
    _replace("services.anomaly.algorithms", "DEFAULT_THRESHOLDS", defaults)
    _replace("services.anomaly.detector_service", "DEFAULT_THRESHOLDS", defaults)


def zscore_default_threshold_4(factory: AppFactory) -> AppFactory:
    """A robust z-score detector without a threshold cuts at 4.0 instead of 3.5."""
    _default_threshold("robust_zscore", 4.0)
    return factory


def iqr_default_k_2(factory: AppFactory) -> AppFactory:
    """An IQR detector without a threshold cuts at k = 2 instead of 1.5."""
    _default_threshold("iqr", 2.0)
    return factory


def iqr_sum_over_features(factory: AppFactory) -> AppFactory:
    """An IQR score adds up the features' distances instead of taking the highest."""
    algorithms = importlib.import_module("services.anomaly.algorithms")
    original = algorithms.TrainedModel.scores

    def scores(self: Any, matrix: Any) -> Any:
        if self.algorithm != "iqr":
            return original(self, matrix)
        np = importlib.import_module("numpy")
        q1, q3 = self.state["q1"], self.state["q3"]
        outside = np.maximum(np.maximum(q1 - matrix, matrix - q3), 0.0)
        return (outside / np.where(q3 - q1 > 0, q3 - q1, 1.0)).sum(axis=1)

    algorithms.TrainedModel.scores = scores  # type: ignore[method-assign]
    return factory


def contamination_half_refused(factory: AppFactory) -> AppFactory:
    """Contamination must be below 0.5 (0 < c < 0.5): 0.5 itself is refused."""
    service = importlib.import_module("services.anomaly.detector_service")
    original = service._params

    def params(body: Any) -> dict[str, Any]:
        if body.contamination is not None and body.contamination >= 0.5:
            raise service.field_error("contamination", "out_of_range", "contamination must be below 0.5")
        return original(body)

    _replace("services.anomaly.detector_service", "_params", params)
    return factory


def _without(document: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != name}


def _strip_header(factory: AppFactory, method: str, path_end: str, header: str) -> AppFactory:
    def build() -> FastAPI:
        app = factory()

        @app.middleware("http")
        async def strip(request: Request, call_next: Any) -> Response:
            response: Response = await call_next(request)
            if request.method == method and request.url.path.endswith(path_end) and header in response.headers:
                del response.headers[header]
            return response

        return app

    return build


def training_without_location(factory: AppFactory) -> AppFactory:
    """A training request answers 202 {job_id, status} without a Location header."""
    return _strip_header(factory, "POST", "/training", "location")


def job_finished_at_null(factory: AppFactory) -> AppFactory:
    """A job is answered with `finished_at` null, also once it has finished."""
    return answers_rewritten(factory, "GET", r"/api/v1/jobs/[^/]+", lambda job: {**job, "finished_at": None})


def result_names_no_detector(factory: AppFactory) -> AppFactory:
    """A detection result leaves out `detector_id`."""
    return answers_rewritten(factory, "POST", r"/api/v1/detectors/[^/]+/detections",
                             lambda result: _without(result, "detector_id"))


def stream_answers_plain_json(factory: AppFactory) -> AppFactory:
    """The stream's lines are answered as application/json instead of application/x-ndjson."""
    stream = importlib.import_module("services.anomaly.stream")
    stream.NdjsonResponse.media_type = "application/json"
    return factory


def stream_drops_bad_lines(factory: AppFactory) -> AppFactory:
    """A bad line of a stream gets no result line (the good lines are still answered)."""
    stream = importlib.import_module("services.anomaly.stream")
    original = stream.score_lines

    def score_lines(*args: Any, **kwargs: Any) -> bytes:
        lines = original(*args, **kwargs).decode().splitlines()
        return "".join(line + "\n" for line in lines if '"error"' not in line).encode()

    _replace("services.anomaly.stream", "score_lines", score_lines)
    return factory


def feedback_ignored_by_isolation_forest(factory: AppFactory) -> AppFactory:
    """An isolation forest retrained with feedback does not follow the labels (the others do)."""
    algorithms = importlib.import_module("services.anomaly.algorithms")
    original = algorithms.TrainedModel.detect

    def detect(self: Any, matrix: Any) -> Any:
        if self.algorithm == "isolation_forest" and self.overrides:
            scores = self.scores(matrix)
            return scores, scores > self.threshold
        return original(self, matrix)

    algorithms.TrainedModel.detect = detect  # type: ignore[method-assign]
    return factory


def label_column_may_be_feature(factory: AppFactory) -> AppFactory:
    """An evaluation accepts one of the detector's features as its label column."""
    evaluation = importlib.import_module("services.anomaly.evaluation")

    def labels_of(table: Any, label_column: str, features: Any) -> Any:
        return evaluation.labels_of(table, label_column, ())

    _replace("services.anomaly.detector_service", "labels_of", labels_of)
    return factory


def evaluation_swaps_false_counts(factory: AppFactory) -> AppFactory:
    """An evaluation reports false positives as false negatives and the other way round."""
    evaluation = importlib.import_module("services.anomaly.evaluation")

    def metrics(predicted: Any, actual: Any) -> dict[str, Any]:
        counted = evaluation.metrics(predicted, actual)
        counted["false_positives"], counted["false_negatives"] = counted["false_negatives"], counted["false_positives"]
        return counted

    _replace("services.anomaly.detector_service", "metrics", metrics)
    return factory


def training_too_slow(factory: AppFactory) -> AppFactory:
    """Training 10,000 rows takes over 10 s (10.5 s more than it needs)."""
    training = importlib.import_module("services.anomaly.training")
    original = training.JobRunner._train

    def train(self: Any, session: Any, job: Any) -> Any:
        model, rows = original(self, session, job)
        if rows >= LARGE_TRAINING_ROWS:
            time.sleep(SLOW_TRAINING_S)
        return model, rows

    training.JobRunner._train = train  # type: ignore[method-assign]
    return factory


def structured_rows_padded(factory: AppFactory) -> AppFactory:
    """A structured row with a value too many is cut to the columns instead of refused."""
    ingest = importlib.import_module("services.anomaly.ingest")
    original = ingest._json_row

    def json_row(row: Any, index: int, columns: Any, errors: Any) -> Any:
        if isinstance(row, list):
            row = (row + [None] * len(columns))[:len(columns)]
        return original(row, index, columns, errors)

    _replace("services.anomaly.ingest", "_json_row", json_row)
    return factory


def structured_rows_may_be_empty(factory: AppFactory) -> AppFactory:
    """Structured rows without a single row make an empty dataset instead of 422 empty_dataset."""
    ingest = importlib.import_module("services.anomaly.ingest")
    original = ingest.parse_json_table

    def parse_json_table(columns: Any, rows: Any) -> Any:
        if rows == [] and isinstance(columns, list) and columns:
            return ingest.build_table([str(name).strip() for name in columns], [])
        return original(columns, rows)

    _replace("services.anomaly.uploads", "parse_json_table", parse_json_table)
    return factory


def dataset_without_tenant(factory: AppFactory) -> AppFactory:
    """A dataset is answered without its `tenant_id` (on upload, read and in lists)."""

    def dataset_or_page(answer: dict[str, Any]) -> dict[str, Any]:
        if isinstance(answer.get("items"), list):
            return {**answer, "items": [_without(dataset, "tenant_id") for dataset in answer["items"]]}
        return _without(answer, "tenant_id")

    uploaded = answers_rewritten(factory, "POST", r"/api/v1/datasets", dataset_or_page)
    return answers_rewritten(uploaded, "GET", r"/api/v1/datasets(/[^/]+)?", dataset_or_page)


MUTANTS: tuple[Mutant, ...] = (
    Mutant("zscore_default_threshold_4", ("anomaly",), "§5 robust_zscore: anomalous above threshold, default 3.5",
           zscore_default_threshold_4),
    Mutant("iqr_default_k_2", ("anomaly",), "§5 iqr: anomalous above threshold = k, default 1.5", iqr_default_k_2),
    Mutant("iqr_sum_over_features", ("anomaly",), "§5 iqr: score = max over features of the distance outside [Q1, Q3]",
           iqr_sum_over_features),
    Mutant("contamination_half_refused", ("anomaly",), "§5 isolation_forest: contamination 0 < c <= 0.5",
           contamination_half_refused),
    Mutant("training_without_location", ("anomaly",), "§5 training: 202 {job_id, status} + Location",
           training_without_location),
    Mutant("job_finished_at_null", ("anomaly",), "§5 job {..., error, created_at, finished_at}",
           job_finished_at_null),
    Mutant("result_names_no_detector", ("anomaly",), "§5 Detection result {detector_id, detector_version, ...}",
           result_names_no_detector),
    Mutant("stream_answers_plain_json", ("anomaly",), "§5 stream: 200 application/x-ndjson", stream_answers_plain_json),
    Mutant("stream_drops_bad_lines", ("anomaly",), "§5 stream: a bad line yields {index, error} and the stream goes on",
           stream_drops_bad_lines),
    Mutant("feedback_ignored_by_isolation_forest", ("anomaly",),
           "§5 feedback: every labelled row is classified as labelled by the new version",
           feedback_ignored_by_isolation_forest),
    Mutant("label_column_may_be_feature", ("anomaly",), "§5 evaluation: a label column that is not a feature",
           label_column_may_be_feature),
    Mutant("evaluation_swaps_false_counts", ("anomaly",),
           "§5 evaluation: false_positives and false_negatives against the label column",
           evaluation_swaps_false_counts),
    Mutant("training_too_slow", ("anomaly",), "§5 10,000 rows x 10 features train in under 10 s", training_too_slow),
    Mutant("structured_rows_padded", ("anomaly",), "§5 dataset: ragged row: 422 naming the row",
           structured_rows_padded),
    Mutant("structured_rows_may_be_empty", ("anomaly",), "§5 dataset: empty upload: 422 empty_dataset",
           structured_rows_may_be_empty),
    Mutant("dataset_without_tenant", ("anomaly",), "§5 Dataset {id, tenant_id, name, ...}", dataset_without_tenant),
)

CASES: tuple[Case, ...] = (
    Case("zscore_default_threshold_4", "anomaly", "@REQ-ANOM-DET-01",
         r"^33\.38 °C at 106 hPa", r"row 1 is normal, not anomalous"),
    Case("iqr_default_k_2", "anomaly", "@REQ-ANOM-DET-04",
         r"^a load of (35\.1|36|-6) \(Q1 10, Q3 20, IQR 10\) scores", r"the threshold is 2\.0, not 1\.5"),
    Case("iqr_sum_over_features", "anomaly", "@REQ-ANOM-DET-04",
         r"^load 30 and speed 6 \(speed Q1 2, Q3 4, IQR 2\) score the higher", r"row 1 scores 2\.0, not 1\.0"),
    Case("contamination_half_refused", "anomaly", "@REQ-ANOM-DET-07",
         r"^an isolation forest with contamination 0\.5 is accepted", r"the status is 422, not 201"),
    Case("training_without_location", "anomaly", "@REQ-ANOM-TRAIN-07",
         r"^a new detector is untrained at version 0 and trained at version 1", r"names no Location to follow"),
    Case("job_finished_at_null", "anomaly", "@REQ-ANOM-TRAIN-01",
         r"^a new detector is untrained at version 0 and trained at version 1", r"finished_at is None"),
    Case("result_names_no_detector", "anomaly", "@REQ-ANOM-DET-08",
         r"^the 6 planted faults among 300 readings are flagged",
         r"detector_id is None, not|\$\.detector_id is missing"),  # by the scenario's matcher or the schema check
    Case("stream_answers_plain_json", "anomaly", "@REQ-ANOM-STREAM-03",
         r"^six readings streamed get six verdicts in their order",
         r"the content type is application/json, not application/x-ndjson"),
    Case("stream_drops_bad_lines", "anomaly", "@REQ-ANOM-STREAM-02",
         r"^a line that is not a reading and a reading without its temperature get errors", r"3 result lines for 5"),
    Case("feedback_ignored_by_isolation_forest", "anomaly", "@REQ-ANOM-FEED-01",
         r"^an isolation forest detector with contamination 0\.2 is told that a hot reading is fine",
         r"row \d is (anomalous|normal), not (normal|anomalous)"),
    Case("label_column_may_be_feature", "anomaly", "@REQ-ANOM-EVAL-02",
         r"^evaluating against the faulty column, which the detector was trained on, is refused",
         r"the status is 200, not 422"),
    Case("evaluation_swaps_false_counts", "anomaly", "@REQ-ANOM-EVAL-01",
         r"^faults labelled (1|true) and (0|false)", r"false_positives is 2, not 1"),
    Case("training_too_slow", "anomaly", "@REQ-ANOM-TRAIN-06",
         r"^an isolation forest detector learns 10,000 readings of 10 sensors in under 10 seconds",
         r"it took \d+\.\d\d s"),
    Case("structured_rows_padded", "anomaly", "@REQ-ANOM-DATA-05",
         r"^the fifth of seven readings sent as structured rows carries a value too many",
         r"the status is 201, not 422"),
    Case("structured_rows_may_be_empty", "anomaly", "@REQ-ANOM-DATA-04",
         r"^structured readings without a single row is refused as an empty dataset", r"the status is 201, not 422"),
    Case("dataset_without_tenant", "anomaly", "@REQ-ANOM-DATA-07",
         r"^6 meter readings with a repeat and a gap make a dataset of 6 rows",
         r"tenant_id is None, not|\$\.tenant_id is missing"),
)
