"""Helpers of the identity platform tests: an app over a temp data dir and a small API driver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from services.common.settings import Settings, load_settings
from services.identity.app import create_app

ROOT_DIR = Path(__file__).resolve().parents[3]
OPERATOR_EMAIL = "root@platform.example"
OPERATOR_PASSWORD = "a long and quiet operator passphrase"
PASSWORD = "correct horse battery staple"
PROBLEM_BASE = "https://problems.platform.example/"


def make_settings(data_dir: Path, **env: str) -> Settings:
    values = {"DATA_DIR": str(data_dir), "OPERATOR_EMAIL": OPERATOR_EMAIL, "OPERATOR_PASSWORD": OPERATOR_PASSWORD,
              "LOCKOUT_SECONDS": "2", **env}
    return load_settings("identity", values)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["type"] == PROBLEM_BASE + slug, body
    assert body["status"] == status and body["title"] and body["detail"], body
    return body


def error_codes(response: httpx.Response) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


@dataclass
class Org:
    """A tenant created by the operator, with its first admin signed in."""

    tenant: dict[str, Any]
    admin: dict[str, Any]
    admin_email: str
    admin_token: str
    slug: str = field(init=False)

    def __post_init__(self) -> None:
        self.slug = self.tenant["slug"]


class Api:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self._operator_token: str | None = None

    def sign_in(self, tenant: str, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.client.post("/api/v1/auth/token", json={"tenant": tenant, "email": email, "password": password})

    def tokens(self, tenant: str, email: str, password: str = PASSWORD) -> dict[str, Any]:
        response = self.sign_in(tenant, email, password)
        assert response.status_code == 200, response.text
        return response.json()

    def token(self, tenant: str, email: str, password: str = PASSWORD) -> str:
        return self.tokens(tenant, email, password)["access_token"]

    @property
    def operator_token(self) -> str:
        if self._operator_token is None:
            self._operator_token = self.token("operator", OPERATOR_EMAIL, OPERATOR_PASSWORD)
        return self._operator_token

    def create_tenant(self, *, plan: str = "growth", currency: str = "EUR", slug: str | None = None) -> Org:
        slug = slug or unique("org")
        email = f"admin@{slug}.example"
        body = {"name": f"Org {slug}", "slug": slug, "plan": plan, "currency": currency,
                "admin": {"email": email, "name": "Alice Admin", "password": PASSWORD}}
        response = self.client.post("/api/v1/tenants", json=body, headers=bearer(self.operator_token))
        assert response.status_code == 201, response.text
        token = self.token(slug, email)
        me = self.get("/api/v1/auth/me", token).json()
        return Org(tenant=response.json(), admin=me, admin_email=email, admin_token=token)

    def create_user(self, org: Org, roles: list[str], *, email: str | None = None,
                    password: str = PASSWORD) -> tuple[dict[str, Any], str]:
        email = email or f"{unique('user')}@{org.slug}.example"
        response = self.post("/api/v1/users", org.admin_token,
                             {"email": email, "name": "Test User", "password": password, "roles": roles})
        assert response.status_code == 201, response.text
        return response.json(), self.token(org.slug, email, password)

    def get(self, path: str, token: str, **params: Any) -> httpx.Response:
        return self.client.get(path, headers=bearer(token), params=params)

    def post(self, path: str, token: str | None, body: Any = None) -> httpx.Response:
        headers = bearer(token) if token else {}
        return self.client.post(path, json=body, headers=headers)

    def patch(self, path: str, token: str, body: Any) -> httpx.Response:
        return self.client.patch(path, json=body, headers=bearer(token))

    def put(self, path: str, token: str, body: Any) -> httpx.Response:
        return self.client.put(path, json=body, headers=bearer(token))

    def audit(self, token: str, **filters: str) -> list[dict[str, Any]]:
        response = self.get("/api/v1/audit-events", token, page_size=100, **filters)
        assert response.status_code == 200, response.text
        return response.json()["items"]


def open_api(data_dir: Path, **env: str) -> Iterator[Api]:
    settings = make_settings(data_dir, **env)
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)
