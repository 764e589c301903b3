"""An analyst's work with the anomaly service, in the steps' words: upload, profile, train, check, stream, teach.

Each task does one intent through the actor's anomaly driver and leaves what it made in the actor's
typed notes (`DATASET`, `DETECTOR`, `DETECTION`, ...), so that later steps can say "the detector". A call
that may be refused is made with `actor.tries_to`; the step then judges `actor.last_answer`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from hamcrest import assert_that
from hamcrest.core.matcher import Matcher

from support.data.builders import Dataset as LocalDataset
from support.data.builders import ghost_id_like, load_dataset
from support.data.tables import (
    Upload,
    csv_bytes,
    generated_readings_csv,
    one_column_csv,
    ragged_readings,
    sensor_readings_csv,
    structured_rows,
    table_of,
)
from support.drivers.base import JSON, UnexpectedAnswer
from support.drivers.records import Dataset, Detection, Detector, Job, Metrics, Profile, TrainingStarted
from support.matchers.detection import index_fault, is_dataset, is_detection_by, is_finished_job, ordered_results
from support.screenplay.actor import Actor
from support.screenplay.notes import Note

# The words of the features -> the contract's values.
DETECTOR_KINDS = {"a robust z-score": "robust_zscore", "an isolation forest": "isolation_forest", "an IQR": "iqr"}
# "checks" or "tries to check": False, or True when the attempt may be refused (judged as the last answer)
CHECKING = {"checks": False, "tries to check": True}
CREATING = {"has created": False, "tries to create": True}
EVALUATING = {"evaluates": False, "tries to evaluate": True}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
VERDICTS = {"normal": "normal", "anomalous": "anomalous"}
SETTINGS = {"threshold": "threshold", "contamination": "contamination"}
UPLOADS = {
    "an empty file as a dataset": Upload("nothing", csv=b""),
    "a file with only its header line as a dataset": Upload("only a header", csv=b"meter,temperature\n"),
    "structured readings without a single row as a dataset": Upload("no rows", columns=["meter", "temperature"]),
    "seven readings as structured rows, the fifth with a value too many": Upload(
        "uneven rows", None, *ragged_readings(7, longer=5)),
}


@dataclass(frozen=True)
class DetectorSpec:
    """A detector as a scenario names it: "an isolation forest detector with contamination 0.25"."""

    kind: str
    settings: dict[str, float]
TYPICAL_READING = {"temperature": 22, "pressure": 104}
FROM_FILE, FROM_ROWS = "meter readings (file)", "meter readings (rows)"
# A timed promise is measured on the suite's side: the training request, polling for the finished job
# (every 0.05 s) and the last answer add up to this much over the platform's own time at most.
ROUND_TRIP_ALLOWANCE_S = 0.5

# -- what the scenario remembers ------------------------------------------------------------------
LOCAL: Note[LocalDataset] = Note("dataset file")  # mentioned: the CSV file a scenario uploaded
DATASET: Note[Dataset] = Note("dataset")
SENT_NAME: Note[str] = Note("name the dataset was given")
BOTH: Note[tuple[Dataset, Dataset]] = Note("dataset from a file and its twin from structured rows")
PROFILE: Note[Profile] = Note("profile")
DETECTOR: Note[Detector] = Note("detector")
STARTED: Note[TrainingStarted] = Note("training request")
JOB: Note[Job] = Note("training job")
TRAINING_TIME: Note[float] = Note("training time")
DETECTION: Note[Detection] = Note("detection result")
DETECTIONS: Note[list[Detection]] = Note("detection results")
CHECKED: Note[list[JSON]] = Note("readings checked")
STREAMED: Note[httpx.Response] = Note("stream's answer")
LABELLED: Note[list[tuple[JSON, str]]] = Note("feedback")
VERSION_BEFORE: Note[int] = Note("version before retraining")
EVALUATION: Note[Metrics] = Note("evaluation")


def expect(analyst: Actor, actual: Any, matcher: Matcher[Any]) -> None:
    """Judge a record, or the one noted under `actual`; the failure quotes the analyst's last exchange
    with the anomaly service (with its request id), which is the one that answered it."""
    assert_that(analyst.recall(actual) if isinstance(actual, Note) else actual, matcher, analyst.anomaly.evidence())


# -- datasets -------------------------------------------------------------------------------------
def _uploaded(analyst: Actor, name: str, dataset: Dataset) -> Dataset:
    """Every upload answers a dataset of the contract's shape, named as sent and of the uploader's tenant."""
    assert_that(dataset, is_dataset(name=name, tenant_id=analyst.tenant.id), analyst.anomaly.evidence())
    analyst.remember(SENT_NAME, name)
    return analyst.remember(DATASET, dataset)


def upload_file(analyst: Actor, name: str, *, rows: int) -> LocalDataset:
    """Upload data/datasets/<name>.csv, which must become a dataset of `rows` rows; the local copy."""
    local = load_dataset(name)
    dataset = _uploaded(analyst, name, analyst.anomaly.upload_csv(name, local.path))
    assert_that(dataset, is_dataset(rows=rows), analyst.anomaly.evidence())
    return local


def upload_table(analyst: Actor, name: str, table: Any) -> Dataset:
    columns, rows = table_of(table)
    return _uploaded(analyst, name, analyst.anomaly.upload_csv(name, csv_bytes(columns, rows)))


def upload_column(analyst: Actor, column: str, values: list[str]) -> Dataset:
    name = f"{column} readings"
    return _uploaded(analyst, name, analyst.anomaly.upload_csv(name, one_column_csv(column, values)))


def upload_generated(analyst: Actor, count: int) -> Dataset:
    return _uploaded(analyst, "many readings", analyst.anomaly.upload_csv("many readings",
                                                                          generated_readings_csv(count)))


def upload_sensor_readings(analyst: Actor, rows: int, sensors: int) -> Dataset:
    name = f"{rows} readings of {sensors} sensors"
    return _uploaded(analyst, name, analyst.anomaly.upload_csv(name, sensor_readings_csv(rows, sensors)))


def upload_both_ways(analyst: Actor, table: Any) -> tuple[Dataset, Dataset]:
    """The table once as a CSV file and once as structured rows."""
    columns, rows = table_of(table)
    from_file = _uploaded(analyst, FROM_FILE, analyst.anomaly.upload_csv(FROM_FILE, csv_bytes(columns, rows)))
    from_rows = _uploaded(analyst, FROM_ROWS, analyst.anomaly.create_dataset(FROM_ROWS, columns=columns,
                                                                             rows=structured_rows(rows)))
    return analyst.remember(BOTH, (from_file, from_rows))


def try_upload(analyst: Actor, upload: Upload) -> httpx.Response:
    if upload.csv is not None:
        return analyst.tries_to(analyst.anomaly.upload_csv, upload.name, upload.csv)
    return analyst.tries_to(analyst.anomaly.create_dataset, upload.name, columns=upload.columns, rows=upload.rows)


def delete_dataset(analyst: Actor) -> None:
    analyst.anomaly.delete_dataset(analyst.recall(DATASET).id)


def dataset_now(analyst: Actor) -> Dataset:
    return analyst.anomaly.get_dataset(analyst.recall(DATASET).id)


def dataset_as_uploaded_and_now(analyst: Actor) -> list[Dataset]:
    """The dataset as its upload answered it, and as it reads now."""
    uploaded = analyst.recall(DATASET)
    return [uploaded, analyst.anomaly.get_dataset(uploaded.id)]


def both_datasets_now(analyst: Actor) -> tuple[Dataset, Dataset]:
    from_file, from_rows = analyst.recall(BOTH)
    return analyst.anomaly.get_dataset(from_file.id), analyst.anomaly.get_dataset(from_rows.id)


def both_profiles(analyst: Actor) -> tuple[Profile, Profile]:
    from_file, from_rows = analyst.recall(BOTH)
    return analyst.anomaly.profile(from_file.id), analyst.anomaly.profile(from_rows.id)


def read_deleted_and_never_existed(analyst: Actor) -> tuple[httpx.Response, httpx.Response]:
    """The answers to reading the deleted dataset and a dataset that never existed."""
    dataset_id = analyst.recall(DATASET).id
    ghost = analyst.tries_to(analyst.anomaly.get_dataset, ghost_id_like(dataset_id))
    return analyst.tries_to(analyst.anomaly.get_dataset, dataset_id), ghost


def listed_dataset_ids(analyst: Actor) -> list[str]:
    return analyst.anomaly.list_datasets(page_size=100).ids()


def look_at_profile(analyst: Actor) -> Profile:
    return analyst.remember(PROFILE, analyst.anomaly.profile(analyst.recall(DATASET).id))


def labelled(local: LocalDataset, count: int) -> set[int]:
    """The positions of the rows the file labels 1; there must be `count` of them."""
    rows = local.indices_where("label", "1")
    assert len(rows) == count, f"{local.path.name} labels {len(rows)} readings, not {count}"
    return rows


# -- detectors and training -------------------------------------------------------------------------
def create_detector(analyst: Actor, spec: DetectorSpec, features: list[str]) -> Detector:
    name = f"{spec.kind} watch on {', '.join(features)}"
    return analyst.remember(DETECTOR, analyst.anomaly.create_detector(name, algorithm=spec.kind, features=features,
                                                                      **spec.settings))


def try_create_detector(analyst: Actor, spec: DetectorSpec, features: list[str]) -> httpx.Response:
    return analyst.tries_to(analyst.anomaly.create_detector, f"{spec.kind} watch", algorithm=spec.kind,
                            features=features, **spec.settings)


def train(analyst: Actor, *, use_feedback: bool | None = None) -> Detector:
    """Train the remembered detector on the remembered dataset and wait for its job to succeed."""
    anomaly, detector = analyst.anomaly, analyst.recall(DETECTOR)
    started = anomaly.start_training(detector.id, analyst.recall(DATASET).id, use_feedback=use_feedback)
    job = analyst.remember(JOB, anomaly.wait_for_job(str(started.job_id)))
    if job.status != "succeeded":
        raise UnexpectedAnswer(f"train detector {detector.id} (job {job.status}: {job.error})", anomaly.last_response)
    return analyst.remember(DETECTOR, anomaly.get_detector(detector.id))


def train_new(analyst: Actor, spec: DetectorSpec, features: list[str]) -> Detector:
    create_detector(analyst, spec, features)
    return train(analyst)


def try_training(analyst: Actor) -> httpx.Response:
    return analyst.tries_to(analyst.anomaly.start_training, analyst.recall(DETECTOR).id, analyst.recall(DATASET).id)


def start_training(analyst: Actor) -> TrainingStarted:
    started = analyst.anomaly.start_training(analyst.recall(DETECTOR).id, analyst.recall(DATASET).id)
    known = started.status in ("queued", "running", "succeeded")
    assert isinstance(started.job_id, str) and started.job_id and known, (
        f"The training request answered no job id or an unknown status. {analyst.anomaly.evidence()}")
    return analyst.remember(STARTED, started)


def follow_job(analyst: Actor) -> Job:
    """Follow the training answer's `Location` until the job has finished; the finished job."""
    started, anomaly = analyst.recall(STARTED), analyst.anomaly
    assert started.location, f"The training request's answer names no Location to follow. {anomaly.evidence()}"
    anomaly.job_at(started.location)  # an address that leads nowhere fails here, not after polling
    job = analyst.remember(JOB, anomaly.wait_for_job(started.job_id, at=started.location))
    assert_that(job, is_finished_job(started.job_id, analyst.recall(DETECTOR).id), anomaly.evidence())
    return job


def creation(analyst: Actor, spec: DetectorSpec, features: list[str], *, trying: bool) -> Detector | httpx.Response:
    return try_create_detector(analyst, spec, features) if trying else create_detector(analyst, spec, features)


def train_timed(analyst: Actor, spec: DetectorSpec, features: list[str]) -> float:
    """Create the detector and train it on the remembered dataset; the seconds the training took."""
    create_detector(analyst, spec, features)
    return timed_training(analyst)


def timed_training(analyst: Actor) -> float:
    """Train the remembered detector; the seconds from the training request to the job seen finished."""
    anomaly, began = analyst.anomaly, time.monotonic()
    started = anomaly.start_training(analyst.recall(DETECTOR).id, analyst.recall(DATASET).id)
    job = analyst.remember(JOB, anomaly.wait_for_job(started.job_id))
    seconds = analyst.remember(TRAINING_TIME, time.monotonic() - began)
    assert_that(job, is_finished_job(started.job_id, analyst.recall(DETECTOR).id), anomaly.evidence())
    return seconds


def detector_now(analyst: Actor) -> Detector:
    return analyst.anomaly.get_detector(analyst.recall(DETECTOR).id)


# -- checking readings -------------------------------------------------------------------------------
def _result(analyst: Actor, detection: Detection, rows: int | None) -> Detection:
    """Every detection is the contract's result of the remembered detector, one result per row checked."""
    assert_that(detection, is_detection_by(analyst.recall(DETECTOR).id, rows=rows), analyst.anomaly.evidence())
    return analyst.remember(DETECTION, detection)


def check_dataset(analyst: Actor) -> Detection:
    dataset = analyst.recall(DATASET)
    return _result(analyst, analyst.anomaly.detect_dataset(analyst.recall(DETECTOR).id, dataset.id), dataset.row_count)


def check_dataset_twice(analyst: Actor) -> list[Detection]:
    return analyst.remember(DETECTIONS, [check_dataset(analyst), check_dataset(analyst)])


def check_readings(analyst: Actor, rows: list[JSON]) -> Detection:
    analyst.remember(CHECKED, rows)
    return _result(analyst, analyst.anomaly.detect_rows(analyst.recall(DETECTOR).id, rows), len(rows))


def check(analyst: Actor, rows: list[JSON], *, trying: bool) -> Detection | httpx.Response:
    """Check the readings; when only trying, the answer may be a refusal (the actor's last answer)."""
    return try_check(analyst, rows) if trying else check_readings(analyst, rows)


def check_a_typical_reading(analyst: Actor) -> Detection:
    return check_readings(analyst, [dict(TYPICAL_READING)])


def try_check(analyst: Actor, rows: list[JSON]) -> httpx.Response:
    analyst.remember(CHECKED, rows)
    return analyst.tries_to(analyst.anomaly.detect_rows, analyst.recall(DETECTOR).id, rows)


def index_base(analyst: Actor) -> int:
    """The index (0 or 1) the platform gives the first row: learnt from a check of the complete readings."""
    features = set(analyst.recall(DETECTOR).features)
    complete = [row for row in analyst.recall(CHECKED) if features <= set(row)]
    detection = analyst.anomaly.detect_rows(analyst.recall(DETECTOR).id, complete)
    results = ordered_results(detection)
    assert results and index_fault(results) is None, f"Cannot tell how rows are numbered. {analyst.anomaly.evidence()}"
    return int(results[0]["index"])


# -- streaming ---------------------------------------------------------------------------------------
def stream(analyst: Actor, lines: list[JSON | str]) -> httpx.Response:
    """Stream the lines to the detector; the stream's answer (judged as a whole, media type included)."""
    analyst.anomaly.stream(analyst.recall(DETECTOR).id, lines)
    return analyst.remember(STREAMED, analyst.anomaly.last_response)


# -- feedback --------------------------------------------------------------------------------------------
def give_feedback(analyst: Actor, readings: list[JSON]) -> list[tuple[JSON, str]]:
    """Label each reading as its `label` cell says (normal or anomaly)."""
    given = [({key: value for key, value in row.items() if key != "label"}, str(row["label"])) for row in readings]
    for row, label in given:
        analyst.anomaly.feedback(analyst.recall(DETECTOR).id, row, label)
    return analyst.remember(LABELLED, given)


def retrain_with_feedback(analyst: Actor) -> Detector:
    analyst.remember(VERSION_BEFORE, analyst.recall(DETECTOR).version)
    return train(analyst, use_feedback=True)


def check_labelled(analyst: Actor) -> Detection:
    return check_readings(analyst, [row for row, _ in analyst.recall(LABELLED)])


def verdicts_labelled(analyst: Actor) -> list[str]:
    return ["anomalous" if label == "anomaly" else "normal" for _, label in analyst.recall(LABELLED)]


# -- evaluation ------------------------------------------------------------------------------------------
def evaluate(analyst: Actor, column: str) -> Metrics:
    metrics = analyst.anomaly.evaluate(analyst.recall(DETECTOR).id, analyst.recall(DATASET).id, label_column=column)
    return analyst.remember(EVALUATION, metrics)


def try_evaluate(analyst: Actor, column: str) -> httpx.Response:
    return analyst.tries_to(analyst.anomaly.evaluate, analyst.recall(DETECTOR).id, analyst.recall(DATASET).id,
                            label_column=column)


def evaluation(analyst: Actor, column: str, *, trying: bool) -> Metrics | httpx.Response:
    return try_evaluate(analyst, column) if trying else evaluate(analyst, column)
