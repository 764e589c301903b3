"""Rate-limit buckets and metrics shared by a service's worker processes (services.common.shared_state)."""

from __future__ import annotations

import multiprocessing
import re
import time
from pathlib import Path

import pytest

from services.common.metrics import Metrics
from services.common.ratelimit import TenantRateLimiter
from services.common.shared_state import SharedFile, SharedMetrics, SharedPassStates, SharedRateLimiter

OBSERVED = [("GET", "/api/v1/deals", 200, 0.004), ("GET", "/api/v1/deals", 200, 0.005),
            ("GET", "/api/v1/deals", 429, 0.3), ("POST", "/api/v1/deals", 201, 12.0)]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    shared = tmp_path / "sales.shared.sqlite"
    SharedFile.recreate(shared)
    return shared


def _count(text: str, labels: str) -> float:
    found = re.search(rf"^{re.escape(labels)} (\S+)$", text, re.MULTILINE)
    assert found, f"no line {labels} in:\n{text}"
    return float(found.group(1))


def test_workers_take_from_one_bucket_per_tenant(path: Path) -> None:
    first, second = (SharedRateLimiter(SharedFile(path), rate_per_second=0.001, burst=3) for _ in range(2))
    taken = [first.acquire("acme"), second.acquire("acme"), first.acquire("acme")]
    assert taken == [None, None, None]
    wait = second.acquire("acme")
    assert wait is not None and wait > 900  # the fourth of a burst of 3 waits for the next token (1000 s at 0.001/s)
    assert first.acquire("globex") is None  # another tenant's bucket is full


def test_the_shared_bucket_refills_at_the_rate(path: Path) -> None:
    limiter = SharedRateLimiter(SharedFile(path), rate_per_second=1000, burst=1)
    assert limiter.acquire("acme") is None
    wait = limiter.acquire("acme")
    assert wait is None or wait <= 0.001


def _take_in_another_process(path: str, tenant: str, times: int, answers: multiprocessing.Queue) -> None:
    limiter = SharedRateLimiter(SharedFile(Path(path)), rate_per_second=0.001, burst=4)
    answers.put([limiter.acquire(tenant) is None for _ in range(times)])


def test_another_process_sees_the_tokens_taken_here(path: Path) -> None:
    here = SharedRateLimiter(SharedFile(path), rate_per_second=0.001, burst=4)
    assert [here.acquire("acme") is None for _ in range(3)] == [True, True, True]
    answers: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
    child = multiprocessing.get_context("spawn").Process(target=_take_in_another_process,
                                                         args=(str(path), "acme", 2, answers))
    child.start()
    child.join(timeout=30)
    assert child.exitcode == 0
    assert answers.get(timeout=5) == [True, False]  # one token was left of the burst of 4


def test_shared_metrics_add_up_every_workers_answers_and_render_like_one_process(path: Path) -> None:
    workers = [SharedMetrics(SharedFile(path)) for _ in range(2)]
    alone = Metrics()
    for index, (method, route, status, seconds) in enumerate(OBSERVED):
        workers[index % 2].observe(method, route, status, seconds)
        alone.observe(method, route, status, seconds)
    rendered = SharedMetrics(SharedFile(path)).render()
    assert rendered == alone.render()
    assert _count(rendered, 'http_requests_total{method="GET",route="/api/v1/deals",status="200"}') == 2
    base = 'http_request_duration_seconds_bucket{method="GET",route="/api/v1/deals",le='
    assert _count(rendered, base + '"0.005"}') == 2  # a bound holds the durations equal to it
    assert _count(rendered, base + '"0.25"}') == 2
    assert _count(rendered, base + '"0.5"}') == 3
    post = 'http_request_duration_seconds_bucket{method="POST",route="/api/v1/deals",le='
    assert _count(rendered, post + '"10.0"}') == 0
    assert _count(rendered, post + '"+Inf"}') == 1


def test_the_in_process_limiter_and_the_shared_one_agree(path: Path) -> None:
    shared = SharedRateLimiter(SharedFile(path), rate_per_second=0.001, burst=2)
    alone = TenantRateLimiter(rate_per_second=0.001, burst=2)
    assert [shared.acquire("acme") is None for _ in range(3)] == [alone.acquire("acme") is None for _ in range(3)]


def test_recreating_starts_afresh(path: Path) -> None:
    SharedMetrics(SharedFile(path)).observe("GET", "/health/live", 200, 0.001)
    SharedFile.recreate(path)
    assert "http_requests_total{" not in SharedMetrics(SharedFile(path)).render()


def test_identitys_last_answer_about_a_pass_is_recalled_by_another_worker(path: Path) -> None:
    SharedPassStates(SharedFile(path)).remember("jti-1", {"roles": [], "ok": False}, until=time.time() + 60)
    other = SharedPassStates(SharedFile(path))
    assert other.recall("jti-1") == {"roles": [], "ok": False}
    assert other.recall("jti-2") is None


def test_answers_about_expired_passes_are_cleared(path: Path) -> None:
    states = SharedPassStates(SharedFile(path))
    states.remember("old", {"roles": ["sales_rep"], "ok": True}, until=time.time() - 1)
    states.remember("new", {"roles": ["sales_rep"], "ok": True}, until=time.time() + 60)
    assert states.recall("old") is None and states.recall("new") is not None
