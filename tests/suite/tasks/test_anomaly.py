"""The anomaly tasks and phrases against a fake anomaly service on httpx.MockTransport (no services needed)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from support.data.secret import Secret
from support.data.tables import Upload
from support.drivers.base import UnexpectedAnswer
from support.http.client import make_client
from support.matchers import detection as outcome
from support.phrases.anomaly import TYPES, detector
from support.runner.config import Timeouts
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import persona
from support.tasks import anomaly as work
from support.tasks.anomaly import DetectorSpec

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
TENANT = Tenant(name="Acme", slug="acme-1234", id="t1", currency="EUR", plan="growth")
def now() -> str:
    """The present moment as the fake answers it: timestamps are checked against the clock (so never a time
    frozen when the module was imported: a long test run would age it out of the tolerance)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
ZSCORE = DetectorSpec("robust_zscore", {})


class FakeAnomaly:
    """Just enough of identity and anomaly for the tasks: datasets, one detector, jobs, detections, a stream."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.job_polls = 0
        self.job_status = "succeeded"
        self.location: str | None = "/api/v1/jobs/j1"
        self.detector_id_answered = "det1"
        self.refuse_detection = False
        self.tenant_answered = "t1"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = (request.method, request.url.path)
        handler: Callable[[httpx.Request], httpx.Response] | None = {
            ("POST", "/api/v1/auth/token"): lambda r: httpx.Response(200, json={
                "access_token": "AT", "refresh_token": "RT", "token_type": "Bearer", "expires_in": 900}),
            ("POST", "/api/v1/datasets"): self.dataset,
            ("GET", "/api/v1/datasets/ds1"): self.dataset,
            ("POST", "/api/v1/detectors"): lambda r: httpx.Response(201, json=self.detector(0)),
            ("GET", "/api/v1/detectors/det1"): lambda r: httpx.Response(200, json=self.detector(1)),
            ("POST", "/api/v1/detectors/det1/training"): self.training,
            ("GET", "/api/v1/jobs/j1"): self.job,
            ("POST", "/api/v1/detectors/det1/detections"): self.detection,
            ("POST", "/api/v1/detectors/det1/stream"): lambda r: httpx.Response(
                200, content=b'{"index":0,"score":1.0,"is_anomaly":false}\n',
                headers={"Content-Type": "application/x-ndjson"}),
            ("POST", "/api/v1/detectors/det1/feedback"): lambda r: httpx.Response(201, json={"id": "f1"}),
        }.get(route)
        return handler(request) if handler else httpx.Response(404, json={"status": 404})

    def dataset(self, request: httpx.Request) -> httpx.Response:
        name = "boiler room"
        if request.method == "POST" and b'name="name"' in request.content:
            name = request.content.split(b'name="name"\r\n\r\n')[1].split(b"\r\n")[0].decode()
        body = {"id": "ds1", "tenant_id": self.tenant_answered, "name": name, "row_count": 3, "created_at": now(),
                "columns": [{"name": "temperature", "type": "numeric"}]}
        return httpx.Response(201 if request.method == "POST" else 200, json=body)

    def detector(self, version: int) -> dict[str, Any]:
        return {"id": "det1", "tenant_id": "t1", "name": "watch", "algorithm": "robust_zscore",
                "features": ["temperature", "pressure"], "params": {}, "status": "trained" if version else "untrained",
                "version": version, "trained_at": now() if version else None, "training_rows": 3, "created_at": now()}

    def training(self, request: httpx.Request) -> httpx.Response:
        headers = {"Location": self.location} if self.location else {}
        return httpx.Response(202, json={"job_id": "j1", "status": "queued"}, headers=headers)

    def job(self, request: httpx.Request) -> httpx.Response:
        self.job_polls += 1
        status = self.job_status if self.job_polls > 1 else "running"
        return httpx.Response(200, json={"id": "j1", "kind": "training", "status": status, "detector_id": "det1",
                                         "error": None if status == "succeeded" else "boom", "created_at": now(),
                                         "finished_at": now() if status != "running" else None})

    def detection(self, request: httpx.Request) -> httpx.Response:
        rows = json.loads(request.content).get("rows") or [{}] * 3
        if self.refuse_detection:
            return httpx.Response(422, json={"status": 422}, headers={"Content-Type": "application/problem+json"})
        results = [{"index": index, "score": 0.5, "is_anomaly": False} for index in range(len(rows))]
        return httpx.Response(200, json={"detector_id": self.detector_id_answered, "detector_version": 1,
                                         "threshold": 3.5, "anomaly_count": 0, "results": results})


@pytest.fixture
def fake() -> FakeAnomaly:
    return FakeAnomaly()


@pytest.fixture
def ana(fake: FakeAnomaly) -> Actor:
    def factory(service: str, auth: httpx.Auth | None) -> httpx.Client:
        return make_client("http://platform.test", service=service, timeouts=TIMEOUTS, auth=auth,
                           transport=httpx.MockTransport(fake))

    return Actor(persona("Ana"), TENANT, "ana@acme-1234.example.com", Secret("a long secret passphrase"), factory,
                 job_timeout=2)


def trained(ana: Actor) -> Actor:
    work.upload_column(ana, "temperature", ["20", "21", "22"])
    work.train_new(ana, ZSCORE, ["temperature", "pressure"])
    return ana


# -- datasets -----------------------------------------------------------------------------------------
def test_an_upload_is_remembered_with_the_name_it_was_given(ana: Actor) -> None:
    dataset = work.upload_column(ana, "temperature", ["20", "21", "22"])
    assert (ana.recall(work.DATASET), ana.recall(work.SENT_NAME)) == (dataset, "temperature readings")


def test_an_upload_answered_for_another_tenant_fails_at_once(ana: Actor, fake: FakeAnomaly) -> None:
    fake.tenant_answered = "t2"
    work.try_upload(ana, Upload("x", csv=b"a\n1\n"))  # an attempt is judged by its step, not by the task
    with pytest.raises(AssertionError, match="tenant_id is 't2', not 't1'"):
        work.upload_generated(ana, 3)


def test_an_upload_that_may_be_refused_becomes_the_last_answer(ana: Actor, fake: FakeAnomaly) -> None:
    answer = work.try_upload(ana, Upload("nothing", columns=["meter"], rows=[]))
    assert ana.last_answer is answer
    assert json.loads(fake.requests[-1].content) == {"name": "nothing", "columns": ["meter"], "rows": []}


# -- training -----------------------------------------------------------------------------------------
def test_training_waits_for_the_job_and_reads_the_detector_again(ana: Actor) -> None:
    trained(ana)
    assert (ana.recall(work.JOB).status, ana.recall(work.DETECTOR).version) == ("succeeded", 1)


def test_a_failed_training_job_is_an_unexpected_answer_naming_its_error(ana: Actor, fake: FakeAnomaly) -> None:
    fake.job_status = "failed"
    work.upload_column(ana, "temperature", ["20", "21", "22"])
    with pytest.raises(UnexpectedAnswer, match="job failed: boom"):
        work.train_new(ana, ZSCORE, ["temperature"])


def test_following_a_job_goes_where_the_location_points(ana: Actor, fake: FakeAnomaly) -> None:
    work.upload_column(ana, "temperature", ["20", "21", "22"])
    work.create_detector(ana, ZSCORE, ["temperature"])
    work.start_training(ana)
    assert work.follow_job(ana).status == "succeeded"
    assert fake.requests[-1].url.path == "/api/v1/jobs/j1"


def test_a_training_answer_without_a_location_cannot_be_followed(ana: Actor, fake: FakeAnomaly) -> None:
    fake.location = None
    work.upload_column(ana, "temperature", ["20", "21", "22"])
    work.create_detector(ana, ZSCORE, ["temperature"])
    work.start_training(ana)
    with pytest.raises(AssertionError, match="names no Location"):
        work.follow_job(ana)


def test_timed_training_measures_from_the_request_to_the_finished_job(ana: Actor) -> None:
    work.upload_column(ana, "temperature", ["20", "21", "22"])
    work.create_detector(ana, ZSCORE, ["temperature"])
    seconds = work.timed_training(ana)
    assert 0 <= seconds < 2 and ana.recall(work.TRAINING_TIME) == seconds


# -- checks ---------------------------------------------------------------------------------------------
def test_every_check_must_be_the_result_of_the_detector_checked(ana: Actor, fake: FakeAnomaly) -> None:
    trained(ana)
    fake.detector_id_answered = "someone else's"
    with pytest.raises(AssertionError, match="detector_id is \"someone else's\""):
        work.check_readings(ana, [{"temperature": 20, "pressure": 100}])


def test_a_check_that_may_be_refused_keeps_the_readings_and_the_refusal(ana: Actor, fake: FakeAnomaly) -> None:
    trained(ana)
    fake.refuse_detection = True
    answer = work.check(ana, [{"temperature": 20}], trying=True)
    assert ana.last_answer is answer and answer.status_code == 422
    assert ana.recall(work.CHECKED) == [{"temperature": 20}]


def test_the_index_base_is_learnt_from_the_complete_readings_only(ana: Actor, fake: FakeAnomaly) -> None:
    trained(ana)
    work.try_check(ana, [{"temperature": 20, "pressure": 1}, {"temperature": 21}, {"temperature": 22, "pressure": 3}])
    assert work.index_base(ana) == 0
    assert json.loads(fake.requests[-1].content)["rows"] == [{"temperature": 20, "pressure": 1},
                                                            {"temperature": 22, "pressure": 3}]


def test_a_stream_keeps_its_whole_answer(ana: Actor) -> None:
    trained(ana)
    answer = work.stream(ana, [{"temperature": 20}, "not a reading"])
    assert ana.recall(work.STREAMED) is answer and answer.headers["content-type"] == "application/x-ndjson"
    assert answer.request.content == b'{"temperature": 20}\nnot a reading\n'


def test_feedback_sends_each_reading_without_its_label(ana: Actor, fake: FakeAnomaly) -> None:
    trained(ana)
    work.give_feedback(ana, [{"temperature": 60, "label": "normal"}, {"temperature": 22, "label": "anomaly"}])
    assert json.loads(fake.requests[-1].content) == {"row": {"temperature": 22}, "label": "anomaly"}
    assert work.verdicts_labelled(ana) == ["normal", "anomalous"]


# -- phrases ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "spec"), [
    ("a robust z-score detector", DetectorSpec("robust_zscore", {})),
    ("an IQR detector with threshold 3", DetectorSpec("iqr", {"threshold": 3.0})),
    ("an isolation forest detector with the default contamination", DetectorSpec("isolation_forest", {})),
    ("an isolation forest detector with contamination 0.25", DetectorSpec("isolation_forest", {"contamination": 0.25})),
])
def test_a_detector_phrase_names_its_kind_and_settings(text: str, spec: DetectorSpec) -> None:
    assert detector(text) == spec


def test_misspelt_phrases_are_outside_the_vocabulary() -> None:
    pattern = TYPES["AnomalyDetector"].pattern  # type: ignore[attr-defined]
    assert re.fullmatch(pattern, "a isolation forest detector") is None
    assert re.fullmatch(TYPES["AnomalyReading"].pattern, "temperature 29 and pressure 106")  # type: ignore[attr-defined]
    assert TYPES["AnomalyCount"]("10,001") == 10001 and TYPES["AnomalyChecking"]("tries to check") is True


# -- judgement (support/matchers/detection.py) ------------------------------------------------------------
def _result(**overrides: Any) -> dict[str, Any]:
    body = {"detector_id": "det1", "detector_version": 2, "threshold": 3.5, "anomaly_count": 1,
            "results": [{"index": 1, "score": 0.1, "is_anomaly": False},
                        {"index": 2, "score": 9.0, "is_anomaly": True}]}
    return {**body, **overrides}


def test_a_detection_result_must_name_its_detector_and_agree_with_its_rows() -> None:
    assert outcome.is_detection_by("det1", rows=2, version=2, threshold=3.5).matches(_result())
    faults = outcome.is_detection_by("det1", rows=2).faults(_result(detector_id=None, anomaly_count=2))
    assert faults == ["detector_id is None, not 'det1'", "anomaly_count is 2 but 1 results are anomalous"]
    assert outcome.is_detection_by("det1").faults(_result(threshold=None)) == ["the threshold is None, not a number"]


def test_a_score_against_a_threshold_is_judged_on_both() -> None:
    one = _result(results=[{"index": 0, "score": 3.500655, "is_anomaly": True}])
    assert outcome.scores(3.500655, "anomalous", threshold=3.5).matches(one)
    assert outcome.scores(3.500655, "anomalous", threshold=4.0).faults(one) == ["the threshold is 3.5, not 4.0"]


def test_a_stream_must_answer_ndjson_lines_in_order() -> None:
    lines = b'{"index":0,"score":1,"is_anomaly":false}\n{"index":1,"error":"not JSON"}\n'
    good = httpx.Response(200, content=lines, headers={"Content-Type": "application/x-ndjson"})
    assert outcome.streams_in_order(["normal", "an error"]).matches(good)
    plain = httpx.Response(200, content=lines, headers={"Content-Type": "application/json"},
                           request=httpx.Request("POST", "http://platform.test/s"))
    assert outcome.streams_in_order(["normal", "an error"]).faults(plain) == [
        "the content type is application/json, not application/x-ndjson"]


def test_a_refusal_names_a_data_row_counted_from_0_or_1_or_as_its_line() -> None:
    def refusal(field: str) -> httpx.Response:
        return httpx.Response(422, json={"type": "https://problems.platform.example/validation-failed",
                                         "title": "t", "status": 422, "detail": "d",
                                         "errors": [{"field": field, "code": "ragged_row", "message": "m"}]},
                              headers={"Content-Type": "application/problem+json"})

    assert all(outcome.names_data_row(5).matches(refusal(f"rows[{n}]")) for n in (4, 5, 6))
    assert not outcome.names_data_row(5).matches(refusal("rows[15]"))


def test_a_training_time_is_judged_against_the_promise_plus_the_stated_allowance() -> None:
    assert outcome.took_under(10, allowance=0.5).matches(10.4)
    assert not outcome.took_under(10, allowance=0.5).matches(10.5)
