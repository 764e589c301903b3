"""Taking a managed service's database away from it, and giving it back (capability `database_faults`).

- SQLite (`sqlite:///path`): the database file and its companions (`-wal`, `-shm`, `-journal`) are moved
  into a folder beside them, so nothing is at the service's path any more (as when a volume is lost);
  giving it back moves them home again. Anything the service left at the path meanwhile (a careless service
  may have created a new, empty file) is put aside first, so the database that comes back is the one taken.
  Files are moved, never copied: the same inodes come back.
- PostgreSQL (`postgresql://user:password@host:port/name`): as the service's own role, on the cluster's
  `postgres` database, `ALTER DATABASE name ALLOW_CONNECTIONS false` and every backend of that database
  terminated; giving it back is `ALLOW_CONNECTIONS true`. The role must own the database or be a superuser
  (the clusters of tools/postgres.py: the superuser `platform`). Other databases of the cluster, the other
  services', are not touched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
CONNECT_TIMEOUT_S = 10


class DatabaseFaultError(RuntimeError):
    """The database cannot be taken away or given back; the message says why."""


@dataclass
class SqliteOutage:
    path: Path
    aside: Path

    def take_away(self) -> None:
        if not self.path.exists():
            raise DatabaseFaultError(f"there is no database file at {self.path} to take away")
        self.aside.mkdir(parents=True, exist_ok=True)
        for suffix in SQLITE_COMPANIONS:
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                source.rename(self.aside / source.name)

    def give_back(self) -> None:
        if not self.aside.exists():
            return
        strays = self.aside.parent / f"{self.aside.name}-strays"
        for suffix in SQLITE_COMPANIONS:
            stray = Path(f"{self.path}{suffix}")
            if stray.exists():
                strays.mkdir(exist_ok=True)
                stray.rename(strays / stray.name)
        for moved in self.aside.iterdir():
            moved.rename(self.path.parent / moved.name)
        shutil.rmtree(self.aside, ignore_errors=True)


@dataclass
class PostgresOutage:
    url: str

    def take_away(self) -> None:
        name = self._name()
        self._run([f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                   "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                   f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"])

    def give_back(self) -> None:
        self._run([f'ALTER DATABASE "{self._name()}" ALLOW_CONNECTIONS true'])

    def _name(self) -> str:
        name = unquote(urlsplit(self.url).path.lstrip("/"))
        if not name or '"' in name or "'" in name:
            raise DatabaseFaultError(f"cannot tell the database's name from its URL (got {name!r})")
        return name

    def _run(self, statements: list[str]) -> None:
        try:
            import psycopg
        except ImportError:
            raise DatabaseFaultError("the Python package psycopg is needed to take a PostgreSQL database "
                                     "away (pip install 'psycopg[binary]')") from None
        parts = urlsplit(self.url)
        try:
            with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=unquote(parts.username or ""),
                                 password=unquote(parts.password or ""), dbname="postgres", autocommit=True,
                                 connect_timeout=CONNECT_TIMEOUT_S) as connection:
                for statement in statements:
                    connection.execute(statement)  # type: ignore[arg-type]
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DatabaseFaultError(f"PostgreSQL refused to change the database's connections: {first}") from None


Outage = SqliteOutage | PostgresOutage


def outage_for(url: str, aside: Path) -> Outage:
    """How to take the database at `url` away; `aside` is where a SQLite file waits meanwhile."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme == "sqlite":
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if not path or ":memory:" in path or "?" in path:
            raise DatabaseFaultError(f"only a SQLite database in a file can be taken away, not {url!r}")
        return SqliteOutage(Path(path), aside)
    if scheme in ("postgresql", "postgres"):
        return PostgresOutage(url)
    raise DatabaseFaultError(f"a {scheme} database cannot be taken away by the suite (SQLite files and "
                             "PostgreSQL databases can)")
