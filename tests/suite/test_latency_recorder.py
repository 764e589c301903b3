"""Every answer's time is counted under its service and route template (support/http/latency.py), no services."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from signoff.latency import UNKNOWN_ROUTE, LatencyBudgets
from support.http.latency import LatencyRecorder, write_samples
from support.runner.config import ConfigError, load_config


@dataclass(frozen=True)
class _Route:
    template: str


class _Book:
    """The route table of the contract, as far as these tests need it."""

    def route(self, service: str, method: str, path: str) -> _Route | None:
        if path.startswith("/api/v1/deals/"):
            return _Route("/api/v1/deals/{id}")
        return _Route(path) if path == "/api/v1/deals" else None


def _answered(method: str, url: str, millis: float = 12.0) -> httpx.Response:
    answer = httpx.Response(200, json={}, request=httpx.Request(method, url))
    answer.elapsed = timedelta(milliseconds=millis)
    return answer


def test_answers_are_counted_under_their_route_template_and_unknown_paths_say_so() -> None:
    recorder = LatencyRecorder(lambda: _Book())  # type: ignore[arg-type, return-value]
    recorder.observe(_answered("GET", "http://x/api/v1/deals/3f2a?x=1", 12.0), "sales")
    recorder.observe(_answered("GET", "http://x/api/v1/deals/9b1c", 30.0), "sales")
    recorder.observe(_answered("POST", "http://x/api/v1/deals"), "sales")
    recorder.observe(_answered("GET", "http://x/somewhere"), "sales")
    assert recorder.snapshot() == {
        "sales GET /api/v1/deals/{id}": [12.0, 30.0],
        "sales GET " + UNKNOWN_ROUTE: [12.0],
        "sales POST /api/v1/deals": [12.0],
    }
    assert recorder.count() == 4


def test_a_disabled_recorder_counts_nothing_and_the_samples_file_carries_the_budgets(tmp_path: Path) -> None:
    off = LatencyRecorder(lambda: _Book(), enabled=False)  # type: ignore[arg-type, return-value]
    off.observe(_answered("GET", "http://x/api/v1/deals"), "sales")
    assert off.count() == 0
    on = LatencyRecorder(lambda: _Book())  # type: ignore[arg-type, return-value]
    on.observe(_answered("GET", "http://x/api/v1/deals"), "sales")
    write_samples(on, tmp_path / "latency" / "run.json", environment="local", budgets=LatencyBudgets())
    document = json.loads((tmp_path / "latency" / "run.json").read_text())
    assert document["environment"] == "local" and document["budgets"]["read_p95_ms"] == 300.0
    assert document["samples"] == {"sales GET /api/v1/deals": [12.0]}


def test_the_environments_budgets_are_read_with_their_routes() -> None:
    budgets = load_config({}, {}).budgets
    assert (budgets.read_p95_ms, budgets.write_p95_ms, budgets.min_samples) == (300, 500, 20)
    assert budgets.for_route("identity", "POST", "/api/v1/auth/token") == (1500.0, "route")
    assert budgets.for_route("sales", "DELETE", "/api/v1/deals/{id}") == (500.0, "writes")


@pytest.mark.parametrize(("override", "complaint"), [
    ({"budgets.p50_ms": "10"}, "budgets.p50_ms: unknown budget"),
    ({"budgets.min_samples": "0"}, "budgets.min_samples: must be at least 1"),
])
def test_a_wrong_budget_is_a_clear_configuration_error(override: dict[str, str], complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint):
        load_config(override, {})
