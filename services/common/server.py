"""Command-line entry shared by the services: `python -m services.<name> [--host H] [--port P]`.

`WEB_CONCURRENCY` > 1 (sales only) runs that many worker processes on the port under uvicorn's supervisor;
they share the tenants' rate limits and the metrics (`services.common.shared_state`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from services.common.app import SERVED_ENV
from services.common.settings import DEFAULT_PORTS, SettingsError, load_settings
from services.common.shared_state import SharedFile, shared_file

# Idle keep-alive connections are kept longer than common clients keep them (httpx: 5 s), so a client
# never reuses a connection the server is closing at that very moment.
KEEP_ALIVE_S = 30


def serve(service: str, factory: Callable[[], FastAPI], argv: list[str] | None = None, *,
          scalable: bool = False) -> None:
    """Run `factory`'s app; `scalable` services may run several worker processes (WEB_CONCURRENCY)."""
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}",
                                     description=f"Run the {service} service (configured by environment variables).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORTS[service])))
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "warning"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format=f"%(asctime)s {service} %(levelname)s %(message)s")
    try:
        settings = load_settings(service)
        if settings.workers > 1 and not scalable:
            raise SettingsError(f"WEB_CONCURRENCY must be 1 for {service}, got {settings.workers}: "
                                "only sales keeps all its state in its database")
        if settings.workers > 1:
            SharedFile.recreate(shared_file(settings.data_dir, service))
        app = factory()  # also creates the tables once, before any worker starts
    except SettingsError as exc:
        print(f"{service}: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    os.environ[SERVED_ENV] = "1"  # this process and its workers serve: their apps tune the collector
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": args.log_level, "access_log": False,
                               "timeout_graceful_shutdown": 5, "timeout_keep_alive": KEEP_ALIVE_S}
    if settings.workers > 1:
        uvicorn.run(f"{factory.__module__}:{factory.__name__}", factory=True, workers=settings.workers, **options)
    else:
        uvicorn.run(app, **options)
