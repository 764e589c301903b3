"""The drivers and the actor against httpx.MockTransport: URLs, headers, bodies, failures."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from support.data.secret import Secret
from support.drivers.anomaly import AnomalyDriver
from support.drivers.base import NoAnswerYet, ServiceUnreachable, UnexpectedAnswer
from support.drivers.health import HealthDriver
from support.drivers.identity import IdentityDriver
from support.drivers.sales import SalesDriver
from support.http.client import make_client
from support.runner.config import Timeouts
from support.screenplay.actor import Actor, Tenant
from support.screenplay.cast import persona
from support.screenplay.notes import Note

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, auth: httpx.Auth | None = None) -> httpx.Client:
    return make_client("http://platform.test", service="test", timeouts=TIMEOUTS, auth=auth,
                       transport=httpx.MockTransport(handler), checked=False)  # fakes, not the contract


def problem(status: int, slug: str) -> httpx.Response:
    return httpx.Response(status, json={"type": f"https://problems.platform.example/{slug}", "title": slug,
                                        "status": status, "detail": "no"},
                          headers={"Content-Type": "application/problem+json"})


class Recorder:
    """A fake service that answers from a list and keeps the requests it saw."""

    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    @property
    def last_json(self) -> dict:
        return json.loads(self.requests[-1].content)


def test_create_deal_posts_the_body_and_returns_the_deal() -> None:
    fake = Recorder(httpx.Response(201, json={"id": "d1", "stage": "lead"}))
    deal = SalesDriver(client(fake)).create_deal(client_id="c1", title="Solar", amount="12000.00")
    assert (deal.id, deal.stage, deal.body) == ("d1", "lead", {"id": "d1", "stage": "lead"})
    assert fake.requests[0].method == "POST" and fake.requests[0].url.path == "/api/v1/deals"
    assert fake.last_json == {"client_id": "c1", "title": "Solar", "amount": "12000.00"}


def test_a_refused_call_raises_unexpected_answer_naming_the_request_id() -> None:
    driver = SalesDriver(client(Recorder(problem(422, "validation-failed"))))
    with pytest.raises(UnexpectedAnswer) as caught:
        driver.create_deal(client_id="c1", title="Solar", amount="1")
    message = str(caught.value)
    assert message.startswith("Could not open the deal 'Solar': POST /api/v1/deals -> 422 (request id ")
    assert isinstance(caught.value, AssertionError)


def test_attempt_hands_back_the_refusal() -> None:
    driver = SalesDriver(client(Recorder(problem(404, "not-found"))))
    response = driver.attempt(driver.get_deal, "nope")
    assert response.status_code == 404 and driver.last_response is response


def test_last_response_before_any_call_is_a_sentence() -> None:
    with pytest.raises(NoAnswerYet, match="has not been asked anything yet"):
        _ = SalesDriver(client(Recorder(httpx.Response(200)))).last_response


def test_payments_carry_an_idempotency_key_fresh_unless_given() -> None:
    fake = Recorder(httpx.Response(201, json={"id": "p1"}))
    driver = SalesDriver(client(fake))
    driver.record_payment("d1", "12000.00")
    driver.record_payment("d1", "12000.00")
    driver.record_payment("d1", "12000.00", idempotency_key="k-1")
    keys = [request.headers["Idempotency-Key"] for request in fake.requests]
    assert keys[0] != keys[1] and keys[2] == "k-1"
    assert fake.requests[0].url.path == "/api/v1/deals/d1/payments"


def test_changes_send_if_match_with_the_quoted_version() -> None:
    fake = Recorder(httpx.Response(200, json={"id": "d1"}))
    driver = SalesDriver(client(fake))
    driver.update_deal("d1", version=3, title="New")
    driver.transition("d1", "qualified")
    assert fake.requests[0].headers["If-Match"] == '"3"'
    assert "If-Match" not in fake.requests[1].headers
    assert fake.last_json == {"to": "qualified"}


def test_advance_walks_the_stages_one_by_one() -> None:
    fake = Recorder(httpx.Response(200, json={"id": "d1", "stage": "lead"}),
                    httpx.Response(200, json={"id": "d1", "stage": "qualified"}),
                    httpx.Response(200, json={"id": "d1", "stage": "proposal"}),
                    httpx.Response(200, json={"id": "d1", "stage": "won"}))
    deal = SalesDriver(client(fake)).advance("d1", "won")
    assert deal["stage"] == "won"
    assert [json.loads(r.content)["to"] for r in fake.requests[1:]] == ["qualified", "proposal", "won"]


def test_empty_query_parameters_are_left_out() -> None:
    fake = Recorder(httpx.Response(200, json={"items": []}))
    SalesDriver(client(fake)).list_deals(stage="won")
    assert dict(fake.requests[0].url.params) == {"stage": "won"}


def test_waiting_for_a_job_polls_it_until_it_has_finished() -> None:
    fake = Recorder(httpx.Response(202, json={"job_id": "j1", "status": "queued"},
                                   headers={"Location": "/api/v1/jobs/j1"}),
                    httpx.Response(200, json={"id": "j1", "status": "running"}),
                    httpx.Response(200, json={"id": "j1", "status": "failed", "error": "boom"}))
    anomaly = AnomalyDriver(client(fake), job_timeout=2)
    started = anomaly.start_training("det1", "ds1")
    assert (started.job_id, started.location) == ("j1", "/api/v1/jobs/j1")
    job = anomaly.wait_for_job(started.job_id)
    assert (job.status, job.error) == ("failed", "boom")
    assert [r.url.path for r in fake.requests] == [
        "/api/v1/detectors/det1/training", "/api/v1/jobs/j1", "/api/v1/jobs/j1"]


def test_an_answer_without_a_string_id_is_unexpected() -> None:
    driver = SalesDriver(client(Recorder(httpx.Response(201, json={"id": 7, "stage": "lead"}))))
    with pytest.raises(UnexpectedAnswer, match="no string id"):
        driver.create_deal(client_id="c1", title="Solar", amount="1")


def test_csv_upload_is_multipart_with_file_and_name() -> None:
    fake = Recorder(httpx.Response(201, json={"id": "ds1", "row_count": 1}))
    AnomalyDriver(client(fake)).upload_csv("tiny", b"a,b\n1,2\n")
    request = fake.requests[0]
    assert request.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="name"' in request.content and b"a,b\n1,2\n" in request.content


def test_stream_sends_ndjson_and_reads_one_result_per_line() -> None:
    fake = Recorder(httpx.Response(200, content=b'{"index": 0}\n{"index": 1, "error": "bad"}\n',
                                   headers={"Content-Type": "application/x-ndjson"}))
    results = AnomalyDriver(client(fake)).stream("det1", [{"x": 1}, "not json"])
    assert results == [{"index": 0}, {"index": 1, "error": "bad"}]
    assert fake.requests[0].content == b'{"x": 1}\nnot json\n'
    assert fake.requests[0].headers["Content-Type"] == "application/x-ndjson"


def test_sign_in_hides_the_tokens_in_its_repr() -> None:
    fake = Recorder(httpx.Response(200, json={"access_token": "AT", "refresh_token": "RT",
                                              "token_type": "Bearer", "expires_in": 900}))
    tokens = IdentityDriver(client(fake)).sign_in(tenant="acme", email="a@x.example.com", password="pw")
    assert tokens.access_token == "AT" and "AT" not in repr(tokens) and "RT" not in repr(tokens)


def test_health_driver_reads_live_and_ready() -> None:
    fake = Recorder(httpx.Response(200, json={"status": "ok"}),
                    problem(503, "service-unavailable"))
    health = HealthDriver(client(fake), service="sales")
    assert health.live().status == "ok"
    assert health.attempt(health.ready).status_code == 503


class FakeIdentity:
    """Issues numbered access tokens and records which token each call presented."""

    def __init__(self) -> None:
        self.sign_ins = 0
        self.presented: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/auth/token":
            self.sign_ins += 1
            return httpx.Response(200, json={"access_token": f"AT{self.sign_ins}", "refresh_token": "RT",
                                             "token_type": "Bearer", "expires_in": 900})
        self.presented.append(request.headers.get("Authorization"))
        if request.url.path == "/api/v1/auth/logout":
            return httpx.Response(204)
        return httpx.Response(200, json={"id": "u1", "items": []})


def make_actor(fake: FakeIdentity) -> Actor:
    tenant = Tenant(name="Acme", slug="acme-1234", id="t1", currency="EUR", plan="growth")
    return Actor(persona("Rita"), tenant, "rita@acme-1234.example.com", Secret("a long secret passphrase"),
                 lambda service, auth: client(fake, auth))


def test_an_actor_signs_in_once_and_again_after_signing_out() -> None:
    fake = FakeIdentity()
    rita = make_actor(fake)
    rita.sales.list_clients()
    rita.sales.list_clients()
    rita.sign_out()
    rita.sales.list_clients()
    assert fake.sign_ins == 2
    assert fake.presented == ["Bearer AT1", "Bearer AT1", "Bearer AT1", "Bearer AT2"]


def test_an_actor_can_present_an_old_pass_and_never_shows_its_password() -> None:
    fake = FakeIdentity()
    rita = make_actor(fake)
    rita.sign_in()
    old = rita.remember("old pass", rita.current_pass())
    rita.sign_out()
    rita.with_pass(old).sales.list_clients()
    assert fake.presented[-1] == "Bearer AT1"
    assert "passphrase" not in repr(rita)


def test_an_actor_that_was_never_told_says_so() -> None:
    with pytest.raises(AssertionError, match="Rita has no deal noted yet"):
        make_actor(FakeIdentity()).notes.read(Note("deal"))


def test_an_attempt_keeps_its_answer_as_the_actors_last_answer() -> None:
    rita = make_actor(FakeIdentity())
    with pytest.raises(AssertionError, match="Rita has not tried anything yet"):
        _ = rita.last_answer
    answer = rita.tries_to(rita.identity.logout)
    assert rita.last_answer is answer and rita.attempts == [answer]
    with pytest.raises(TypeError, match="not a method of a driver"):
        rita.tries_to(print)


def test_a_service_that_does_not_answer_fails_with_a_sentence() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    with pytest.raises(ServiceUnreachable, match="the sales service gave no answer to GET /api/v1/deals"):
        SalesDriver(client(refuse)).list_deals()
