"""Every answer's time, per service and route template, for the latency budgets (hooked into `make_client`).

The route template comes from the contract's route table (`support.http.schemas.SchemaBook.route`, the one
route matcher of the suite): `GET /api/v1/deals/3f2a...` is counted under `sales GET /api/v1/deals/{id}`.
A path the table does not know is counted under its service and method with `(route not in the contract's
table)`. The hooks write the samples at the end of the run (`support.runner.evidence`); the report, the
sign-off and the gate judge them against the environment's budgets (`signoff.latency`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

from signoff.latency import UNKNOWN_ROUTE, LatencyBudgets, route_key
from support.http import conformance
from support.http.exchanges import STARTED
from support.http.schemas import SchemaBook

BookOf = Callable[[], SchemaBook]


class LatencyRecorder:
    """Answer times in milliseconds by `"<service> <METHOD> <route template>"`; thread-safe."""

    def __init__(self, book: BookOf, *, enabled: bool = True) -> None:
        self._book = book
        self.enabled = enabled
        self.samples: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()

    def observe(self, answer: httpx.Response, service: str) -> None:
        """Count the answer's time under its route (call after the body was read)."""
        if not self.enabled:
            return
        millis = elapsed_ms(answer)
        if millis is None:
            return
        request = answer.request
        path = request.url.raw_path.decode("ascii", "replace").split("?", 1)[0]
        route = self._book().route(service, request.method, path)
        key = route_key(service, request.method, route.template if route is not None else UNKNOWN_ROUTE)
        with self._lock:
            self.samples[key].append(round(millis, 2))

    def snapshot(self) -> dict[str, list[float]]:
        with self._lock:
            return {key: list(values) for key, values in sorted(self.samples.items())}

    def count(self) -> int:
        with self._lock:
            return sum(len(values) for values in self.samples.values())


def elapsed_ms(answer: httpx.Response) -> float | None:
    """From sending the request to the whole answer read: httpx's `elapsed`, else the time since it was sent."""
    try:
        return answer.elapsed.total_seconds() * 1000
    except RuntimeError:
        started = answer.request.extensions.get(STARTED)
        return (time.monotonic() - started) * 1000 if started is not None else None


def write_samples(recorder: LatencyRecorder, path: Path, *, environment: str, budgets: LatencyBudgets) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"environment": environment, "budgets": budgets.as_dict(), "samples": recorder.snapshot()}
    path.write_text(json.dumps(document), encoding="utf-8")


# -- the process's recorder ---------------------------------------------------------------------------------
def _shared_book() -> SchemaBook:
    return conformance.active().book  # the checks' book, loaded once per process


_ACTIVE = LatencyRecorder(_shared_book)


def active() -> LatencyRecorder:
    """The recorder every suite client reports to (see `make_client`)."""
    return _ACTIVE


def restart(*, enabled: bool = True) -> LatencyRecorder:
    """A new, empty recorder for the run (the hooks call it in before_all)."""
    global _ACTIVE
    _ACTIVE = LatencyRecorder(_shared_book, enabled=enabled)
    return _ACTIVE
