#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster for the reference platform (see docs/POSTGRES.md).

    tools/postgres.py start [--dir DIR] [--port N] [--timezone TZ] [--json]
        initdb a new cluster in DIR (default: a new temp dir), start it on a free loopback port,
        create the databases identity, sales and anomaly, and print shell `export` lines:
        PLATFORM_PG_DIR, PLATFORM_PG_URL, IDENTITY_DATABASE_URL, SALES_DATABASE_URL, ANOMALY_DATABASE_URL.
    tools/postgres.py stop [--dir DIR]        stop the cluster of DIR (default $PLATFORM_PG_DIR), delete DIR
    tools/postgres.py status [--dir DIR]      print the exports again if the cluster runs (exit 1 otherwise)
    tools/postgres.py run [start options] -- COMMAND...
        start, run COMMAND with those variables set, always stop; exits with COMMAND's status.

PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user.
Binaries come from $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin (Debian), else PATH.
Every failure is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DATABASES = ("identity", "sales", "anomaly")
STATE_FILE = "cluster.json"
SUPERUSER = "platform"
SERVER_USER = "postgres"  # the system user that runs the server when we are root


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be used here (binaries or the `postgres` user missing); one-line message."""


class ClusterError(RuntimeError):
    """A step of starting or stopping the cluster failed; one-line message."""


@dataclass(frozen=True)
class Cluster:
    directory: Path
    bindir: Path
    port: int
    password: str = field(repr=False)
    databases: tuple[str, ...] = DEFAULT_DATABASES
    host: str = "127.0.0.1"
    user: str = SUPERUSER
    timezone: str = "UTC"

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def log_file(self) -> Path:
        return self.directory / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{database}"

    def urls(self) -> dict[str, str]:
        return {name: self.url(name) for name in self.databases}

    def env(self) -> dict[str, str]:
        """The variables `start` prints: `<NAME>_DATABASE_URL` per database, plus the cluster's dir and URL."""
        values = {"PLATFORM_PG_DIR": str(self.directory), "PLATFORM_PG_URL": self.url("postgres")}
        values.update({f"{name.upper()}_DATABASE_URL": url for name, url in self.urls().items()})
        return values

    def create_database(self, name: str) -> str:
        """Create one more (empty) database in the cluster; returns its URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ClusterError(f"database name {name!r} must match [a-z_][a-z0-9_]*")
        _sql(self, [f'CREATE DATABASE "{name}"'])
        return self.url(name)

    def save(self) -> None:
        state = {**asdict(self), "directory": str(self.directory), "bindir": str(self.bindir),
                 "databases": list(self.databases)}
        path = self.directory / STATE_FILE
        path.write_text(json.dumps(state, indent=2), encoding="utf-8")
        path.chmod(0o600)

    @classmethod
    def load(cls, directory: Path) -> Cluster:
        path = directory / STATE_FILE
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ClusterError(f"{directory} holds no cluster started by tools/postgres.py ({STATE_FILE} "
                               "missing or unreadable)") from None
        return cls(directory=Path(state["directory"]), bindir=Path(state["bindir"]), port=int(state["port"]),
                   password=state["password"], databases=tuple(state["databases"]), host=state["host"],
                   user=state["user"], timezone=state["timezone"])


# -- discovery --------------------------------------------------------------------------------------
def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bindir(environ: Mapping[str, str] | None = None) -> Path:
    """The directory holding initdb, pg_ctl and postgres; PostgresUnavailable when there is none."""
    env = os.environ if environ is None else environ
    if env.get("PG_BINDIR"):  # chosen explicitly: that one or an error, never a silent fallback
        chosen = Path(env["PG_BINDIR"])
        if all((chosen / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return chosen
        raise PostgresUnavailable(f"PG_BINDIR={chosen} does not hold initdb, pg_ctl and postgres")
    candidates: list[Path] = []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return candidate
    raise PostgresUnavailable("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in $PG_BINDIR, "
                              "/usr/lib/postgresql/*/bin or PATH; install them with: apt-get install -y postgresql")


def _server_account() -> pwd.struct_passwd | None:
    """None when we may run the server ourselves; the `postgres` account when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresUnavailable("running as root, and PostgreSQL refuses root: the 'postgres' system user is "
                                  "missing (apt-get install -y postgresql creates it)") from None


def available() -> str | None:
    """None if a cluster can be started here, else the one-line reason why not."""
    try:
        find_bindir()
        _server_account()
        import psycopg  # noqa: F401  (the databases are created through it)
    except PostgresUnavailable as exc:
        return str(exc)
    except ImportError:
        return "the Python package psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


# -- running PostgreSQL's tools ---------------------------------------------------------------------
def _run_server_tool(argv: Sequence[str], *, cwd: Path, what: str, timeout: float = 120) -> None:
    account = _server_account()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    kwargs: dict[str, Any] = {}
    if account is not None:
        kwargs = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        env.update({"HOME": account.pw_dir, "USER": account.pw_name, "LOGNAME": account.pw_name})
    try:
        done = subprocess.run(list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                              check=False, stdin=subprocess.DEVNULL, **kwargs)
    except subprocess.TimeoutExpired:
        raise ClusterError(f"{what} did not finish within {timeout:.0f} s") from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        raise ClusterError(f"{what} failed: {reason}")


def _sql(cluster: Cluster, statements: Iterable[str]) -> None:
    import psycopg

    try:
        with psycopg.connect(host=cluster.host, port=cluster.port, user=cluster.user, password=cluster.password,
                             dbname="postgres", autocommit=True, connect_timeout=10) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ClusterError(f"SQL on the new cluster failed: {first}") from None


def _give_to_server(path: Path) -> None:
    account = _server_account()
    if account is not None:
        os.chown(path, account.pw_uid, account.pw_gid)


# -- start / stop -----------------------------------------------------------------------------------
def start(directory: Path | None = None, *, port: int | None = None, timezone: str = "UTC",
          databases: Sequence[str] = DEFAULT_DATABASES, durable: bool = False) -> Cluster:
    """initdb + start + create the databases. On failure nothing is left running and a temp dir is removed."""
    bindir = find_bindir()
    _server_account()
    created_dir = directory is None
    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="platform-pg-"))
    else:
        directory = directory.resolve()
        if directory.exists() and any(directory.iterdir()):
            raise ClusterError(f"{directory} is not empty; give a new or empty --dir")
        directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    _give_to_server(directory)
    cluster = Cluster(directory=directory, bindir=bindir, port=port or free_port(), password=secrets.token_hex(16),
                      databases=tuple(databases), timezone=timezone)
    started = False
    try:
        pwfile = directory / "pwfile"
        pwfile.write_text(cluster.password + "\n", encoding="utf-8")
        pwfile.chmod(0o600)
        _give_to_server(pwfile)
        _run_server_tool([str(bindir / "initdb"), "-D", str(cluster.data_dir), "-U", cluster.user,
                          f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                          "--no-sync"], cwd=directory, what="initdb")
        pwfile.unlink()
        socket_dir = directory / "socket"
        socket_dir.mkdir(mode=0o700)
        _give_to_server(socket_dir)
        options = [f"-c listen_addresses={cluster.host}", f"-c port={cluster.port}",
                   f"-c unix_socket_directories='{socket_dir}'", f"-c timezone='{timezone}'",
                   "-c max_connections=200", "-c shared_buffers=32MB"]
        if not durable:  # a throwaway cluster: the host never crashes under it, so skip fsync for speed
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for attempt in range(3):
            try:
                _run_server_tool([str(bindir / "pg_ctl"), "-D", str(cluster.data_dir), "-l", str(cluster.log_file),
                                  "-w", "-t", "60", "-o", " ".join(options), "start"], cwd=directory,
                                 what="pg_ctl start", timeout=90)
                break
            except ClusterError:
                if port is not None or attempt == 2 or "already in use" not in _log_tail(cluster):
                    reason = _log_tail(cluster) or f"see {cluster.log_file}"
                    raise ClusterError(f"pg_ctl start failed: {reason}") from None
                cluster = Cluster(**{**asdict(cluster), "port": free_port()})
                options[1] = f"-c port={cluster.port}"
        started = True
        cluster.save()
        _sql(cluster, [f'CREATE DATABASE "{name}"' for name in cluster.databases])
        return cluster
    except BaseException:
        if started:
            _pg_ctl_stop(cluster)
        if created_dir:
            shutil.rmtree(directory, ignore_errors=True)
        raise


def _log_tail(cluster: Cluster) -> str:
    try:
        lines = [line.strip() for line in cluster.log_file.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    errors = [line for line in lines if "FATAL" in line or "ERROR" in line]
    return (errors or lines or [""])[-1]


def running(cluster: Cluster) -> bool:
    pid_file = cluster.data_dir / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def _pg_ctl_stop(cluster: Cluster) -> None:
    try:
        _run_server_tool([str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "fast", "-w",
                          "-t", "30", "stop"], cwd=cluster.directory, what="pg_ctl stop", timeout=60)
    except ClusterError:
        # Last resort: the postmaster we started, by its own pid file.
        try:
            pid = int((cluster.data_dir / "postmaster.pid").read_text().splitlines()[0])
            os.kill(pid, signal.SIGQUIT)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (OSError, ValueError, IndexError):
            pass


def stop(directory: Path) -> None:
    """Stop the cluster started in `directory` and delete the directory (only one we created)."""
    cluster = Cluster.load(directory)
    if running(cluster):
        _pg_ctl_stop(cluster)
    if running(cluster):
        raise ClusterError(f"the server of {directory} is still running; see {cluster.log_file}")
    shutil.rmtree(directory)


# -- command line -----------------------------------------------------------------------------------
def _exports(cluster: Cluster) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in cluster.env().items())


def _directory(args: argparse.Namespace) -> Path:
    chosen = args.dir or os.environ.get("PLATFORM_PG_DIR")
    if not chosen:
        raise ClusterError("which cluster? give --dir DIR or set PLATFORM_PG_DIR (start prints it)")
    return Path(chosen)


def _start_from(args: argparse.Namespace) -> Cluster:
    return start(Path(args.dir) if args.dir else None, port=args.port, timezone=args.timezone,
                 databases=[name.strip() for name in args.databases.split(",") if name.strip()],
                 durable=args.durable)


def _run(args: argparse.Namespace) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise ClusterError("run needs a command after --")

    cluster = _start_from(args)
    try:
        print(f"postgres: cluster on {cluster.host}:{cluster.port} in {cluster.directory}", file=sys.stderr)
        try:
            child = subprocess.Popen(command, env={**os.environ, **cluster.env()})
        except OSError as exc:
            raise ClusterError(f"cannot run {command[0]}: {exc.strerror}") from None

        def forward(signum: int, _frame: object) -> None:  # SIGTERM: end the command first, then the cluster
            if child.poll() is None:
                child.send_signal(signum)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)  # Ctrl-C reaches the command; we stop the cluster after it
        return child.wait()
    finally:
        stop(cluster.directory)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/postgres.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("start", "run"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--dir", help="new or empty directory for the cluster (default: a new temp dir)")
        cmd.add_argument("--port", type=int, help="loopback port (default: a free one)")
        cmd.add_argument("--timezone", default="UTC", help="the server's TimeZone setting (default UTC)")
        cmd.add_argument("--databases", default=",".join(DEFAULT_DATABASES), help="comma-separated names")
        cmd.add_argument("--durable", action="store_true", help="keep fsync on (default off: throwaway)")
        if name == "start":
            cmd.add_argument("--json", action="store_true", help="print the variables as JSON")
        else:
            cmd.add_argument("command", nargs=argparse.REMAINDER)
    for name in ("stop", "status"):
        sub.add_parser(name).add_argument("--dir", help="the cluster's directory (default $PLATFORM_PG_DIR)")
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            cluster = _start_from(args)
            print(json.dumps(cluster.env(), indent=2) if args.json else _exports(cluster).rstrip("\n"))
        elif args.action == "stop":
            stop(_directory(args))
        elif args.action == "status":
            cluster = Cluster.load(_directory(args))
            if not running(cluster):
                print(f"postgres: the cluster in {cluster.directory} is not running", file=sys.stderr)
                return 1
            print(_exports(cluster), end="")
        else:
            return _run(args)
    except (PostgresUnavailable, ClusterError, OSError) as exc:
        print(f"postgres: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
