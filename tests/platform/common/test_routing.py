"""Where endpoints run (routing): SQLite reads on the event loop; writes committed where they ran, in a worker
thread (PlatformRoute) or on the loop too (InProcessRoute)."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from services.common import routing
from services.common.db import Database
from services.common.deps import SessionDep
from services.common.errors import install_error_handlers
from services.common.problems import ProblemError
from services.common.routing import InProcessRoute, PlatformRoute
from tests.platform.common.notes import Base, Note

ROUTING = routing.__file__


class Seen:
    """The threads things happened on."""

    def __init__(self) -> None:
        self.threads: dict[str, int] = {}
        self.callers: dict[str, set[str]] = {}

    def saw(self, what: str, *, inside: str = "") -> None:
        self.threads[what] = threading.get_ident()
        if inside:
            self.callers[what] = {frame.filename for frame in inspect.stack()} & {inside}


@pytest.fixture
def seen() -> Seen:
    return Seen()


def make_client(tmp_path: Path, seen: Seen, route_class: type[APIRoute]) -> Iterator[TestClient]:
    db = Database(f"sqlite:///{tmp_path / 'routing.db'}")
    db.create_all(Base)
    event.listen(db.engine, "commit", lambda _connection: seen.saw("commit", inside=ROUTING))
    router = APIRouter(route_class=route_class)

    @router.get("/loop")
    async def where_the_loop_is() -> None:
        seen.saw("loop")

    @router.get("/notes")
    def read_notes(session: SessionDep) -> list[str]:
        seen.saw("read")
        return list(session.scalars(select(Note.text)))

    @router.get("/no-database")
    def read_without_database() -> None:
        seen.saw("read without database")

    @router.post("/notes", status_code=201)
    def write_note(session: SessionDep, text: str, fail: bool = False) -> None:
        seen.saw("write")
        session.add(Note(text=text))
        session.flush()
        if fail:
            raise ProblemError(409, "conflict", "refused after writing")

    app = FastAPI()
    install_error_handlers(app)
    app.state.db = db
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    db.dispose()


@pytest.fixture(params=[PlatformRoute, InProcessRoute], ids=lambda route_class: route_class.__name__)
def any_client(request: pytest.FixtureRequest, tmp_path: Path, seen: Seen) -> Iterator[TestClient]:
    yield from make_client(tmp_path, seen, request.param)


@pytest.fixture
def client(tmp_path: Path, seen: Seen) -> Iterator[TestClient]:
    yield from make_client(tmp_path, seen, PlatformRoute)


@pytest.fixture
def in_process_client(tmp_path: Path, seen: Seen) -> Iterator[TestClient]:
    yield from make_client(tmp_path, seen, InProcessRoute)


def test_a_read_of_the_in_process_database_runs_on_the_event_loop(any_client: TestClient, seen: Seen) -> None:
    any_client.get("/loop")
    assert any_client.get("/notes").json() == []
    assert seen.threads["read"] == seen.threads["loop"]


def test_a_read_without_a_database_session_still_gets_a_worker_thread(any_client: TestClient, seen: Seen) -> None:
    any_client.get("/loop")
    any_client.get("/no-database")
    assert seen.threads["read without database"] != seen.threads["loop"]


def test_a_platform_write_runs_in_a_worker_thread_and_commits_there(client: TestClient, seen: Seen) -> None:
    client.get("/loop")
    assert client.post("/notes", params={"text": "kept"}).status_code == 201
    assert seen.threads["write"] != seen.threads["loop"]
    assert seen.threads["commit"] == seen.threads["write"]
    assert seen.callers["commit"] == {ROUTING}, "committed by the route's own call, not the session's exit"
    assert client.get("/notes").json() == ["kept"]


def test_an_in_process_write_runs_on_the_event_loop_and_commits_there(in_process_client: TestClient,
                                                                     seen: Seen) -> None:
    in_process_client.get("/loop")
    assert in_process_client.post("/notes", params={"text": "kept"}).status_code == 201
    assert seen.threads["write"] == seen.threads["commit"] == seen.threads["loop"]
    assert seen.callers["commit"] == {ROUTING}, "committed by the route's own call, not the session's exit"
    assert in_process_client.get("/notes").json() == ["kept"]


def test_a_write_that_fails_commits_nothing(any_client: TestClient, seen: Seen) -> None:
    assert any_client.post("/notes", params={"text": "lost", "fail": True}).status_code == 409
    assert "commit" not in seen.threads
    assert any_client.get("/notes").json() == []
    assert any_client.post("/notes", params={"text": "next"}).status_code == 201, "the writer lock was given back"
