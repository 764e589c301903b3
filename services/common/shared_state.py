"""What the worker processes of one service share: rate-limit buckets, /metrics counts, identity's answers.

With `WEB_CONCURRENCY` > 1 a service runs several worker processes on one port (uvicorn's supervisor). A
tenant's rate limit and the metrics are the service's, not one worker's, and a pass one worker was told is
revoked must stay refused by all of them while identity is down; so they live in one small SQLite
file beside the data (`<DATA_DIR>/<service>.shared.sqlite`), written in short transactions. None of it has
to outlive the service: the file is recreated when the service starts (full buckets, counters at zero, as
Prometheus expects of a restart) and written without fsync.

Written by hand: prometheus_client's multiprocess mode needs a process-wide directory variable set before
import and its own exposition; no well-kept library keeps token buckets across processes without a server.
The stdlib's sqlite3 gives the cross-process locking and atomicity.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from services.common.metrics import BUCKETS, MetricsSnapshot, bucket_index, render_text
from services.common.ratelimit import Bucket, take_token

_SCHEMA = """
CREATE TABLE buckets (tenant TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE requests (method TEXT, route TEXT, status TEXT, count INTEGER NOT NULL,
                       PRIMARY KEY (method, route, status));
CREATE TABLE passes (jti TEXT PRIMARY KEY, state TEXT NOT NULL, until REAL NOT NULL);
CREATE TABLE durations (method TEXT, route TEXT, bucket INTEGER, count INTEGER NOT NULL, total REAL NOT NULL,
                        PRIMARY KEY (method, route, bucket));
"""


def shared_file(data_dir: Path, service: str) -> Path:
    return data_dir / f"{service}.shared.sqlite"


class SharedFile:
    """One connection per process (used from the event loop and, for /metrics, a worker thread: locked)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    @staticmethod
    def recreate(path: Path) -> None:
        """Start afresh: called once by the service's supervisor before its workers start."""
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
        connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._connect()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            uri = f"{self.path.resolve().as_uri()}?mode=rw"  # made by recreate(); never a new empty file here
            connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=5)
            connection.execute("PRAGMA synchronous=OFF")
            self._connection = connection
        return self._connection


class SharedRateLimiter:
    def __init__(self, store: SharedFile, rate_per_second: float, burst: int) -> None:
        self.store = store
        self.rate = rate_per_second
        self.burst = float(burst)

    def acquire(self, tenant_id: str) -> float | None:
        """Take one token from the tenant's bucket shared by all workers; None when allowed, else the wait."""
        with self.store.transaction() as connection:
            now = time.monotonic()
            row = connection.execute("SELECT tokens, updated FROM buckets WHERE tenant = ?", (tenant_id,)).fetchone()
            bucket = Bucket(*row) if row else Bucket(self.burst, now)
            wait = take_token(bucket, now, self.rate, self.burst)
            connection.execute("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?)",
                               (tenant_id, bucket.tokens, bucket.updated))
        return wait


class SharedMetrics:
    def __init__(self, store: SharedFile) -> None:
        self.store = store

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self.store.transaction() as connection:
            connection.execute("INSERT INTO requests VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET count = count + 1",
                               (method, route, str(status)))
            connection.execute("INSERT INTO durations VALUES (?, ?, ?, 1, ?) ON CONFLICT DO UPDATE SET "
                               "count = count + 1, total = total + excluded.total",
                               (method, route, bucket_index(seconds), seconds))

    def render(self) -> str:
        snapshot = MetricsSnapshot()
        with self.store.transaction() as connection:
            for method, route, status, count in connection.execute("SELECT * FROM requests"):
                snapshot.requests[(method, route, status)] += count
            for method, route, bucket, count, total in connection.execute("SELECT * FROM durations"):
                snapshot.buckets.setdefault((method, route), [0] * (len(BUCKETS) + 1))[bucket] += count
                snapshot.sums[(method, route)] += total
        return render_text(snapshot)



class SharedPassStates:
    """Identity's last answer about each pass (roles, still valid), kept until the pass expires."""

    def __init__(self, store: SharedFile) -> None:
        self.store = store

    def remember(self, jti: str, state: dict[str, Any], until: float) -> None:
        with self.store.transaction() as connection:
            connection.execute("INSERT OR REPLACE INTO passes VALUES (?, ?, ?)", (jti, json.dumps(state), until))
            connection.execute("DELETE FROM passes WHERE until < ?", (time.time(),))

    def recall(self, jti: str) -> dict[str, Any] | None:
        with self.store.transaction() as connection:
            row = connection.execute("SELECT state FROM passes WHERE jti = ?", (jti,)).fetchone()
        return json.loads(row[0]) if row else None
