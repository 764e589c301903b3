"""An analyst's work with the anomaly service, in the steps' words: upload, create, train, check.

Each function does one intent through the actor's anomaly driver and leaves what it made in the
actor's memory ("dataset", "detector", "job", "work"), so that later steps can say "the detector".
"""

from __future__ import annotations

from typing import Any

from support.data.builders import Dataset, load_dataset
from support.data.tables import csv_bytes, table_of
from support.drivers.base import JSON, UnexpectedAnswer
from support.screenplay.actor import Actor
from support.tasks.anomaly_access import Work

ALGORITHMS = {"robust z-score": "robust_zscore", "isolation forest": "isolation_forest", "IQR": "iqr"}
BOILER = "boiler-readings"


def algorithm_of(words: str) -> str:
    try:
        return ALGORITHMS[words]
    except KeyError:
        raise AssertionError(f"'{words}' is not a detector kind (known: {', '.join(ALGORITHMS)})") from None


def feature_names(text: str) -> list[str]:
    """ "temperature, pressure and vibration" -> ["temperature", "pressure", "vibration"] """
    return [part.strip() for part in text.replace(" and ", ", ").split(",") if part.strip()]


def upload_table(analyst: Actor, name: str, table: Any) -> JSON:
    columns, rows = table_of(table)
    return analyst.remember("dataset", analyst.anomaly.upload_csv(name, csv_bytes(columns, rows)))


def upload_file(analyst: Actor, name: str) -> tuple[Dataset, JSON]:
    """Upload data/datasets/<name>.csv; the local copy and the dataset the service made of it."""
    local = load_dataset(name)
    return local, analyst.remember("dataset", analyst.anomaly.upload_csv(name, local.path))


def create_detector(analyst: Actor, algorithm: str, features: list[str], **params: Any) -> JSON:
    name = f"{algorithm} watch on {', '.join(features)}"
    return analyst.remember("detector", analyst.anomaly.create_detector(
        name, algorithm=algorithm_of(algorithm), features=features, **params))


def train(analyst: Actor, *, use_feedback: bool | None = None) -> JSON:
    """Train the remembered detector on the remembered dataset and wait for its job to succeed."""
    anomaly, detector = analyst.anomaly, analyst.recall("detector")
    started = anomaly.start_training(detector["id"], analyst.recall("dataset")["id"], use_feedback=use_feedback)
    job = analyst.remember("job", anomaly.wait_for_job(str(started["job_id"])))
    if job.get("status") != "succeeded":
        raise UnexpectedAnswer(f"train detector {detector['id']} (job {job.get('status')}: {job.get('error')})",
                               anomaly.last_response)
    return analyst.remember("detector", anomaly.get_detector(detector["id"]))


def train_new(analyst: Actor, algorithm: str, features: list[str], **params: Any) -> JSON:
    create_detector(analyst, algorithm, features, **params)
    return train(analyst)


def train_on_boiler_readings(analyst: Actor) -> Work:
    """Upload the boiler readings and train a robust z-score detector on temperature and pressure."""
    upload_file(analyst, BOILER)
    train_new(analyst, "robust z-score", ["temperature", "pressure"])
    work = Work(analyst.recall("dataset")["id"], analyst.recall("detector")["id"], analyst.recall("job")["id"])
    return analyst.remember("work", work)
