"""The fault-injecting link (support/runner/proxy.py) against a small echo server on loopback."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from support.runner.proxy import FaultyLink


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        with contextlib.suppress(OSError):
            while data := self.request.recv(65536):
                self.request.sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def echo() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def link(echo: _Server) -> Iterator[FaultyLink]:
    faulty = FaultyLink("127.0.0.1", echo.server_address[1], name="test").start()
    yield faulty
    faulty.close()


def _round_trip(link: FaultyLink, payload: bytes = b"ping", *, timeout: float = 2.0) -> bytes:
    with socket.create_connection(("127.0.0.1", link.port), timeout=timeout) as sock:
        sock.sendall(payload)
        return sock.recv(65536)


def test_a_healthy_link_forwards_both_ways(link: FaultyLink) -> None:
    assert _round_trip(link, b"hello") == b"hello"
    assert str(link.trouble) == "healthy"
    assert link.url == f"http://127.0.0.1:{link.port}"


def test_a_healthy_link_forwards_large_exchanges_whole(link: FaultyLink) -> None:
    payload = bytes(range(256)) * 4096  # 1 MiB
    with socket.create_connection(("127.0.0.1", link.port), timeout=5) as sock:
        sock.sendall(payload)
        received = b""
        while len(received) < len(payload):
            received += sock.recv(65536)
    assert received == payload


def test_a_slow_link_holds_each_chunk(link: FaultyLink) -> None:
    link.slow(0.4)
    started = time.monotonic()
    assert _round_trip(link) == b"ping"
    assert time.monotonic() - started >= 0.8  # held on the way there and on the way back


def test_a_black_hole_answers_nothing(link: FaultyLink) -> None:
    link.black_hole()
    with pytest.raises(TimeoutError):
        _round_trip(link, timeout=0.5)


def test_a_reset_link_breaks_every_connection_at_once(link: FaultyLink) -> None:
    link.reset()
    started = time.monotonic()
    with pytest.raises((ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        _round_trip(link)
        _round_trip(link)  # a first send may still be buffered before the reset arrives
    assert time.monotonic() - started < 1.5


def test_a_change_of_trouble_resets_the_open_connections(link: FaultyLink) -> None:
    with socket.create_connection(("127.0.0.1", link.port), timeout=2) as sock:
        sock.sendall(b"one")
        assert sock.recv(100) == b"one"
        link.black_hole()
        with pytest.raises((ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
            sock.sendall(b"two")
            if not sock.recv(100):
                raise ConnectionResetError("closed")


def test_healing_restores_forwarding(link: FaultyLink) -> None:
    link.black_hole()
    link.heal()
    assert _round_trip(link) == b"ping"


def test_an_unreachable_peer_is_a_quick_refusal_not_a_hang() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    faulty = FaultyLink("127.0.0.1", dead_port, name="dead").start()
    try:
        started = time.monotonic()
        with pytest.raises((ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
            received = _round_trip(faulty)
            if not received:
                raise ConnectionResetError("closed without an answer")
        assert time.monotonic() - started < 1.5
    finally:
        faulty.close()


def test_closing_stops_listening_and_is_idempotent(echo: _Server) -> None:
    faulty = FaultyLink("127.0.0.1", echo.server_address[1], name="closing").start()
    port = faulty.port
    faulty.close()
    faulty.close()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_a_slow_link_needs_a_positive_delay(link: FaultyLink) -> None:
    with pytest.raises(ValueError):
        link.slow(0)
