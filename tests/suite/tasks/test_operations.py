"""The operations tasks, their drivers and matchers against httpx.MockTransport and fakes (no services needed)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from support.drivers.raw import (
    FORMS,
    LARGE_LIMIT,
    ORDINARY_LIMIT,
    STREAM_LINE,
    RawDriver,
    StripRequestId,
    marked,
    padded_json,
    payload,
)
from support.http.client import make_client
from support.matchers.answers import is_problem
from support.matchers.conventions import (
    EchoesReference,
    ExpectedEvents,
    FreshReferences,
    ListRead,
    Search,
    each_answer,
    list_faults,
    search_faults,
    trail_faults,
)
from support.matchers.metrics import growth_faults, histogram_faults, timing_faults
from support.runner.config import Credentials, ServiceConfig, SuiteConfig, Timeouts
from support.screenplay.world import World
from support.tasks import operations as ops
from support.tasks import operations_audit as audit
from support.tasks.operations_flood import Flood, Limit, run

TIMEOUTS = Timeouts(connect=1, read=2, ready=5, eventually=1)
NOW = "2026-12-01T10:00:00.000001Z"


# -- a fake platform: collections of records in memory ------------------------------------------------------
class FakePlatform:
    """Answers like the platform for the calls the tasks make; keeps every request it saw."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.status: dict[tuple[str, str], int] = {}   # (method, path prefix) -> forced status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        method, path = request.method, request.url.path
        for (forced_method, prefix), status in self.status.items():
            if method == forced_method and path.startswith(prefix):
                return httpx.Response(status, json={"type": "https://problems.platform.example/x", "status": status,
                                                    "title": "x", "detail": "x"})
        if path == "/api/v1/auth/token":
            return httpx.Response(200, json={"access_token": "a", "refresh_token": "r", "expires_in": 900})
        if path == "/api/v1/auth/me":
            return httpx.Response(200, json={"id": "me", "tenant_id": "t"})
        if path.endswith("/training"):
            return httpx.Response(202, json={"job_id": "job-1", "status": "queued"})
        if path.startswith("/api/v1/jobs/"):
            return httpx.Response(200, json={"id": "job-1", "status": "succeeded"})
        body = json.loads(request.content) if request.content and "json" in request.headers.get("content-type", "") \
            else {}
        if method == "POST" and path.count("/") == 3:
            record = {**body, "id": str(uuid.uuid4()), "created_at": NOW, "updated_at": NOW,
                      "slug": body.get("slug", "acme-1"), "currency": "EUR", "plan": "growth"}
            self.records[record["id"]] = record
            return httpx.Response(201, json=record)
        if path.count("/") == 5 and method == "POST" and path.split("/")[4] in self.records:
            return httpx.Response(200, json=self.records[path.split("/")[4]])
        if path.count("/") == 4 and method in ("GET", "PATCH"):
            record = self.records.get(path.rsplit("/", 1)[1])
            if record is None:
                return httpx.Response(404, json={"status": 404})
            record.update(body)
            return httpx.Response(200, json=record)
        if method == "GET":
            return httpx.Response(200, json={"items": [], "page": 1, "page_size": 20, "total": 0})
        return httpx.Response(200, json={})


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()

    def client(base_url: str, **kwargs: Any) -> httpx.Client:
        return make_client(base_url, **{**kwargs, "transport": httpx.MockTransport(fake)})

    def raw(config: SuiteConfig, service: str, *, token: Callable[[], str] | None = None,
            tenant_slug: str = "") -> RawDriver:
        transport = StripRequestId(httpx.MockTransport(fake))
        return RawDriver(make_client(config.base_url(service), service=service, timeouts=TIMEOUTS,
                                     transport=transport), service=service, tenant_slug=tenant_slug)

    monkeypatch.setattr("support.screenplay.world.make_client", client)
    monkeypatch.setattr("support.tasks.operations.raw_driver", raw)
    return fake


@pytest.fixture
def world(platform: FakePlatform) -> World:
    services = {name: ServiceConfig(base_url=f"http://{name}.test") for name in ("identity", "sales", "anomaly")}
    config = SuiteConfig(env_name="test", managed=False, services=services,
                         operator=Credentials("operator@example.test", "secret"), signing_key_pem=None,
                         timeouts=TIMEOUTS, budgets={}, seed=7, capabilities=frozenset())
    return World(config, seed=7)


def answer(status: int, *, headers: dict[str, str] | None = None, body: Any = None, sent: dict[str, str] | None = None,
           path: str = "/api/v1/clients") -> httpx.Response:
    request = httpx.Request("GET", f"http://sales.test{path}", headers=sent or {})
    return httpx.Response(status, headers=headers or {}, json=body if body is not None else {}, request=request)


# -- bodies of exact sizes ---------------------------------------------------------------------------------
def test_padded_json_is_exactly_the_size_asked_and_means_the_same() -> None:
    body = {"name": "Zoë", "rows": [[1.5]]}
    padded = padded_json(body, ORDINARY_LIMIT + 512)
    assert len(padded) == ORDINARY_LIMIT + 512 and json.loads(padded) == body
    with pytest.raises(ValueError):
        padded_json(body, 3)


def test_a_stream_of_a_given_size_has_short_lines_each_a_reading() -> None:
    sent = payload(FORMS["a stream of readings"], {"trained": "d1"}, size=LARGE_LIMIT - 512)
    lines = sent.content.decode().splitlines()
    assert len(sent.content) == LARGE_LIMIT - 512 and sent.content_type == "application/x-ndjson"
    assert max(len(line) for line in lines) < STREAM_LINE and all("temperature" in json.loads(x) for x in lines)


def test_a_data_file_form_is_exactly_the_size_asked_framing_included() -> None:
    sent = payload(FORMS["a data file for a dataset"], {}, size=LARGE_LIMIT + 512)
    csv = sent.content.split(b"\r\n\r\n")[-1].rsplit(b"\r\n--", 1)[0]
    assert len(sent.content) == LARGE_LIMIT + 512 and len(csv) < LARGE_LIMIT + 512
    assert sent.rows == csv.count(b"\n") - 1 and sent.content_type.startswith("multipart/form-data; boundary=")


# -- the raw driver ------------------------------------------------------------------------------------------
def test_plain_text_goes_where_the_form_goes_labelled_as_text(platform: FakePlatform) -> None:
    driver = RawDriver(make_client("http://sales.test", service="sales", timeouts=TIMEOUTS,
                                   transport=StripRequestId(httpx.MockTransport(platform))), service="sales")
    driver.make_as_plain_text(FORMS["a move of her deal"], {"deal": "d1"})
    request = platform.requests[-1]
    assert (request.method, request.url.path) == ("POST", "/api/v1/deals/d1/transitions")
    assert request.headers["content-type"].startswith("text/plain")
    assert json.loads(request.content) == {"to": "qualified"}


def test_a_request_marked_with_no_reference_carries_none_and_one_marked_carries_its_own(platform: FakePlatform) -> None:
    driver = RawDriver(make_client("http://sales.test", service="sales", timeouts=TIMEOUTS,
                                   transport=StripRequestId(httpx.MockTransport(platform))), service="sales")
    driver.read_list(**marked(None))
    driver.read_list(**marked("ops-1"))
    assert "x-request-id" not in platform.requests[0].headers
    assert platform.requests[1].headers["x-request-id"] == "ops-1"


# -- tasks on a fake platform -----------------------------------------------------------------------------------
def test_records_are_made_once_each_and_a_deal_for_a_client_of_its_own(world: World, platform: FakePlatform) -> None:
    rita = world.actor("Rita")
    first = ops.records_for(world, rita, ("deal",))
    again = ops.records_for(world, rita, ("client", "deal"))
    posts = [r.url.path for r in platform.requests if r.method == "POST" and r.url.path.startswith("/api/v1/")]
    assert first == again and set(first) == {"client", "deal"}
    assert posts.count("/api/v1/clients") == 1 and posts.count("/api/v1/deals") == 1


def test_fields_are_added_to_sound_bodies_and_each_answer_expects_its_own_rule(world: World,
                                                                             platform: FakePlatform) -> None:
    batch = ops.send_with_field(world, [{"who": "Rita", "request": "a change of her deal", "field": "stage"}])
    sent = json.loads(platform.requests[-1].content)
    assert sent == {"title": "Forklift fleet, phase 2", "stage": "won"} and platform.requests[-1].method == "PATCH"
    assert list(batch.expected) == ["Rita: a change of her deal with stage"]


def test_every_kind_of_request_fails_when_a_kind_did_not_get_its_answer(world: World) -> None:
    with pytest.raises(AssertionError, match="no pass was meant to be answered 401"):
        ops.every_kind_of_request(world)


def test_a_search_is_the_servers_and_names_the_events_it_must_and_must_not_hold(world: World,
                                                                               platform: FakePlatform) -> None:
    rita, ravi = world.actor("Rita"), world.actor("Ravi")
    audit.searchable_happenings(world, rita, ravi)
    searches = audit.search_trail(world, world.actor("Alice"), [
        {"by": "action", "for": "deal.transitioned", "finds": "Rita's move", "leaves out": "Ravi's client"}])
    asked = platform.requests[-1]
    assert asked.url.params["action"] == "deal.transitioned" and asked.url.path == "/api/v1/audit-events"
    assert searches[0].finds == audit.happening(world, "Rita's move").request_ids


# -- floods --------------------------------------------------------------------------------------------------
class Limiter:
    """A fake service keeping `allowance` reads per key, then refusing with a proper 429."""

    def __init__(self, allowance: int, *, retry_after: str = "1") -> None:
        self.allowance, self.retry_after, self.seen = allowance, retry_after, {}
        self.lock = threading.Lock()

    def caller(self, key: str) -> Callable[[], httpx.Response]:
        def call() -> httpx.Response:
            with self.lock:
                self.seen[key] = count = self.seen.get(key, 0) + 1
            sent = {"X-Request-ID": str(uuid.uuid4())}
            if count <= self.allowance:
                return answer(200, sent=sent, headers={**sent, "x-content-type-options": "nosniff"})
            problem = {"type": "https://problems.platform.example/rate-limited", "title": "t", "status": 429,
                       "detail": "d"}
            return answer(429, sent=sent, body=problem, headers={
                **sent, "content-type": "application/problem+json", "retry-after": self.retry_after,
                "x-content-type-options": "nosniff", "cache-control": "no-store"})
        return call


def test_a_flood_stops_one_wave_after_the_first_refusal_with_the_bystander_served_meanwhile() -> None:
    limiter = Limiter(45)
    outcome = run(Flood(Limit(20, 40), ["Rita"]), [limiter.caller("acme")], lambda: answer(200))
    assert outcome.first_refused_wave == 3 and outcome.waves == 4
    assert not outcome.slowdown_faults() and not outcome.bystander_faults("Bob") and not outcome.other_faults()


def test_a_flood_that_cannot_outpace_the_limit_fails_with_the_measured_rate() -> None:
    outcome = run(Flood(Limit(20, 40), ["Rita"]), [lambda: answer(200)], lambda: answer(200), max_requests=30)
    assert not outcome.conclusive
    assert "could not outpace the limit" in outcome.slowdown_faults()[0] and "per second" in outcome.summary()


def test_a_limiter_that_counts_per_person_is_caught_by_a_flood_from_three_people() -> None:
    limiter = Limiter(1000)   # each person alone stays far below what a per-person limiter would refuse
    callers = [limiter.caller(name) for name in ("Rita", "Ravi", "Maria")]
    outcome = run(Flood(Limit(20, 40), ["Rita", "Ravi", "Maria"]), callers, lambda: answer(200))
    assert outcome.conclusive and not outcome.slowed
    assert "must have refused some" in outcome.slowdown_faults()[0]
    assert max(limiter.seen.values()) < Limit(20, 40).most_allowed(outcome.seconds)


def test_an_allowance_shared_by_all_companies_is_caught_by_the_bystander() -> None:
    shared = Limiter(45).caller("everyone")
    outcome = run(Flood(Limit(20, 40), ["Rita"]), [shared], shared)
    assert outcome.slowed and "Bob was not served" in " ".join(outcome.bystander_faults("Bob"))


def test_refusals_without_a_time_to_retry_or_too_early_are_faults() -> None:
    outcome = run(Flood(Limit(20, 40), ["Rita"]), [Limiter(10, retry_after="").caller("acme")], lambda: answer(200))
    faults = " ".join(outcome.slowdown_faults())
    assert "Only 10 reads were served" in faults and "no Retry-After" in faults


# -- the judgements ------------------------------------------------------------------------------------------
def test_each_answer_lists_every_broken_answer_by_label() -> None:
    answers = {"a": answer(404, body={"status": 404}), "b": answer(200)}
    matcher = each_answer(is_problem("not-found"))
    assert not matcher.matches(answers) and not matcher.matches({})
    assert "b: the status is 200" in " ".join(matcher.broken(answers))


def test_references_must_be_echoed_and_fresh_ones_never_repeated() -> None:
    echoed = answer(200, sent={"X-Request-ID": "r1"}, headers={"X-Request-ID": "r1"})
    assert EchoesReference().matches(echoed)
    assert not EchoesReference().matches(answer(200, headers={"X-Request-ID": "r"}))
    twice = {"a": answer(200, headers={"X-Request-ID": "same"}), "b": answer(200, headers={"X-Request-ID": "same"})}
    assert "handed out before" in " ".join(FreshReferences().broken(twice))


def _page(number: int, size: int, ids: list[str], total: int) -> httpx.Response:
    items = [{"id": item, "created_at": f"2026-12-01T10:00:0{item}Z"} for item in ids]
    return answer(200, body={"items": items, "page": number, "page_size": size, "total": total})


def test_list_faults_find_newest_first_repeats_and_wrong_totals() -> None:
    whole = [{"id": item, "created_at": f"2026-12-01T10:00:0{item}Z"} for item in ("3", "2", "1")]
    pages = [_page(1, 2, ["3", "2"], 3), _page(2, 2, ["1"], 3)]
    newest_first = ListRead("clients", 2, pages, whole, made=["1", "2", "3"])
    faults = " ".join(list_faults(newest_first))
    assert "not oldest first" in faults and "listed as" in faults
    oldest = list(reversed(whole))
    repeated = ListRead("clients", 2, [_page(1, 2, ["1", "2"], 3), _page(2, 2, ["2"], 4)], oldest)
    assert "not the whole list" in " ".join(list_faults(repeated)) and "totals" in " ".join(list_faults(repeated))
    sound = ListRead("clients", 2, [_page(1, 2, ["1", "2"], 3), _page(2, 2, ["3"], 3)], oldest, made=["1", "3"])
    assert list_faults(sound) == []


def test_trail_faults_count_duplicates_and_check_the_form_of_events() -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    event = {"id": "e1", "occurred_at": now, "actor_id": "rita", "action": "client.created",
             "resource_type": "client", "resource_id": "c1", "outcome": "success", "request_id": "r1"}
    expected = [ExpectedEvents("her client", 1, "success", actor_id="rita", resource_id="c1",
                               caused_by=frozenset({"r1"}))]
    assert trail_faults([event], expected) == []
    assert "none of the requests" in " ".join(trail_faults([{**event, "request_id": "r9"}], expected))
    assert "2 events instead of 1" in " ".join(trail_faults([event, {**event, "id": "e2"}], expected))
    assert "has no resource_type" in " ".join(trail_faults([{k: v for k, v in event.items() if k != "resource_type"}],
                                                            expected))


def test_search_faults_catch_a_server_that_ignores_the_filter() -> None:
    kept, left = {"request_id": "r1", "action": "deal.transitioned"}, {"request_id": "r2", "action": "client.created"}
    ignored = answer(200, body={"items": [kept, left], "page": 1, "page_size": 100, "total": 2})
    search = Search("by action", "action", "deal.transitioned", ignored, frozenset({"r1"}), frozenset({"r2"}),
                    (kept, left))
    faults = " ".join(search_faults(search))
    assert "should leave out" in faults and "whose action is not" in faults


METRICS = """# TYPE http_requests_total counter
http_requests_total{{method="GET",route="/api/v1/clients",status="200"}} {ok}
http_requests_total{{method="GET",route="/api/v1/clients",status="422"}} {refused}
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{{method="GET",route="/api/v1/clients",le="0.1"}} {timed}
http_request_duration_seconds_bucket{{method="GET",route="/api/v1/clients",le="+Inf"}} {timed}
http_request_duration_seconds_sum{{method="GET",route="/api/v1/clients"}} 0.5
http_request_duration_seconds_count{{method="GET",route="/api/v1/clients"}} {counted}
"""


def test_the_request_count_must_grow_exactly_on_one_route_and_the_histogram_add_up() -> None:
    before = METRICS.format(ok=10, refused=1, timed=11, counted=11)
    after = METRICS.format(ok=15, refused=4, timed=19, counted=19)
    assert growth_faults(before, after, reads=5, refusals=3) == [] and timing_faults(before, after, at_least=8) == []
    assert growth_faults(before, METRICS.format(ok=20, refused=4, timed=27, counted=27), reads=5, refusals=3)
    assert histogram_faults(METRICS.format(ok=1, refused=1, timed=3, counted=2))
