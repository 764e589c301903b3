"""A protocol-level driver for the cross-cutting conventions (contract §1, §4 audit trails, §6).

The business drivers always send well-formed JSON to the right place. This one sends what a careless
or hostile caller sends: another media type, broken or oversized bodies, unknown places, actions a
place does not offer, lists with odd paging, extra fields, awkward values. It knows the contract's
requests by the words the features use for them ("a change of her deal") and builds sound bodies for
them; it never judges an answer (the matchers of `support.matchers` do).
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
from support.http.client import API, REQUEST_ID, BearerAuth, make_client
from support.runner.config import SuiteConfig

MIB = 1024 * 1024
ORDINARY_LIMIT = MIB          # contract §1: request bodies over 1 MiB answer 413
LARGE_LIMIT = 10 * MIB        # contract §1: dataset uploads, detections and streams: 10 MiB, the whole body as sent
SIZE_MARGIN = 512             # "just over" / "just under" a limit, in bytes
ANY_STATUS = tuple(range(100, 600))
NO_REQUEST_ID = "operations.no_request_id"
JSON_TYPE = "application/json"
NDJSON_TYPE = "application/x-ndjson"
BOUNDARY = "platform-acceptance-boundary-7f3a"
STREAM_LINE = 4096            # padded stream lines stay short: a reader may bound the length of a line
Refs = Mapping[str, str]      # the records a request names, by kind: user, client, deal, dataset, detector, trained


# -- the requests of the contract, by the words of the features ---------------------------------------
@dataclass(frozen=True)
class Form:
    """A request of the contract: where it goes, what records it names and a sound body for it."""

    words: str
    service: str
    method: str
    path: str                                  # a template naming refs: {user} {client} {deal} {detector} ...
    body: Callable[[Refs], Any]                # a sound JSON body, with fresh values at each call
    success: int = 200                         # the status a sound request is answered with
    needs: tuple[str, ...] = ()
    kind: str = "json"                         # json | ndjson (a stream) | multipart (a data file)

    def where(self, refs: Refs) -> str:
        return self.path.format(**refs)


@dataclass(frozen=True)
class Payload:
    """A request body as sent, and how many data rows it holds (uploads)."""

    content: bytes
    content_type: str
    rows: int | None = None


def _fresh() -> str:
    return uuid.uuid4().hex[:10]


def _user(_: Refs) -> dict[str, Any]:
    return {"email": f"nina.{_fresh()}@example.com", "name": "Nina Novak",
            "password": "violet tangerine harbour 2026", "roles": ["analyst"]}


def _client(_: Refs) -> dict[str, Any]:
    return {"name": "Novak Logistics", "email": f"office.{_fresh()}@novak.example.com", "country": "DE"}


def _dataset(_: Refs) -> dict[str, Any]:
    return {"name": "Shift temperatures", "columns": ["temperature"], "rows": [[21.5], [22.0], [21.8]]}


READINGS = [{"temperature": 21.5}, {"temperature": 22.0}, {"temperature": 21.8}]

FORMS: dict[str, Form] = {form.words: form for form in (
    Form("a new user", "identity", "POST", f"{API}/users", _user, 201),
    Form("a change of a user", "identity", "PATCH", f"{API}/users/{{user}}", lambda _: {"name": "Nina Novak-Berg"},
         needs=("user",)),
    Form("a change of the settings", "identity", "PATCH", f"{API}/tenants/current/settings",
         lambda _: {"discount_approval_threshold": "20"}),
    Form("a new client", "sales", "POST", f"{API}/clients", _client, 201),
    Form("a change of her client", "sales", "PATCH", f"{API}/clients/{{client}}",
         lambda _: {"name": "Novak Logistics GmbH"}, needs=("client",)),
    Form("a new deal", "sales", "POST", f"{API}/deals",
         lambda refs: {"client_id": refs["client"], "title": "Forklift fleet", "amount": "1000.00"}, 201,
         needs=("client",)),
    Form("a change of her deal", "sales", "PATCH", f"{API}/deals/{{deal}}",
         lambda _: {"title": "Forklift fleet, phase 2"}, needs=("deal",)),
    Form("a move of her deal", "sales", "POST", f"{API}/deals/{{deal}}/transitions", lambda _: {"to": "qualified"},
         needs=("deal",)),
    Form("a new dataset", "anomaly", "POST", f"{API}/datasets", _dataset, 201),
    Form("a data file for a dataset", "anomaly", "POST", f"{API}/datasets", lambda _: READINGS, 201,
         kind="multipart"),
    Form("a new detector", "anomaly", "POST", f"{API}/detectors",
         lambda _: {"name": "Shift watch", "algorithm": "robust_zscore", "features": ["temperature"]}, 201),
    Form("a training request", "anomaly", "POST", f"{API}/detectors/{{detector}}/training",
         lambda refs: {"dataset_id": refs["dataset"]}, 202, needs=("detector", "dataset")),
    Form("a detection request", "anomaly", "POST", f"{API}/detectors/{{trained}}/detections",
         lambda _: {"rows": READINGS}, needs=("trained",)),
    Form("a stream of readings", "anomaly", "POST", f"{API}/detectors/{{trained}}/stream", lambda _: READINGS,
         needs=("trained",), kind="ndjson"),
)}


@dataclass(frozen=True)
class Place:
    """A place of a service and an action it does not offer there (contract §1: 405)."""

    words: str
    service: str
    method: str
    path: str
    needs: tuple[str, ...] = ()


PLACES: dict[str, Place] = {place.words: place for place in (
    Place("deleting her own profile", "identity", "DELETE", f"{API}/auth/me"),
    Place("replacing the tenant", "identity", "PUT", f"{API}/tenants/current"),
    Place("deleting the list of people", "identity", "DELETE", f"{API}/users"),
    Place("deleting the published keys", "identity", "DELETE", "/.well-known/jwks.json"),
    Place("deleting her notifications", "sales", "DELETE", f"{API}/notifications"),
    Place("replacing the pipeline report", "sales", "PUT", f"{API}/reports/pipeline"),
    Place("deleting her commission statement", "sales", "DELETE", f"{API}/commissions"),
    Place("deleting the list of detectors", "anomaly", "DELETE", f"{API}/detectors"),
    Place("replacing a dataset", "anomaly", "PUT", f"{API}/datasets/{{dataset}}", needs=("dataset",)),
    Place("changing a training job", "anomaly", "PATCH", f"{API}/jobs/{{job}}", needs=("job",)),
)}


@dataclass(frozen=True)
class Listing:
    """A list of the contract (contract §1: every list is paged, oldest first)."""

    words: str
    service: str
    path: str
    needs: tuple[str, ...] = ()
    moment: str = "created_at"     # the field the list is ordered by, then by id
    trail: bool = False            # an audit trail: read by the tenant's admin

    def where(self, refs: Refs) -> str:
        return self.path.format(**refs)


LISTINGS: tuple[Listing, ...] = (
    Listing("people", "identity", f"{API}/users"),
    Listing("identity's audit trail", "identity", f"{API}/audit-events", moment="occurred_at", trail=True),
    Listing("clients", "sales", f"{API}/clients"),
    Listing("deals", "sales", f"{API}/deals"),
    Listing("payments of a deal", "sales", f"{API}/deals/{{deal}}/payments", needs=("deal",)),
    Listing("notifications", "sales", f"{API}/notifications"),
    Listing("sales' audit trail", "sales", f"{API}/audit-events", moment="occurred_at", trail=True),
    Listing("datasets", "anomaly", f"{API}/datasets"),
    Listing("detectors", "anomaly", f"{API}/detectors"),
    Listing("anomaly's audit trail", "anomaly", f"{API}/audit-events", moment="occurred_at", trail=True),
)


def listings_of(service: str) -> tuple[Listing, ...]:
    return tuple(listing for listing in LISTINGS if listing.service == service)


# -- bodies of a given size -------------------------------------------------------------------------
def payload(form: Form, refs: Refs, *, size: int | None = None) -> Payload:
    """The sound body of `form`, as sent; with `size`, exactly that many bytes of whole body."""
    value = form.body(refs)
    if form.kind == "multipart":
        return _multipart(size)
    if form.kind == "ndjson":
        return Payload(_ndjson(value, size), NDJSON_TYPE, rows=None)
    rows = len(value["rows"]) if isinstance(value, dict) and isinstance(value.get("rows"), list) else None
    return Payload(padded_json(value, size), JSON_TYPE, rows=rows)


def padded_json(value: Any, size: int | None = None) -> bytes:
    """`value` as JSON; with `size`, padded with insignificant whitespace after its first bracket to `size` bytes."""
    text = json.dumps(value, ensure_ascii=False).encode("utf-8")
    if size is None:
        return text
    if size < len(text):
        raise ValueError(f"{len(text)} bytes of JSON do not fit in {size}")
    return text[:1] + b" " * (size - len(text)) + text[1:]


def _ndjson(rows: list[Any], size: int | None) -> bytes:
    """One reading per line; with `size`, as many lines as fill it, each padded to at most STREAM_LINE bytes."""
    lines = [padded_json(row) + b"\n" for row in rows]
    if size is None:
        return b"".join(lines)
    count = -(-size // STREAM_LINE)
    base = [padded_json(rows[index % len(rows)]) for index in range(count)]
    spare = size - sum(len(line) + 1 for line in base)
    if spare < 0:
        raise ValueError(f"{count} readings do not fit in {size} bytes")
    return b"".join(padded_json(json.loads(line), len(line) + spare // count + (index < spare % count)) + b"\n"
                    for index, line in enumerate(base))


def _multipart(size: int | None) -> Payload:
    """A multipart form with a `name` and a CSV `file`; with `size`, the whole body is exactly that long."""
    head = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nPlant readings\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="readings.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    csv, rows = data_file(None if size is None else size - len(head) - len(tail))
    return Payload(head + csv + tail, f"multipart/form-data; boundary={BOUNDARY}", rows=rows)


def data_file(size: int | None, *, seed: int = 7, note: int = 1000) -> tuple[bytes, int]:
    """A CSV of temperatures with a free-text note per row (few rows, many bytes), exactly `size` bytes long."""
    rng = random.Random(seed)
    header = b"temperature,note\n"

    def row(length: int) -> bytes:
        return f"{20 + rng.random():.2f},{'n' * length}\n".encode()

    if size is None:
        rows = [row(11) for _ in range(3)]
        return header + b"".join(rows), len(rows)
    full = len(row(note))
    count, rest = divmod(size - len(header), full)
    if count < 1:
        raise ValueError(f"a data file of {size} bytes cannot hold a row")
    rows = [row(note) for _ in range(count - 1)] + [row(note + rest)]
    return header + b"".join(rows), count


# -- the driver ---------------------------------------------------------------------------------------
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

    # -- the contract's requests, sound or spoilt ----------------------------------------------------
    def make(self, form: Form, refs: Refs, *, size: int | None = None, **headers: str | None) -> httpx.Response:
        """The sound request `form` (exactly `size` bytes of body when given)."""
        return self.send_payload(form, refs, payload(form, refs, size=size), **headers)

    def send_payload(self, form: Form, refs: Refs, sent: Payload, **headers: str | None) -> httpx.Response:
        return self._body(form, refs, sent.content, sent.content_type,
                          f"send {form.words} of {len(sent.content)} bytes", headers)

    def make_as_plain_text(self, form: Form, refs: Refs, **headers: str | None) -> httpx.Response:
        return self._body(form, refs, payload(form, refs).content, "text/plain; charset=utf-8",
                          f"send {form.words} as plain text", headers)

    def make_broken_off(self, form: Form, refs: Refs) -> httpx.Response:
        return self._body(form, refs, payload(form, refs).content[:-7], JSON_TYPE,
                          f"send {form.words} broken off in the middle")

    def make_with(self, form: Form, refs: Refs, extra: Mapping[str, Any]) -> httpx.Response:
        """`form` with fields added to its sound JSON body."""
        body = {**form.body(refs), **extra}
        return self._body(form, refs, padded_json(body), JSON_TYPE, f"send {form.words} with {', '.join(extra)}")

    def _body(self, form: Form, refs: Refs, content: bytes, content_type: str, intent: str,
              headers: Mapping[str, str | None] | None = None) -> httpx.Response:
        return self.send(form.method, form.where(refs), intent=intent, content=content,
                         headers={"Content-Type": content_type, **(headers or {})})

    # -- places --------------------------------------------------------------------------------------
    def visit_unknown_place(self, **headers: str | None) -> httpx.Response:
        return self.send("GET", f"{API}/treasure-maps-{uuid.uuid4().hex[:8]}", headers=headers,
                         intent="visit a place that does not exist")

    def try_action(self, place: Place, refs: Refs, **headers: str | None) -> httpx.Response:
        return self.send(place.method, place.path.format(**refs), intent=place.words, headers=headers)

    def read_list(self, listing: Listing | None = None, refs: Refs | None = None, *,
                  page: int | str | None = None, page_size: int | str | None = None,
                  **headers: str | None) -> httpx.Response:
        """A page of `listing` (the service's first list when None)."""
        listing = listing or listings_of(self.service)[0]
        params = {key: value for key, value in (("page", page), ("page_size", page_size)) if value is not None}
        return self.send("GET", listing.where(refs or {}), intent=f"read the {listing.words}", params=params,
                         headers=headers)

    def tamper_with_trail(self, method: str, event_id: str | None = None) -> httpx.Response:
        """Try to change (PUT/PATCH) or erase (DELETE) the service's audit trail or one of its events."""
        path = f"{API}/audit-events" + (f"/{event_id}" if event_id else "")
        body = None if method == "DELETE" else {"outcome": "success", "action": "nothing.happened"}
        return self.send(method, path, intent=f"{method.lower()} the audit trail", json=body)

    # -- what every service serves besides its business ----------------------------------------------
    def health(self, which: str = "live", **headers: str | None) -> httpx.Response:
        return self.send("GET", f"/health/{which}", intent=f"ask {self.service} whether it is {which}",
                         headers=headers)

    def metrics(self, **headers: str | None) -> httpx.Response:
        return self.send("GET", "/metrics", intent=f"read the metrics of {self.service}", headers=headers)

    def interface(self, **headers: str | None) -> httpx.Response:
        return self.send("GET", "/openapi.json", intent=f"read the interface description of {self.service}",
                         headers=headers)

    def published_keys(self, **headers: str | None) -> httpx.Response:
        return self.send("GET", "/.well-known/jwks.json", intent="read the published signing keys",
                         headers=headers)

    def sign_in(self, tenant: str, email: str, password: str, **headers: str | None) -> httpx.Response:
        return self.send("POST", f"{API}/auth/token", intent=f"sign in {email}", headers=headers,
                         json={"tenant": tenant, "email": email, "password": password})

    # -- the one way out -----------------------------------------------------------------------------
    def send(self, method: str, path: str, *, intent: str, headers: Mapping[str, str | None] | None = None,
             **kwargs: Any) -> httpx.Response:
        """Any request; a `None` X-Request-ID header sends none at all (the suite adds one otherwise)."""
        chosen = dict(headers or {})
        unmarked = REQUEST_ID in chosen and chosen[REQUEST_ID] is None
        chosen = {key: value for key, value in chosen.items() if value is not None}
        extensions = {NO_REQUEST_ID: True} if unmarked else None
        return self._request(method, path, intent=intent, expect=ANY_STATUS, extensions=extensions, headers=chosen,
                             **kwargs)


def raw_driver(config: SuiteConfig, service: str, *, token: Callable[[], str] | None = None,
               tenant_slug: str = "") -> RawDriver:
    """A raw driver for `service`, presenting the pass `token` gives (none when None); close it after use."""
    client = make_client(config.base_url(service), service=service, timeouts=config.timeouts,
                         auth=BearerAuth(token) if token is not None else None, transport=StripRequestId())
    return RawDriver(client, service=service, tenant_slug=tenant_slug)


def marked(reference: str | None) -> dict[str, Any]:
    """Headers marking a request with `reference` (None: with no reference at all)."""
    return {REQUEST_ID: reference}


# Requests a careless or hostile caller may send; none of them carries a marker of the platform's insides.
def awkward_requests(driver: RawDriver, *, own_email: str, foreign: Refs) -> list[tuple[str, httpx.Response]]:
    """Send a set of awkward requests to the driver's service; the answers, by what was sent.

    `own_email` is the sender's own email: identity is also asked for a second user with it and a
    sign-in with a wrong password, refusals that must never show a stored password hash. `foreign` holds
    the ids of another tenant's records (user, client, dataset), which the requests name as if they were
    the sender's own.
    """
    form = next(form for form in FORMS.values() if form.service == driver.service and form.method == "POST")
    path, listing = form.path, listings_of(driver.service)[0].path
    sound = form.body({})
    sent: list[tuple[str, httpx.Response]] = []

    def send(label: str, method: str, where: str, **kwargs: Any) -> None:
        sent.append((label, driver.send(method, where, intent=label, **kwargs)))

    send("values of the wrong kinds", "POST", path,
         json={key: {"$gt": ""} if index % 2 else [None, 1e308] for index, key in enumerate(sound)})
    send("a body that is a bare list", "POST", path, json=[1, 2, 3])
    send("text with control characters", "POST", path, json={**sound, "name": "O'Brien\u0000\"; --"})
    send("a number far too big", "POST", path, json={**sound, "name": 10 ** 400})
    send("deeply nested data", "POST", path, content=("[" * 200 + "]" * 200).encode(),
         headers={"Content-Type": JSON_TYPE})
    send("a page that is not a number", "GET", listing, params={"page": "two'"})
    send("a page size beyond any number", "GET", listing, params={"page_size": "9" * 40})
    send("an id full of quotes", "GET", f"{path}/%27%22%3B--")
    send("an id that climbs out of its folder", "GET", f"{path}/..%2f..%2fsecrets")
    if driver.service == "identity":
        send("a second user with a taken email", "POST", path, json={**sound, "email": own_email})
        send("a sign-in with a wrong password", "POST", f"{API}/auth/token",
             json={"tenant": driver.tenant_slug, "email": own_email, "password": "not the right one at all"})
        send("another company's user", "GET", f"{API}/users/{foreign['user']}")
        send("a change of another company's user", "PATCH", f"{API}/users/{foreign['user']}", json={"name": "Mallory"})
    if driver.service == "sales":
        send("another company's client", "GET", f"{API}/clients/{foreign['client']}")
        send("a change of another company's client", "PATCH", f"{API}/clients/{foreign['client']}",
             json={"name": "Mallory"})
        send("a deal for another company's client", "POST", f"{API}/deals",
             json={"client_id": foreign["client"], "title": "Heist", "amount": "1.00"})
    if driver.service == "anomaly":
        send("another company's dataset", "GET", f"{API}/datasets/{foreign['dataset']}")
        send("a profile of another company's dataset", "GET", f"{API}/datasets/{foreign['dataset']}/profile")
        send("a detector on another company's dataset", "POST", f"{API}/detectors/{uuid.uuid4()}/training",
             json={"dataset_id": foreign["dataset"]})
    return sent
