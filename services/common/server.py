"""Command-line entry shared by the services: `python -m services.<name> [--host H] [--port P]`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from services.common.settings import DEFAULT_PORTS, SettingsError

# Idle keep-alive connections are kept longer than common clients keep them (httpx: 5 s), so a client
# never reuses a connection the server is closing at that very moment.
KEEP_ALIVE_S = 30


def serve(service: str, factory: Callable[[], FastAPI], argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}",
                                     description=f"Run the {service} service (configured by environment variables).")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORTS[service])))
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "warning"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format=f"%(asctime)s {service} %(levelname)s %(message)s")
    try:
        app = factory()
    except SettingsError as exc:
        print(f"{service}: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                timeout_graceful_shutdown=5, timeout_keep_alive=KEEP_ALIVE_S)
