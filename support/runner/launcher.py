"""ManagedPlatform: start, stop, kill and restart the platform's services from their YAML commands.

Each service runs in its own process group on a free loopback port, logs to
`logs/<run-id>/<service>.log`, and shares one temporary data dir with a generated signing key.

CLI: `python -m support.runner.launcher up [--env local]` starts the platform and waits for Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import httpx

from support.data.tokens import new_rsa_key_pem
from support.http.polling import eventually
from support.runner.config import REPO_ROOT, ServiceConfig, SuiteConfig
from support.runner.databases import DatabaseFaultError, Outage, outage_for
from support.runner.process_group import signal_group, stop_groups
from support.runner.proxy import FaultyLink

STOP_DEADLINE_S = 10.0
NETWORK_FAULTS = "network_faults"  # the capability that puts a FaultyLink between each caller and identity
_PLACEHOLDER = re.compile(r"\{(python|host|port|data_dir|identity_url|signing_key_file|"
                          r"operator_email|operator_password)\}")


class LaunchError(RuntimeError):
    """A managed service could not be started or did not become ready."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS considers free right now (bound to 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def new_run_id() -> str:
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"


def default_logs_root() -> Path:
    """Where service logs go: $ACCEPTANCE_LOGS, else logs/ in the repository."""
    return Path(os.environ.get("ACCEPTANCE_LOGS") or REPO_ROOT / "logs")


def stop_on_termination() -> None:
    """SIGTERM and SIGHUP behave like Ctrl-C, so the platform is stopped on the way out (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)


class ManagedPlatform:
    """The platform's services as child processes of this run."""

    def __init__(
        self,
        config: SuiteConfig,
        *,
        run_id: str | None = None,
        logs_root: Path = REPO_ROOT / "logs",
        keep_data: bool = False,
    ) -> None:
        self.config = config
        self.run_id = run_id or new_run_id()
        self.log_dir = logs_root / self.run_id
        self.keep_data = keep_data
        self.data_dir = Path(tempfile.mkdtemp(prefix="acceptance-data-"))
        self.signing_key_file = self.data_dir / "signing-key.pem"
        self.signing_key_pem = new_rsa_key_pem()
        self.signing_key_file.write_text(self.signing_key_pem, encoding="ascii")
        self.signing_key_file.chmod(0o600)
        self.ports = {name: free_port(config.host) for name in config.services}
        self.base_urls = {name: f"http://{config.host}:{port}" for name, port in self.ports.items()}
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._settings: dict[str, dict[str, str]] = {}  # settings a scenario gave a service on top of its env
        self._logs: dict[str, IO[bytes]] = {}
        self._lock = threading.RLock()
        self._closed = False
        # Callers reach identity through a link of their own, which a scenario may slow or cut (proxy.py).
        self.links: dict[str, FaultyLink] = {}
        if NETWORK_FAULTS in config.capabilities and "identity" in self.ports:
            self.links = {name: FaultyLink(config.host, self.ports["identity"], host=config.host,
                                           name=f"{name}->identity")
                          for name in config.services if name != "identity"}
        self._outages: dict[str, Outage] = {}  # databases taken away, by service
        atexit.register(self.stop)

    # -- whole platform ---------------------------------------------------------------------
    def start(self) -> None:
        """Start every service at once (each takes seconds to import) and wait until all are ready; the
        others' readiness waits for identity's JWKS, so identity is spawned first."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            for link in self.links.values():
                link.start()
            order = self._start_order()
            for name in order:
                self._spawn(name)
            for name in order:
                self.wait_ready(name)
        except BaseException:
            self.stop()
            raise

    def stop(self, *, deadline: float = STOP_DEADLINE_S) -> None:
        """Give back every database taken away and heal every link (faults never outlive the run), stop every
        service (SIGTERM, then SIGKILL after `deadline`) and drop the data dir."""
        with self._lock:
            for name in list(self._outages):
                with contextlib.suppress(DatabaseFaultError, OSError):
                    self.give_database_back(name)
            for name in reversed(list(self._processes)):
                self.stop_service(name, deadline=deadline)
            if not self._closed:
                self._closed = True
                for link in self.links.values():
                    link.close()
                if not self.keep_data:
                    shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> ManagedPlatform:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- one service ------------------------------------------------------------------------
    def start_service(self, name: str) -> None:
        """Start one service (same port, same data as before) and wait until it is ready."""
        self._spawn(name)
        self.wait_ready(name)

    def spawn_service(self, name: str) -> None:
        """Start one service (same port, same data) without waiting for it: the caller watches it come up."""
        self._spawn(name)

    # -- faults of one service's surroundings ----------------------------------------------------
    def database_url(self, name: str) -> str:
        """The service's DATABASE_URL as it runs (placeholders filled)."""
        url = self.service_settings(name).get("DATABASE_URL")
        if not url:
            raise DatabaseFaultError(f"{name} has no DATABASE_URL in this environment, so the suite does not "
                                     "know which database to take away")
        return _fill(url, self._placeholders(name))

    def take_database_away(self, name: str) -> None:
        """The service's database is no longer there for it (support/runner/databases.py says how)."""
        with self._lock:
            if name in self._outages:
                return
            outage = outage_for(self.database_url(name), self.data_dir / ".away" / name)
            outage.take_away()
            self._outages[name] = outage

    def give_database_back(self, name: str) -> None:
        with self._lock:
            outage = self._outages.get(name)
            if outage is not None:
                outage.give_back()
                del self._outages[name]

    def database_is_away(self, name: str) -> bool:
        return name in self._outages

    def link(self, name: str) -> FaultyLink:
        """The link between the service and identity."""
        if name not in self.links:
            raise LaunchError(f"{name} has no link to identity that the suite controls (capability "
                              f"'{NETWORK_FAULTS}': {'declared' if self.links else 'not declared'})")
        return self.links[name]

    def stop_service(self, name: str, *, deadline: float = STOP_DEADLINE_S) -> None:
        """SIGTERM the service's process group; SIGKILL it if it has not exited by the deadline."""
        with self._lock:
            process = self._processes.pop(name, None)
            if process is None:
                return
            stop_groups([process], deadline)
            self._close_log(name)

    def kill_service(self, name: str) -> None:
        """SIGKILL the service at once (an abrupt crash)."""
        with self._lock:
            process = self._processes.pop(name, None)
            if process is None:
                return
            signal_group(process, signal.SIGKILL)
            process.wait(timeout=STOP_DEADLINE_S)
            self._close_log(name)

    def restart_service(self, name: str) -> None:
        self.stop_service(name)
        self.start_service(name)

    def reconfigure_service(self, name: str, settings: Mapping[str, str]) -> None:
        """Restart the service with `settings` (environment variables) on top of its configured environment;
        empty `settings` restore the configured one."""
        self._settings[name] = dict(settings)
        self.restart_service(name)

    def service_settings(self, name: str) -> dict[str, str]:
        """The environment variables the service runs with, as configured plus any `reconfigure_service`."""
        return {**self.config.services[name].env, **self._settings.get(name, {})}

    def is_running(self, name: str) -> bool:
        process = self._processes.get(name)
        return process is not None and process.poll() is None

    def pid(self, name: str) -> int | None:
        process = self._processes.get(name)
        return process.pid if process is not None else None

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    def log_tail(self, name: str, lines: int = 200) -> str:
        path = self.log_path(name)
        if not path.exists():
            return "(no log yet)"
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))

    def wait_ready(self, name: str) -> None:
        """Wait until GET <ready_path> answers 200, or raise LaunchError with the log tail."""
        service = self.config.services[name]
        url = f"{self.base_urls[name]}{service.ready_path}"
        deadline = self.config.timeouts.ready

        def ready() -> None:
            process = self._processes.get(name)
            if process is None or process.poll() is not None:
                code = None if process is None else process.returncode
                raise LaunchError(f"{name} exited (code {code}) before {url} was ready; "
                                  f"last lines of {self.log_path(name)}:\n{self.log_tail(name, 40)}")
            try:
                status = httpx.get(url, timeout=min(2.0, deadline), verify=False).status_code  # plain loopback
            except httpx.HTTPError as exc:
                raise AssertionError(f"{type(exc).__name__}: {exc}") from None
            assert status == 200, f"{url} answered {status}"

        try:
            eventually(ready, within=deadline, awaiting=f"{name} to answer 200 at {url}", interval=0.1)
        except AssertionError as exc:
            raise LaunchError(f"{exc}; last lines of {self.log_path(name)}:\n"
                              f"{self.log_tail(name, 40)}") from None

    # -- internals --------------------------------------------------------------------------
    def _start_order(self) -> list[str]:
        names = list(self.config.services)
        return sorted(names, key=lambda name: name != "identity")

    def _spawn(self, name: str) -> None:
        with self._lock:
            if self.is_running(name):
                raise LaunchError(f"{name} is already running (pid {self.pid(name)})")
            service = self.config.services[name]
            values = self._placeholders(name)
            command = [_fill(part, values) for part in service.command]
            env = {**os.environ, **_env_for(service, values), **self._settings.get(name, {}), "PYTHONUNBUFFERED": "1",
                   "HOST": self.config.host, "PORT": values["port"]}
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = self.log_path(name).open("ab")
            log.write(f"--- starting {name}: {' '.join(command)}\n".encode())
            log.flush()
            try:
                process = subprocess.Popen(
                    command, cwd=self.config.cwd, env=env, stdin=subprocess.DEVNULL,
                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as exc:
                log.close()
                raise LaunchError(f"{name}: cannot run {command[0]!r}: {exc.strerror}") from None
            self._processes[name] = process
            self._logs[name] = log

    def _placeholders(self, name: str) -> dict[str, str]:
        return {
            "python": sys.executable,
            "host": self.config.host,
            "port": str(self.ports[name]),
            "data_dir": str(self.data_dir),
            "identity_url": self.links[name].url if name in self.links else self.base_urls.get("identity", ""),
            "signing_key_file": str(self.signing_key_file),
            "operator_email": self.config.operator.email,
            "operator_password": self.config.operator.password,
        }

    def _close_log(self, name: str) -> None:
        log = self._logs.pop(name, None)
        if log is not None:
            log.close()


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def _env_for(service: ServiceConfig, values: Mapping[str, str]) -> dict[str, str]:
    return {key: _fill(value, values) for key, value in service.env.items()}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    from support.runner.config import ConfigError, load_config

    parser = argparse.ArgumentParser(prog="python -m support.runner.launcher")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the managed platform and wait for Ctrl-C")
    up.add_argument("--env", default=None, help="managed environment from config/environments.yaml")
    args = parser.parse_args(argv)
    try:
        config = load_config({"env": args.env} if args.env else {}, os.environ)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    if not config.managed:
        print(f"Configuration error: env: '{config.env_name}' is not a managed environment", file=sys.stderr)
        return 2
    platform = ManagedPlatform(config, logs_root=default_logs_root())
    stop_on_termination()
    try:
        platform.start()
        for name, url in platform.base_urls.items():
            print(f"{name:9} {url}")
        print(f"logs      {platform.log_dir}")
        overrides = " ".join(f"-D services.{name}.base_url={url}" for name, url in platform.base_urls.items())
        print("Run the suite against it (the operator's password is in config/environments.yaml, "
              f"environment '{config.env_name}'; it is not printed):\n  OPERATOR_PASSWORD=... "
              f".venv/bin/behave -D env=staging {overrides} -D operator.email={config.operator.email} "
              f'-D operator.password="$OPERATOR_PASSWORD" -D signing_key_file={platform.signing_key_file}')
        print("Ctrl-C stops the platform.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopping…")
    except LaunchError as exc:
        print(f"Launch error: {exc}", file=sys.stderr)
        return 1
    finally:
        platform.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
