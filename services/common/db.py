"""SQLAlchemy engine and sessions; SQLite in WAL mode, each commit in the file before its 2xx (survives SIGKILL).

Durability is the contract's (§1): a 2xx survives an abrupt kill and restart of the service. In WAL mode a
COMMIT writes the transaction into the WAL file before it returns; with `synchronous=NORMAL` it is not
fsynced then (only at checkpoints), so a killed process loses nothing (the kernel holds the written file),
while a power cut of the whole machine may lose the last commits, which the contract does not ask for
(Rails, since 7.1, and Litestream's guidance use the same setting). `FULL` fsynced every commit on the
event loop while holding the write lock, so every worker's writers waited on the disk: under the capacity
profile the knee moved with the disk's latency, not the code.

A SQLite file that disappears from under the running service (a lost volume, a file moved away) must not
go unnoticed: pooled connections would go on writing into the vanished file and readiness would say "ok".
So the file is created once, connections open it read-write without ever creating it, and a pooled
connection is used only while the file at the path is still the one it opened; otherwise the call fails
like any unreachable database (503, see errors.py) until the file is back.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Engine, Insert, Table, TypeDecorator, create_engine, event, insert, inspect
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        return Path(url[len(prefix):])
    return None


def _normalise_postgres(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


SQLITE_POOL = 40  # connections kept open
SQLITE_OVERFLOW = 160  # opened beyond them under load, closed when returned


class Database:
    """One database per service. Each request gets a session; commits happen before the answer."""

    def __init__(self, url: str) -> None:
        self.url = _normalise_postgres(url)
        path = _sqlite_path(self.url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            if path is not None:
                sqlite3.connect(path).close()  # created here once; later connections never create it
                # As many connections as requests in flight may want (WORKER_THREADS), not QueuePool's default 15.
                self.engine: Engine = create_engine(self.url, creator=_read_write_only(path), pool_size=SQLITE_POOL,
                                                    max_overflow=SQLITE_OVERFLOW)
            else:
                self.engine = create_engine(self.url, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self.writers = WriterQueue(across_processes=path.with_name(path.name + ".writers") if path else None)
            self.writers.listen(self.engine)
            if path is not None:
                event.listen(self.engine, "connect", _remember_file(path))
                event.listen(self.engine, "checkout", _same_file(path))
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        # Reads take no write lock: SQLite WAL readers never wait for the writer.
        self._read_factory = sessionmaker(self.engine.execution_options(readonly_transaction=True),
                                          expire_on_commit=False)

    def create_all(self, base: type[DeclarativeBase]) -> None:
        base.metadata.create_all(self.engine)

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A transaction committed on success; `readonly` ones (GET requests) never take the write lock."""
        session = self.open_session(readonly=readonly)
        try:
            yield session
        except BaseException:
            abandon(session)
            raise
        finish(session)

    def open_session(self, *, readonly: bool = False) -> Session:
        """A session not yet connected (no I/O here): end it with `finish` or `abandon`."""
        return (self._read_factory if readonly else self._factory)()

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def finish(session: Session) -> None:
    """Commit the session's transaction and give its connection back."""
    try:
        session.commit()
    except BaseException:
        abandon(session)
        raise
    session.close()


def abandon(session: Session) -> None:
    """Roll the session's transaction back and give its connection back."""
    try:
        session.rollback()
    finally:
        session.close()


_INSERTS: dict[Table, Insert] = {}


def insert_now(session: Session, row: object) -> None:
    """Insert a new mapped `row` at once, with one Core statement in the session's transaction.

    For a plain new row the ORM's unit of work (flush: sort, state bookkeeping) cost a quarter of a write's
    CPU (a new deal and its audit event: 1.56 ms with the flush, 1.16 ms without); this skips it. `row` stays
    transient, so it is never flushed again: set every column it needs (one left unset gets its table default)."""
    state = inspect(row)
    table = state.mapper.local_table
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    values = {prop.columns[0].key: state.dict[prop.key] for prop in state.mapper.column_attrs if prop.key in state.dict}
    session.execute(statement, values)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _read_write_only(path: Path):
    """Open the existing file read-write; a missing file is an error, never a new empty database."""
    uri = f"{path.resolve().as_uri()}?mode=rw"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)

    return connect


def _remember_file(path: Path):
    def remember(_dbapi_connection, record) -> None:
        record.info["sqlite_file"] = _file_identity(path)

    return remember


def _same_file(path: Path):
    def check(_dbapi_connection, record, _proxy) -> None:
        if _file_identity(path) != record.info.get("sqlite_file"):
            raise DisconnectionError(f"the database file {path.name} is no longer the one this connection opened")

    return check


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Autocommit at the driver level; transactions are opened explicitly by WriterQueue.begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # see the module's docstring: SIGKILL-safe in WAL mode
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class WriterQueue:
    """One SQLite writer of this process at a time, the others queued on a lock instead of SQLite's busy handler.

    Writers take SQLite's write lock at BEGIN IMMEDIATE so read-then-write transactions never fail on upgrade.
    When several threads ask for it at once, SQLite's busy handler makes each loser sleep in growing steps (up
    to 100 ms a try), which turns a few concurrent writes into seconds of waiting. Here a writer first waits
    for this process's lock, taken when its transaction begins and given back when it commits or rolls back
    (or its connection is returned, invalidated or closed), so writers follow each other at once. Reads
    (plain BEGIN) never queue: WAL readers do not wait for the writer. A lock not given back within
    `patience_s` is passed over (SQLite's own locking still holds), so a fault here slows writes, never stops
    them.

    With `across_processes` (a lock file beside the database), the holder of this process's lock also takes
    an exclusive flock on it, so the writers of several worker processes (WEB_CONCURRENCY) follow each other
    the same way. The kernel hands the flock over at once when its holder's transaction ends, or when the
    holding process dies.
    """

    def __init__(self, patience_s: float = 5.0, across_processes: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None  # id of the DBAPI connection whose transaction holds the lock
        self._patience_s = patience_s
        self._lock_file = across_processes
        self._fd: int | None = None
        self._flocked = False

    def listen(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.committing)
        event.listen(engine, "rollback", self.rolling_back)
        for name in ("checkin", "invalidate", "soft_invalidate", "close", "reset"):
            event.listen(engine.pool, name, self.returned)

    def begin(self, connection: Any) -> None:
        # BEGIN goes to the driver directly: through SQLAlchemy it costs a whole statement's execution.
        dbapi = connection.connection.dbapi_connection
        if connection.get_execution_options().get("readonly_transaction", False):
            _begin(dbapi, "BEGIN")
            return
        dbapi_id = id(dbapi)
        held = self._lock.acquire(timeout=self._patience_s)
        if held:
            self._holder = dbapi_id
        try:
            if held and self._lock_file is not None:
                self._lock_other_processes_out()
            _begin(dbapi, "BEGIN IMMEDIATE")
        except BaseException:
            self._give_back(dbapi_id)
            raise

    def _lock_other_processes_out(self) -> None:
        if self._fd is None:
            self._fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        self._flocked = True

    def committing(self, connection: Any) -> None:
        self._finish(connection, "COMMIT")

    def rolling_back(self, connection: Any) -> None:
        self._finish(connection, "ROLLBACK")

    def _finish(self, connection: Any, statement: str) -> None:
        """End the holder's transaction here, then give the lock back: SQLAlchemy's events come *before* its
        own COMMIT or ROLLBACK, and a lock given back then would let the next writer find SQLite still locked
        (the driver's own commit is then a no-op: no transaction is open any more)."""
        if connection.invalidated:
            return
        dbapi = connection.connection.dbapi_connection
        if self._holder != id(dbapi):
            return
        try:
            if dbapi.in_transaction:
                dbapi.execute(statement)
        finally:
            self._give_back(id(dbapi))

    def returned(self, dbapi_connection: Any, *_args: Any) -> None:
        self._give_back(id(dbapi_connection))

    def _give_back(self, dbapi_id: int) -> None:
        if self._holder == dbapi_id:
            self._holder = None
            if self._flocked:
                self._flocked = False
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            self._lock.release()


def _begin(dbapi: sqlite3.Connection, statement: str) -> None:
    """`statement` on the driver, its failure raised as SQLAlchemy would (a locked or vanished database: 503)."""
    try:
        dbapi.execute(statement)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from exc


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (portable across SQLite and PostgreSQL), always read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
