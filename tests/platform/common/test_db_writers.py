"""SQLite writers of one process queue on a lock, given back whatever way their transaction ends."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, func, inspect, select
from sqlalchemy.exc import OperationalError

from services.common import db as db_module
from services.common.db import Database, insert_now
from tests.platform.common.notes import Base, Note


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'writers.db'}")
    database.create_all(Base)
    yield database
    database.dispose()


def lock_is_free(db: Database) -> bool:
    lock = db.writers._lock
    if lock.acquire(blocking=False):
        lock.release()
        return True
    return False


def test_concurrent_writers_all_commit_and_the_lock_is_free_after(db: Database) -> None:
    def write(number: int) -> None:
        with db.session() as session:
            session.add(Note(text=f"note {number}"))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(write, range(64)))

    with db.session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 64
    assert lock_is_free(db)


def test_a_failed_write_gives_the_lock_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(Note(text="never kept"))
        session.flush()
        raise RuntimeError("the request failed")

    assert lock_is_free(db)
    with db.session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 0


def test_a_ping_gives_the_lock_back(db: Database) -> None:
    assert db.ping()
    assert lock_is_free(db)


def test_readers_never_queue_behind_a_writer(db: Database) -> None:
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:
        with db.session() as session:
            session.add(Note(text="slow write"))
            session.flush()
            writing.set()
            done.wait(timeout=10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(timeout=10)
    try:
        assert not lock_is_free(db)
        with db.session(readonly=True) as session:  # answered while the writer still holds the lock
            assert session.scalar(select(func.count()).select_from(Note)) == 0
    finally:
        done.set()
        thread.join(timeout=10)
    assert lock_is_free(db)


def test_a_lock_never_given_back_is_passed_over_after_its_patience(db: Database) -> None:
    db.writers._patience_s = 0.2
    assert db.writers._lock.acquire(blocking=False)  # lost by somebody, never given back
    with db.session() as session:
        session.add(Note(text="written anyway"))
    with db.session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 1


def test_a_writer_of_another_process_waits_for_the_open_write_then_goes_on(db: Database, tmp_path: Path) -> None:
    """Two Database objects on one file stand for two worker processes: each holds its own flock.

    The other one's SQLite busy handler is off, so it writes only if it waited on the flock, never on SQLite.
    """
    other = Database(f"sqlite:///{tmp_path / 'writers.db'}")
    event.listen(other.engine, "connect", lambda connection, _record: connection.execute("PRAGMA busy_timeout=0"))
    finished = threading.Event()

    def write_from_the_other_process() -> None:
        with other.session() as session:
            session.add(Note(text="second"))
        finished.set()

    try:
        with db.session() as session:
            session.add(Note(text="first"))
            session.flush()  # the write transaction is open: this process holds the file's writer lock
            writer = threading.Thread(target=write_from_the_other_process)
            writer.start()
            assert not finished.wait(0.5), "the other process wrote while this one's write was still open"
        writer.join(timeout=10)
        assert finished.is_set(), "the other process's writer never got the lock after the commit"
        with db.session(readonly=True) as session:
            assert session.scalars(select(Note.text).order_by(Note.id)).all() == ["first", "second"]
        assert lock_is_free(db) and lock_is_free(other)
    finally:
        other.dispose()


def test_a_row_inserted_at_once_commits_with_its_write_and_only_then(db: Database) -> None:
    kept, dropped = Note(id=1, text="kept"), Note(id=2, text="dropped")
    with db.session() as session:
        insert_now(session, kept)
    with pytest.raises(RuntimeError), db.session() as session:
        insert_now(session, dropped)
        raise RuntimeError("the write fails after its insert")
    with db.session(readonly=True) as session:
        assert session.scalars(select(Note.text)).all() == ["kept"]
    assert inspect(kept).transient, "the row was inserted by its own statement: the ORM must never flush it again"
    assert lock_is_free(db)


def test_a_begin_the_database_refuses_fails_as_an_unreachable_database() -> None:
    class Refusing:
        def execute(self, statement: str) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(OperationalError) as refused:  # SQLAlchemy's: the services answer it with a 503
        db_module._begin(Refusing(), "BEGIN IMMEDIATE")  # type: ignore[arg-type]
    assert isinstance(refused.value.orig, sqlite3.OperationalError)
