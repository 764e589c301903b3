"""Where a service's endpoints run, chosen to spend as few thread hops as possible on each call.

FastAPI runs a sync endpoint in a worker thread and a sync dependency's exit in another, and each hop costs
the event loop more than the SQLite work of a typical call (profiled under the load profiles: about a fifth
of sales's CPU went to handing calls to threads and back). A GIL-bound process gains nothing from running
in-process SQLite work on a thread except while it waits, and SQLite in WAL mode makes readers never wait.
- `PlatformRoute`: a read (GET, HEAD) against the in-process database (SQLite) runs on the event loop; a
  write runs in one worker thread and commits there, before its answer is built (the session dependency
  then only gives the connection back). For services whose writes may take long (identity hashes
  passwords with argon2id inside its writes).
- `InProcessRoute`: reads and writes against the in-process database both run on the event loop, the write
  committed as soon as it returns. For services whose writes are short (sales): the process's writers
  then follow each other without ever waiting for the GIL while holding SQLite's write lock, the convoy
  that made a burst of writes queue for most of a second.
With any other database (a server: network waits) the endpoint gets a worker thread, as FastAPI would give
it. Async endpoints are left alone.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

READS = frozenset({"GET", "HEAD"})

Endpoint = Callable[..., Any]


def _is_read(kwargs: dict[str, Any]) -> bool:
    methods = set(kwargs.get("methods") or ())
    return bool(methods) and methods <= READS


class PlatformRoute(APIRoute):
    """Sync reads of the in-process database on the event loop; sync writes in a worker thread."""

    def __init__(self, path: str, endpoint: Endpoint, **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = on_the_loop(endpoint) if _is_read(kwargs) else functools.wraps(endpoint)(committed(endpoint))
        super().__init__(path, endpoint, **kwargs)


class InProcessRoute(APIRoute):
    """Sync reads and writes of the in-process database on the event loop."""

    def __init__(self, path: str, endpoint: Endpoint, **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = on_the_loop(endpoint if _is_read(kwargs) else committed(endpoint), like=endpoint)
        super().__init__(path, endpoint, **kwargs)


def session_among(arguments: dict[str, Any]) -> Session | None:
    return next((value for value in arguments.values() if isinstance(value, Session)), None)


def in_process(session: Session | None) -> bool:
    """Whether the session's database lives in this process (SQLite), so its work never waits on a network."""
    return session is not None and session.get_bind().dialect.name == "sqlite"


def on_the_loop(call: Endpoint, *, like: Endpoint | None = None) -> Endpoint:
    """`call` on the event loop when its session's database is in-process, else in a worker thread. The
    wrapper shows FastAPI the signature of `like` (the endpoint itself)."""

    @functools.wraps(like or call)
    async def run(**arguments: Any) -> Any:
        if in_process(session_among(arguments)):
            return call(**arguments)
        return await run_in_threadpool(call, **arguments)

    return run


def committed(endpoint: Endpoint) -> Endpoint:
    """The write, committed where it ran once it returns (an exception commits nothing: the session
    dependency rolls it back)."""

    def write(**arguments: Any) -> Any:
        answer = endpoint(**arguments)
        session = session_among(arguments)
        if session is not None:
            session.commit()
        return answer

    return write
