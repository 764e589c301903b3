"""A protocol-level driver for the cross-cutting conventions (contract §1 and §6).

The business drivers always send well-formed JSON to the right place. This one sends what a careless
or hostile caller sends: another media type, broken or oversized bodies, unknown places, actions a
place does not offer, lists with odd paging, awkward values. It never judges the answer; the matchers
of `support.matchers` do.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from support.drivers.base import Driver
from support.http.client import BearerAuth, make_client
from support.runner.config import SuiteConfig

API = "/api/v1"
MIB = 1024 * 1024
ORDINARY_LIMIT = MIB          # contract §1: JSON bodies over 1 MiB answer 413
UPLOAD_LIMIT = 10 * MIB       # contract §1: dataset uploads, detections and streams: 10 MiB
SIZE_MARGIN = 512             # "just over" / "just under" a limit, in bytes
ANY_STATUS = tuple(range(100, 600))
NO_REQUEST_ID = "operations.no_request_id"
REQUEST_ID = "X-Request-ID"


@dataclass(frozen=True)
class Form:
    """How a service takes a new record of one kind: where it goes and a sound body for it."""

    record: str
    path: str
    body: Callable[[str], dict[str, Any]]   # tenant slug -> a body the service would accept


@dataclass(frozen=True)
class Place:
    """A place of a service that exists but offers only reading, and the action it does not offer."""

    words: str
    path: str
    method: str = "DELETE"


def _user(slug: str) -> dict[str, Any]:
    return {"email": f"nina@{slug}.example.com", "name": "Nina Novak",
            "password": "violet tangerine harbour 2026", "roles": ["analyst"]}


def _client(slug: str) -> dict[str, Any]:
    return {"name": "Novak Logistics", "email": f"office@novak-{slug}.example.com", "country": "DE"}


def _detector(slug: str) -> dict[str, Any]:
    return {"name": "Night shift readings", "algorithm": "robust_zscore", "features": ["temperature"]}


FORMS: dict[str, Form] = {
    "identity": Form("user", f"{API}/users", _user),
    "sales": Form("client", f"{API}/clients", _client),
    "anomaly": Form("detector", f"{API}/detectors", _detector),
}

# Places every caller of that service may read, that offer no way to delete them.
READ_ONLY_PLACES: dict[str, Place] = {
    "identity": Place("her own profile", f"{API}/auth/me"),
    "sales": Place("her notifications", f"{API}/notifications"),
    "anomaly": Place("the list of detectors", f"{API}/detectors"),
}

# The list of each service that every cast member working with it may read.
LISTS: dict[str, str] = {
    "identity": f"{API}/users",
    "sales": f"{API}/clients",
    "anomaly": f"{API}/datasets",
}


class StripRequestId(httpx.BaseTransport):
    """Sends a request without any X-Request-ID when the request asks for it (the suite adds one)."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.extensions.get(NO_REQUEST_ID):
            del request.headers[REQUEST_ID]
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class RawDriver(Driver):
    """Any answer is handed back as it came: the caller decides what it should have been."""

    def __init__(self, client: httpx.Client, *, service: str, tenant_slug: str = "") -> None:
        super().__init__(client)
        self.service = service
        self.tenant_slug = tenant_slug or f"t{uuid.uuid4().hex[:8]}"

    # -- bodies ------------------------------------------------------------------------------------
    @property
    def form(self) -> Form:
        return FORMS[self.service]

    def send_record(self, body: Mapping[str, Any], *, intent: str) -> httpx.Response:
        return self.send("POST", self.form.path, intent=intent, json=dict(body))

    def sound_record(self) -> dict[str, Any]:
        return self.form.body(self.tenant_slug)

    def send_as_plain_text(self) -> httpx.Response:
        """A sound new record, labelled as plain text instead of JSON."""
        content = json.dumps(self.sound_record()).encode()
        return self.send("POST", self.form.path, intent=f"send a new {self.form.record} as plain text",
                         content=content, headers={"Content-Type": "text/plain; charset=utf-8"})

    def send_broken_off(self) -> httpx.Response:
        """A JSON body that stops in the middle of a string."""
        content = json.dumps(self.sound_record()).encode()[:-12]
        return self.send("POST", self.form.path, intent=f"send a broken-off new {self.form.record}",
                         content=content, headers={"Content-Type": "application/json"})

    def send_of_size(self, size: int) -> httpx.Response:
        """A well-formed JSON new record of exactly `size` bytes, padded by an extra `note` field."""
        body = self.sound_record()
        body["note"] = ""
        bare = len(json.dumps(body).encode())
        body["note"] = "n" * max(size - bare, 0)
        content = json.dumps(body).encode()
        assert len(content) == size, f"could not build a body of {size} bytes ({len(content)})"
        return self.send("POST", self.form.path, intent=f"send a new {self.form.record} of {size} bytes",
                         content=content, headers={"Content-Type": "application/json"})

    # -- places ------------------------------------------------------------------------------------
    def visit_unknown_place(self) -> httpx.Response:
        return self.send("GET", f"{API}/treasure-maps-{uuid.uuid4().hex[:8]}",
                         intent="visit a place that does not exist")

    def misuse_read_only_place(self) -> httpx.Response:
        place = READ_ONLY_PLACES[self.service]
        return self.send(place.method, place.path, intent=f"{place.method.lower()} {place.words}")

    def read_list(self, *, page: int | str | None = None, page_size: int | str | None = None,
                  request_id: str | None = None, without_request_id: bool = False) -> httpx.Response:
        params = {key: value for key, value in (("page", page), ("page_size", page_size)) if value is not None}
        headers = {REQUEST_ID: request_id} if request_id else {}
        return self.send("GET", LISTS[self.service], intent=f"read a list of the {self.service} service",
                         params=params, headers=headers, without_request_id=without_request_id)

    def health(self, *, request_id: str | None = None, without_request_id: bool = False) -> httpx.Response:
        headers = {REQUEST_ID: request_id} if request_id else {}
        return self.send("GET", "/health/live", intent=f"ask {self.service} whether it is live",
                         headers=headers, without_request_id=without_request_id)

    # -- uploads -----------------------------------------------------------------------------------
    def upload_data_file(self, name: str, content: bytes) -> httpx.Response:
        return self.send("POST", f"{API}/datasets", intent=f"upload the data file {name} ({len(content)} bytes)",
                         files={"file": (f"{name}.csv", content, "text/csv")}, data={"name": name})

    # -- the one way out ---------------------------------------------------------------------------
    def send(self, method: str, path: str, *, intent: str, without_request_id: bool = False,
             **kwargs: Any) -> httpx.Response:
        extensions = {NO_REQUEST_ID: True} if without_request_id else None
        return self._request(method, path, intent=intent, expect=ANY_STATUS, extensions=extensions, **kwargs)


def raw_driver(config: SuiteConfig, service: str, *, token: Callable[[], str] | None = None,
               tenant_slug: str = "") -> RawDriver:
    """A raw driver for `service`, presenting the pass `token` gives (none when None); close it after use."""
    client = make_client(config.base_url(service), service=service, timeouts=config.timeouts,
                         auth=BearerAuth(token) if token is not None else None, transport=StripRequestId())
    return RawDriver(client, service=service, tenant_slug=tenant_slug)


def data_file(size: int, *, seed: int, columns: int = 10) -> tuple[bytes, int]:
    """A numeric CSV file of at least `size` bytes and the number of its data rows."""
    rng = random.Random(seed)
    header = ",".join(f"reading_{index}" for index in range(columns)) + "\n"
    parts, total, rows = [header], len(header), 0
    while total < size:
        line = ",".join(f"{rng.uniform(0, 1000):.4f}" for _ in range(columns)) + "\n"
        parts.append(line)
        total += len(line)
        rows += 1
    return "".join(parts).encode("ascii"), rows


# Requests a careless or hostile caller may send; none of them carries a marker of the platform's insides.
def awkward_requests(driver: RawDriver, *, own_email: str) -> list[tuple[str, httpx.Response]]:
    """Send a set of awkward requests to the driver's service; the answers, by what was sent.

    `own_email` is the sender's own email: identity is also asked for a second user with it and a
    sign-in with a wrong password, refusals that must never show a stored password hash.
    """
    path = driver.form.path
    listing = LISTS[driver.service]
    sent: list[tuple[str, httpx.Response]] = []

    def send(label: str, method: str, where: str, **kwargs: Any) -> None:
        sent.append((label, driver.send(method, where, intent=label, **kwargs)))

    send("values of the wrong kinds", "POST", path,
         json={key: {"$gt": ""} if index % 2 else [None, 1e308] for index, key in
               enumerate(driver.sound_record())})
    send("a body that is a bare list", "POST", path, json=[1, 2, 3])
    send("text with control characters", "POST", path,
         json={**driver.sound_record(), "name": "O'Brien\u0000\"; --"})
    send("a number far too big", "POST", path, json={**driver.sound_record(), "name": 10 ** 400})
    send("deeply nested data", "POST", path, content=("[" * 200 + "]" * 200).encode(),
         headers={"Content-Type": "application/json"})
    send("a page that is not a number", "GET", listing, params={"page": "two'"})
    send("a page size beyond any number", "GET", listing, params={"page_size": "9" * 40})
    send("an id full of quotes", "GET", f"{path}/%27%22%3B--")
    send("an id that climbs out of its folder", "GET", f"{path}/..%2f..%2fsecrets")
    if driver.service == "identity":
        send("a second user with a taken email", "POST", path, json={**driver.sound_record(), "email": own_email})
        send("a sign-in with a wrong password", "POST", f"{API}/auth/token",
             json={"tenant": driver.tenant_slug, "email": own_email, "password": "not the right one at all"})
    return sent
