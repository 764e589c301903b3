"""Anomaly: datasets, detectors, training jobs, detection, streaming, feedback, evaluation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from support.drivers.base import Driver, UnexpectedAnswer, page_params
from support.drivers.records import (
    JSON,
    AuditEvent,
    Dataset,
    Detection,
    Detector,
    Job,
    Metrics,
    Page,
    Profile,
    TrainingStarted,
)
from support.http.bodies import NOT_JSON, json_body, json_lines
from support.http.client import API
from support.http.polling import NotYet, eventually

FINISHED = frozenset({"succeeded", "failed"})


class AnomalyDriver(Driver):
    service = "anomaly"

    def __init__(self, client: httpx.Client, *, job_timeout: float = 30.0) -> None:
        super().__init__(client)
        self._job_timeout = job_timeout

    # -- datasets ------------------------------------------------------------------------------
    def upload_csv(self, name: str, csv: Path | bytes) -> Dataset:
        """Upload a CSV file as a multipart form (`file` + `name`)."""
        content = csv.read_bytes() if isinstance(csv, Path) else csv
        filename = csv.name if isinstance(csv, Path) else f"{name}.csv"
        return self._record(Dataset, "POST", f"{API}/datasets", intent=f"upload the dataset {name}", expect=201,
                          files={"file": (filename, content, "text/csv")}, data={"name": name})

    def create_dataset(self, name: str, *, columns: list[str], rows: list[list[Any]]) -> Dataset:
        return self._record(Dataset, "POST", f"{API}/datasets", intent=f"create the dataset {name}", expect=201,
                          json={"name": name, "columns": columns, "rows": rows})

    def list_datasets(self, *, page: int | None = None, page_size: int | None = None) -> Page[Dataset]:
        return self._page(Dataset, f"{API}/datasets", intent="list datasets", params=page_params(page, page_size))

    def get_dataset(self, dataset_id: str) -> Dataset:
        return self._record(Dataset, "GET", f"{API}/datasets/{dataset_id}", intent=f"read dataset {dataset_id}")

    def delete_dataset(self, dataset_id: str) -> None:
        self._request("DELETE", f"{API}/datasets/{dataset_id}", intent=f"delete dataset {dataset_id}",
                      expect=204)

    def profile(self, dataset_id: str) -> Profile:
        return Profile.of(self._json("GET", f"{API}/datasets/{dataset_id}/profile",
                                     intent=f"profile dataset {dataset_id}"))

    # -- detectors and training ----------------------------------------------------------------
    def create_detector(self, name: str, *, algorithm: str, features: list[str], **params: Any) -> Detector:
        body: JSON = {"name": name, "algorithm": algorithm, "features": features}
        body.update({key: value for key, value in params.items() if value is not None})
        return self._record(Detector, "POST", f"{API}/detectors", intent=f"create the {algorithm} detector {name}",
                          expect=201, json=body)

    def list_detectors(self, *, page: int | None = None, page_size: int | None = None) -> Page[Detector]:
        return self._page(Detector, f"{API}/detectors", intent="list detectors", params=page_params(page, page_size))

    def get_detector(self, detector_id: str) -> Detector:
        return self._record(Detector, "GET", f"{API}/detectors/{detector_id}", intent=f"read detector {detector_id}")

    def start_training(self, detector_id: str, dataset_id: str, *, use_feedback: bool | None = None) -> TrainingStarted:
        body: JSON = {"dataset_id": dataset_id}
        if use_feedback is not None:
            body["use_feedback"] = use_feedback
        started = TrainingStarted.of(self._json("POST", f"{API}/detectors/{detector_id}/training",
                                                intent=f"start training detector {detector_id}", expect=202,
                                                json=body))
        return replace(started, location=self.last_response.headers.get("location"))

    def job(self, job_id: str) -> Job:
        return self._record(Job, "GET", f"{API}/jobs/{job_id}", intent=f"read job {job_id}")

    def job_at(self, location: str) -> Job:
        """The job at the address a training answer's `Location` names (absolute, or relative to the service)."""
        return self._record(Job, "GET", location, intent=f"read the job at {location}")

    def wait_for_job(self, job_id: str, *, within: float | None = None, at: str | None = None) -> Job:
        """Poll a job (by id, or at the address `at`) until it has succeeded or failed; the finished job."""
        def finished() -> Job:
            job = self.job_at(at) if at is not None else self.job(job_id)
            if job.status not in FINISHED:
                raise NotYet(f"job {job_id} is still {job.status}")
            return job

        return eventually(finished, within=within or self._job_timeout, awaiting=f"training job {job_id}")

    # -- detection, streaming, feedback, evaluation --------------------------------------------
    def detect_rows(self, detector_id: str, rows: list[JSON]) -> Detection:
        return Detection.of(self._json("POST", f"{API}/detectors/{detector_id}/detections",
                          intent=f"check {len(rows)} rows with detector {detector_id}",
                                       json={"rows": rows}))

    def detect_dataset(self, detector_id: str, dataset_id: str) -> Detection:
        return Detection.of(self._json("POST", f"{API}/detectors/{detector_id}/detections",
                          intent=f"check dataset {dataset_id} with detector {detector_id}",
                                       json={"dataset_id": dataset_id}))

    def stream(self, detector_id: str, lines: Iterable[JSON | str]) -> list[JSON]:
        """Send rows as NDJSON (a str is sent as the raw line) and read one result per line."""
        payload = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
        response = self._request("POST", f"{API}/detectors/{detector_id}/stream",
                                 intent=f"stream rows to detector {detector_id}",
                                 content=payload.encode("utf-8"),
                                 headers={"Content-Type": "application/x-ndjson"})
        results = json_lines(response)
        if any(line is NOT_JSON for line in results):
            raise UnexpectedAnswer("read the stream's results (a line is not JSON)", response)
        return results

    def feedback(self, detector_id: str, row: JSON, label: str) -> JSON:
        intent = f"label a row {label} for detector {detector_id}"
        response = self._request("POST", f"{API}/detectors/{detector_id}/feedback", intent=intent, expect=201,
                                 json={"row": row, "label": label})
        body = json_body(response, NOT_JSON) if response.content else {}
        if not isinstance(body, dict):
            raise UnexpectedAnswer(f"{intent} (the answer is not a JSON object)", response)
        return body

    def evaluate(self, detector_id: str, dataset_id: str, *, label_column: str) -> Metrics:
        return Metrics.of(self._json("POST", f"{API}/detectors/{detector_id}/evaluations",
                          intent=f"evaluate detector {detector_id}",
                          json={"dataset_id": dataset_id, "label_column": label_column}))

    def audit_events(self, **filters: Any) -> Page[AuditEvent]:
        return self._page(AuditEvent, f"{API}/audit-events", intent="read anomaly's audit events", params=filters)
