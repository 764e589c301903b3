"""A committed write survives its process being killed at once (contract §1: SIGKILL, then a restart).

SQLite runs in WAL mode with `synchronous=NORMAL` (services/common/db.py): a commit is written into the WAL
file before it returns, but not fsynced. These tests kill a writer the moment its commits return, then open
the database as a restarted service would and find every row.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select

from services.common.db import Database
from tests.platform.common.notes import Base, Note

ROOT = Path(__file__).resolve().parents[3]
ROWS = 200

WRITER = textwrap.dedent("""
    import os, signal, sys
    from services.common.db import Database
    from tests.platform.common.notes import Note
    database = Database(sys.argv[1])
    for number in range({rows}):
        with database.session() as session:
            session.add(Note(id=number, text=f"note {{number}}"))
    os.kill(os.getpid(), signal.SIGKILL)  # no checkpoint, no close: the process is gone after its last commit
""")


def test_every_committed_write_survives_a_kill_right_after_its_commit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'durable.db'}"
    Database(url).create_all(Base)
    killed = subprocess.run([sys.executable, "-c", WRITER.format(rows=ROWS), url], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    assert (tmp_path / "durable.db-wal").stat().st_size > 0, "the commits never reached the WAL file"
    restarted = Database(url)
    with restarted.session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Note)) == ROWS
        assert session.get(Note, ROWS - 1).text == f"note {ROWS - 1}"
    restarted.dispose()


def test_connections_use_the_wal_without_an_fsync_per_commit(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'settings.db'}")
    with database.engine.connect() as connection:
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar()
    database.dispose()
    assert (journal, synchronous) == ("wal", 1), "WAL with synchronous=NORMAL (1) is the documented durability"
