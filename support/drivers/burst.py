"""A light caller for floods of requests (contract §3 rate limits): one read, many times, many threads at once.

The flood must outpace the platform's rate limit on a machine that also runs the platform; httpx spends
far more CPU per request than the standard library, CPU the services need to answer quickly. So the
flood goes through `http.client`, one keep-alive connection per thread, and its many exchanges are not
recorded one by one (the task that floods summarises them). The waves, the bystander and the judgement
live in `support.tasks.operations`.
"""

from __future__ import annotations

import http.client
import threading
import uuid
from urllib.parse import urlsplit

import httpx

from support.http.client import API, REQUEST_ID

# The read each service's flood repeats: one every member of a tenant who works with that service may make.
FLOOD_READS: dict[str, str] = {
    "identity": f"{API}/auth/me",
    "sales": f"{API}/clients?page_size=1",
    "anomaly": f"{API}/datasets?page_size=1",
}
USER_AGENT = "platform-acceptance-suite (burst)"


class LightCaller:
    """GETs one path with a bearer pass over one keep-alive connection per thread (http.client)."""

    def __init__(self, base_url: str, path: str, token: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "127.0.0.1", parts.port
        self.prefix = parts.path.rstrip("/")
        self.path, self.token, self.timeout = path, token, timeout
        self._local = threading.local()
        self._connections: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
            connection = kind(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def __call__(self) -> httpx.Response:
        url = f"{self.prefix}{self.path}"
        headers = {"Authorization": f"Bearer {self.token}", REQUEST_ID: str(uuid.uuid4()), "User-Agent": USER_AGENT}
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request("GET", url, headers=headers)
                raw = connection.getresponse()
                body = raw.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        request = httpx.Request("GET", f"{self.scheme}://{self.host}:{self.port}{url}", headers=headers)
        return httpx.Response(raw.status, headers=raw.getheaders(), content=body, request=request)

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


def flood_caller(base_url: str, service: str, token: str, *, timeout: float) -> LightCaller:
    """A light caller repeating `service`'s flood read with `token`; close it after use."""
    return LightCaller(base_url, FLOOD_READS[service], token, timeout=timeout)
