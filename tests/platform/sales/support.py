"""Test support for sales platform tests: a world (app + FakeIdentity), orgs with a cast, assertions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.common.settings import load_settings
from services.common.testing import FakeIdentity
from services.sales.app import create_app


@dataclass
class Org:
    """One tenant with a user per role (names follow the suite's cast)."""

    world: World
    tenant_id: str
    users: dict[str, str] = field(default_factory=dict)

    def h(self, who: str, **extra: str) -> dict[str, str]:
        return {**self.world.identity.headers(self.users[who]), **extra}

    def add(self, who: str, roles: list[str]) -> str:
        self.users[who] = self.world.identity.add_user(self.tenant_id, roles, name=who)
        return self.users[who]

    # ---- small builders over HTTP ----
    def client(self, who: str = "rita", **fields: Any) -> dict[str, Any]:
        body = {"name": "Initech", "email": "buyer@initech.example", "country": "DE", **fields}
        answer = self.world.http.post("/api/v1/clients", json=body, headers=self.h(who))
        assert answer.status_code == 201, answer.text
        return answer.json()

    def deal(self, who: str = "rita", *, client: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        client = client or self.client(who)
        body = {"client_id": client["id"], "title": "Big deal", "amount": "12000", **fields}
        answer = self.world.http.post("/api/v1/deals", json=body, headers=self.h(who))
        assert answer.status_code == 201, answer.text
        return answer.json()

    def move(self, deal: dict[str, Any], *stages: str, who: str = "rita") -> dict[str, Any]:
        for stage in stages:
            answer = self.world.http.post(f"/api/v1/deals/{deal['id']}/transitions", json={"to": stage},
                                          headers=self.h(who))
            assert answer.status_code == 200, answer.text
            deal = answer.json()
        return deal

    def won_deal(self, who: str = "rita", **fields: Any) -> dict[str, Any]:
        return self.move(self.deal(who, **fields), "qualified", "proposal", "won", who=who)


@dataclass
class World:
    identity: FakeIdentity
    http: TestClient
    app: FastAPI

    def org(self, *, currency: str = "EUR", threshold: str = "20") -> Org:
        org = Org(self, self.identity.add_tenant(currency=currency, threshold=threshold))
        for who, roles in (("alice", ["admin"]), ("maria", ["sales_manager"]), ("mark", ["sales_manager"]),
                           ("rita", ["sales_rep"]), ("ravi", ["sales_rep"]), ("ana", ["analyst"]),
                           ("otto", ["auditor"])):
            org.add(who, roles)
        return org


def build_world(tmp: Path) -> Iterator[World]:
    settings = load_settings("sales", {"DATABASE_URL": f"sqlite:///{tmp / 'sales.db'}", "DATA_DIR": str(tmp),
                                       "RATE_LIMIT_PER_TENANT": "10000"})
    identity = FakeIdentity()
    app = create_app(settings, identity=identity)
    with TestClient(app) as http:
        yield World(identity, http, app)


def problem(answer: Any, status: int, slug: str) -> dict[str, Any]:
    """Assert a problem document with this status and slug; return its body."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["type"] == f"https://problems.platform.example/{slug}", body
    return body


def codes(answer: Any) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in problem(answer, 422, "validation-failed")["errors"]}
