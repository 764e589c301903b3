"""A fault-injecting TCP link between two services of a managed platform (loopback only).

The launcher puts one `FaultyLink` between each caller service and identity (its `IDENTITY_URL` points at
the link) when the environment declares the `network_faults` capability. A link forwards bytes both ways
untouched until a scenario gives it trouble:

- `slow(seconds)`: every chunk, either way, is held `seconds` before it is passed on (a slow peer);
- `black_hole()`: connections are accepted, nothing is ever passed on or answered (packets dropped);
- `reset()`: every connection is reset at once, and so is every new one (a peer that refuses);
- `heal()`: back to forwarding untouched.

Every change of trouble resets the connections that are open at that moment, so no half-forwarded HTTP
exchange survives it and each connection lives under one kind of trouble. A peer that cannot be reached
(the service behind the link is down) is passed on as a reset, as a refused connection would be.

Why not an existing tool: Toxiproxy (the usual choice) is a Go server that neither PyPI nor Debian ship
here (only its clients are on PyPI); mitmproxy is an HTTP interception proxy with a TLS stack and dozens of
dependencies whose reverse mode can delay answers from an addon but cannot drop or reset connections at the
TCP level, and would need a control channel to another process. This link is a few asyncio tasks on a
thread of the suite's own process, stopped with the platform.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from dataclasses import dataclass

CHUNK = 65536
START_TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Trouble:
    """What a link does to its traffic: `kind` is healthy, slow, black_hole or reset."""

    kind: str = "healthy"
    delay_s: float = 0.0

    def __str__(self) -> str:
        return f"slow ({self.delay_s:g} s per chunk)" if self.kind == "slow" else self.kind.replace("_", " ")


HEALTHY = Trouble()


class FaultyLink:
    """Listens on a free loopback port and forwards to `upstream_host:upstream_port`, with the trouble it is given."""

    def __init__(self, upstream_host: str, upstream_port: int, *, host: str = "127.0.0.1", name: str = "link") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.host = host
        self.name = name
        self.port = 0
        self._trouble = HEALTHY
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0  # accepted so far (for tests and evidence)

    # -- life ---------------------------------------------------------------------------------------------
    def start(self) -> FaultyLink:
        """Start listening (returns once the port is bound)."""
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                self._server = loop.run_until_complete(asyncio.start_server(self._accept, self.host, 0))
                self.port = int(self._server.sockets[0].getsockname()[1])
            except BaseException as exc:  # reported to start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._shutdown())
                loop.close()

        self._thread = threading.Thread(target=run, name=f"faulty-link {self.name}", daemon=True)
        self._thread.start()
        if not ready.wait(START_TIMEOUT_S) or failure:
            raise RuntimeError(f"the link {self.name} could not start: {failure[0] if failure else 'timed out'}")
        return self

    def close(self) -> None:
        """Stop listening and reset every connection; idempotent."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop.call_soon_threadsafe(loop.stop)
        thread.join(START_TIMEOUT_S)
        self._loop = self._thread = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- trouble ------------------------------------------------------------------------------------------
    @property
    def trouble(self) -> Trouble:
        return self._trouble

    def slow(self, delay_s: float) -> None:
        if delay_s <= 0:
            raise ValueError("a slow link holds each chunk a positive number of seconds")
        self._set(Trouble("slow", delay_s))

    def black_hole(self) -> None:
        self._set(Trouble("black_hole"))

    def reset(self) -> None:
        self._set(Trouble("reset"))

    def heal(self) -> None:
        self._set(HEALTHY)

    def _set(self, trouble: Trouble) -> None:
        loop = self._loop
        if loop is None:
            self._trouble = trouble
            return
        future = asyncio.run_coroutine_threadsafe(self._change(trouble), loop)
        future.result(START_TIMEOUT_S)

    async def _change(self, trouble: Trouble) -> None:
        self._trouble = trouble
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()

    # -- forwarding ---------------------------------------------------------------------------------------
    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Cancelled when the link closes: end quietly (asyncio's stream callback would log a cancelled handler).
        with contextlib.suppress(asyncio.CancelledError):
            await self._forward(reader, writer)

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        trouble = self._trouble
        if trouble.kind == "reset":
            _abort(writer)
            return
        self._writers.add(writer)
        if trouble.kind == "black_hole":
            await _drain_forever(reader)
            self._forget(writer)
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*self.upstream), CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError):
            self._forget(writer)
            _abort(writer)  # the peer is unreachable: the caller sees a refusal, not a hang
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pump(reader, up_writer, trouble), self._pump(up_reader, writer, trouble),
                             return_exceptions=True)
        for each in (writer, up_writer):
            self._forget(each)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, trouble: Trouble) -> None:
        try:
            while True:
                chunk = await reader.read(CHUNK)
                if not chunk:
                    break
                if trouble.delay_s:
                    await asyncio.sleep(trouble.delay_s)
                if writer.is_closing():
                    break
                writer.write(chunk)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            _abort(writer)  # one side broke: so does the other
            return
        with contextlib.suppress(Exception):  # one side is done: pass its end on politely, after what it sent
            writer.close()
            await writer.wait_closed()

    def _forget(self, writer: asyncio.StreamWriter) -> None:
        self._writers.discard(writer)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            _abort(writer)
        self._writers.clear()
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _drain_forever(reader: asyncio.StreamReader) -> None:
    """Read and drop whatever comes, answer nothing, until the caller gives up or the link changes."""
    with contextlib.suppress(OSError):
        while await reader.read(CHUNK):
            pass


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER 0), not a polite FIN: the other side sees the connection broken."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(Exception):
        writer.transport.abort()
