"""Fuzzing targets: each service in-process with a tenant, broad-role callers and a few real resources.

Requests go through Schemathesis' own ASGI client (`schemathesis.python.asgi`), which runs each app's
lifespan once; `stop_apps()` ends those lifespans. Nothing here imports the acceptance suite.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from fastapi import FastAPI
from schemathesis.python import asgi

from services.common.settings import load_settings
from services.common.testing import FakeIdentity

OPERATOR_EMAIL = "root@platform.example"
OPERATOR_PASSWORD = "a long and quiet operator passphrase"
ADMIN_PASSWORD = "correct horse battery staple"
PROBLEM_BASE = "https://problems.platform.example/"
# High enough that the fuzzer never meets the per-tenant rate limit (a 429 is documented, but it would
# hide every other answer for the rest of the run).
NO_RATE_LIMIT = {"RATE_LIMIT_PER_TENANT": "100000"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class CachedTokens:
    """FakeIdentity tokens minted once per user and reused for 10 minutes (minting one costs ~0.1 s)."""

    def __init__(self, identity: FakeIdentity) -> None:
        self.identity = identity
        self._tokens: dict[str, tuple[float, str]] = {}

    def headers(self, user_id: str) -> dict[str, str]:
        minted_at, token = self._tokens.get(user_id, (0.0, ""))
        if time.monotonic() - minted_at > 600:
            minted_at, token = time.monotonic(), self.identity.token(user_id)
            self._tokens[user_id] = (minted_at, token)
        return bearer(token)


@dataclass
class Target:
    """One service under fuzzing: the app, a way to get valid caller headers, real ids to aim at."""

    name: str
    app: FastAPI
    client: requests.Session
    headers_for: Callable[[str, str], dict[str, str]]  # (method, path template) -> headers
    # Real ids and well-formed values by parameter/field name: the fuzzer swaps them in half of the time
    # so that it gets past "not found" and "invalid" into the business rules.
    known: dict[str, list[Any]] = field(default_factory=dict)
    after_call: Callable[[str, str, int], None] = lambda _method, _path, _status: None
    statuses: Counter[int] = field(default_factory=Counter)  # answers seen by the fuzzer, by status

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers_for(method.upper(), path), **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)


def _check(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: " \
                                            f"{response.status_code} {response.text}"
    return response.json() if response.content else {}


# ---------------------------------------------------------------------------------------------- identity


@contextmanager
def identity_target(data_dir: Path) -> Iterator[Target]:
    from services.identity.app import create_app

    settings = load_settings("identity", {"DATA_DIR": str(data_dir), "OPERATOR_EMAIL": OPERATOR_EMAIL,
                                          "OPERATOR_PASSWORD": OPERATOR_PASSWORD, "LOCKOUT_SECONDS": "2",
                                          **NO_RATE_LIMIT})
    app = create_app(settings)
    with asgi.get_client(app) as client:
        def sign_in(tenant: str, email: str, password: str) -> str:
            answer = client.post("/api/v1/auth/token", json={"tenant": tenant, "email": email, "password": password})
            return str(_check(answer, 200)["access_token"])

        operator = sign_in("operator", OPERATOR_EMAIL, OPERATOR_PASSWORD)
        slug = f"fuzz-{uuid.uuid4().hex[:8]}"
        admin_email = f"admin@{slug}.example"
        tenant = _check(client.post("/api/v1/tenants", headers=bearer(operator), json={
            "name": "Fuzz Org", "slug": slug, "plan": "enterprise", "currency": "EUR",
            "admin": {"email": admin_email, "name": "Alice Admin", "password": ADMIN_PASSWORD}}), 201)
        tokens = {"admin": sign_in(slug, admin_email, ADMIN_PASSWORD), "operator": operator}
        me = _check(client.get("/api/v1/auth/me", headers=bearer(tokens["admin"])), 200)
        user = _check(client.post("/api/v1/users", headers=bearer(tokens["admin"]), json={
            "email": f"ana@{slug}.example", "name": "Ana Analyst", "password": ADMIN_PASSWORD,
            "roles": ["analyst"]}), 201)
        events = _check(client.get("/api/v1/audit-events", headers=bearer(tokens["admin"])), 200)

        def headers_for(method: str, path: str) -> dict[str, str]:
            # Creating tenants is the operator's call; everything else is the tenant admin's.
            who = "operator" if (method, path) == ("POST", "/api/v1/tenants") else "admin"
            return bearer(tokens[who])

        def after_call(method: str, path: str, status: int) -> None:
            # A fuzzed logout really revokes the admin's token: sign in again for the next cases.
            if (method, path) == ("POST", "/api/v1/auth/logout") and status == 204:
                tokens["admin"] = sign_in(slug, admin_email, ADMIN_PASSWORD)

        yield Target("identity", app, client, headers_for,
                     known={"user_id": [me["id"], user["id"]], "event_id": [e["id"] for e in events["items"][:2]],
                            "tenant": [tenant["slug"]], "email": ["new.user@example.com", "second.user@example.com"],
                            "password": [ADMIN_PASSWORD, "another long enough passphrase"],
                            "current_password": [ADMIN_PASSWORD], "new_password": ["yet another long passphrase"],
                            "slug": ["fuzz-new-org"], "discount_approval_threshold": ["15", "20.5"],
                            "actor_id": [me["id"]], "resource_id": [user["id"]], "outcome": ["success", "denied"]},
                     after_call=after_call)


# ---------------------------------------------------------------------------------------------- sales


@contextmanager
def sales_target(data_dir: Path) -> Iterator[Target]:
    from services.sales.app import create_app

    identity = FakeIdentity()
    tenant = identity.add_tenant(currency="EUR", plan="enterprise", slug="fuzz-sales")
    boss = identity.add_user(tenant, ["admin", "sales_manager"], name="Alice Boss")
    rep = identity.add_user(tenant, ["sales_rep"], name="Rita Rep")
    app = create_app(load_settings("sales", {"DATA_DIR": str(data_dir), **NO_RATE_LIMIT}), identity=identity)
    with asgi.get_client(app) as client:
        as_ = CachedTokens(identity).headers

        client_ = _check(client.post("/api/v1/clients", headers=as_(rep), json={
            "name": "Initech", "email": "buyer@initech.example", "country": "DE"}), 201)
        open_deal = _check(client.post("/api/v1/deals", headers=as_(rep), json={
            "client_id": client_["id"], "title": "Open deal", "amount": "12000"}), 201)
        won = _check(client.post("/api/v1/deals", headers=as_(rep), json={
            "client_id": client_["id"], "title": "Won deal", "amount": "90000"}), 201)
        for stage in ("qualified", "proposal", "won"):
            won = _check(client.post(f"/api/v1/deals/{won['id']}/transitions", headers=as_(rep),
                                     json={"to": stage}), 200)
        payment = _check(client.post(f"/api/v1/deals/{won['id']}/payments", headers=as_(boss),
                                     json={"amount": "100"}), 201)
        notes = _check(client.get("/api/v1/notifications", headers=as_(rep)), 200)
        events = _check(client.get("/api/v1/audit-events", headers=as_(boss)), 200)
        yield Target("sales", app, client, lambda _m, _p: as_(boss),
                     known={"client_id": [client_["id"]], "deal_id": [open_deal["id"], won["id"]],
                            "notification_id": [n["id"] for n in notes["items"][:2]],
                            "event_id": [e["id"] for e in events["items"][:2]], "owner_id": [rep, boss],
                            "actor_id": [rep], "resource_id": [won["id"]], "payment_id": [payment["id"]],
                            "country": ["DE", "JP"], "email": ["buyer@initech.example"],
                            "amount": ["12000", "0.01", "1000000000"], "discount_percent": ["0", "12.5", "30"],
                            "received_at": ["2024-05-01T10:00:00Z"], "period": ["2024-Q2"],
                            "to": ["qualified", "lost"]})


# ---------------------------------------------------------------------------------------------- anomaly


@contextmanager
def anomaly_target(data_dir: Path) -> Iterator[Target]:
    from services.anomaly.app import create_app

    identity = FakeIdentity()
    tenant = identity.add_tenant(plan="enterprise", slug="fuzz-anomaly")
    boss = identity.add_user(tenant, ["admin", "analyst"], name="Ana Boss")
    app = create_app(load_settings("anomaly", {"DATA_DIR": str(data_dir), **NO_RATE_LIMIT}), identity=identity)
    tokens = CachedTokens(identity)
    with asgi.get_client(app) as client:
        headers = tokens.headers(boss)
        rows = [[float(i % 7), float((i * 3) % 11), i % 2] for i in range(40)]
        dataset = _check(client.post("/api/v1/datasets", headers=headers,
                                     json={"name": "fuzz", "columns": ["x", "y", "label"], "rows": rows}), 201)
        detectors = [
            _check(client.post("/api/v1/detectors", headers=headers,
                               json={"name": name, "algorithm": name, "features": ["x", "y"]}), 201)
            for name in ("robust_zscore", "iqr")
        ]
        job = _check(client.post(f"/api/v1/detectors/{detectors[0]['id']}/training", headers=headers,
                                 json={"dataset_id": dataset["id"]}), 202)
        _wait_for_job(client, job["job_id"], headers)
        events = _check(client.get("/api/v1/audit-events", headers=headers), 200)
        yield Target("anomaly", app, client, lambda _m, _p: tokens.headers(boss),
                     known={"dataset_id": [dataset["id"]], "detector_id": [d["id"] for d in detectors],
                            "job_id": [job["job_id"]], "event_id": [e["id"] for e in events["items"][:2]],
                            "features": [["x", "y"], ["x"]], "label_column": ["label"],
                            "columns": [["x", "y", "label"]], "rows": [rows[:5], [{"x": 1, "y": 2}]],
                            "row": [{"x": 1.0, "y": 2.0}], "label": ["anomaly", "normal"],
                            "contamination": [0.1], "threshold": [2.5], "resource_id": [dataset["id"]]})


def _wait_for_job(client: requests.Session, job_id: str, headers: dict[str, str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = _check(client.get(f"/api/v1/jobs/{job_id}", headers=headers), 200)
        if job["status"] in ("succeeded", "failed"):
            return
        time.sleep(0.05)
    raise AssertionError(f"training job {job_id} did not finish")


TARGETS: dict[str, Callable[[Path], Any]] = {
    "identity": identity_target, "sales": sales_target, "anomaly": anomaly_target,
}


def stop_apps() -> None:
    """End the lifespans Schemathesis' ASGI client started (job runners, JWKS warm-up, DB pools)."""
    asgi.shutdown_lifespans()
