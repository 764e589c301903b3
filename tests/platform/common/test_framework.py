"""The shared service framework: problems, headers, limits, auth, pagination, audit, health, metrics."""


from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.app import create_app
from services.common.audit import AuditEventMixin, AuditLog
from services.common.auth import RemoteVerifier
from services.common.db import Database
from services.common.deps import SessionDep, TenantFactsDep
from services.common.ids import new_id
from services.common.money import format_money, parse_money
from services.common.pagination import Page, PageDep, page_of
from services.common.problems import not_found
from services.common.schemas import MoneyStr, StrictModel
from services.common.settings import load_settings
from services.common.tenancy import Caller, permission
from services.common.testing import FakeIdentity, mint_token


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    price: Mapped[str] = mapped_column(String(40))


class AuditEvent(Base, AuditEventMixin):
    pass


class ThingIn(StrictModel):
    price: MoneyStr


class ThingOut(BaseModel):
    id: str
    price: str


def build(tmp_path: Path, identity: FakeIdentity, rate: str = "100") -> TestClient:
    settings = load_settings("sales", {"DATA_DIR": str(tmp_path), "RATE_LIMIT_PER_TENANT": rate})
    db = Database(settings.database_url)
    db.create_all(Base)
    audit = AuditLog(AuditEvent)
    router = APIRouter(prefix="/api/v1/things")
    writers = permission("admin")
    readers = permission("admin", "auditor")

    @router.post("", status_code=201, name="thing.created")
    def create(body: ThingIn, session: SessionDep, tenant: TenantFactsDep,
               caller: Annotated[Caller, Depends(writers)]) -> dict[str, Any]:
        price = format_money(parse_money(body.price, tenant.currency, "price"), tenant.currency)
        thing = Thing(id=new_id(), tenant_id=caller.tenant_id, price=price)
        session.add(thing)
        audit.record(session, caller, "thing.created", "thing", thing.id)
        return {"id": thing.id, "price": price}

    @router.get("", name="thing.listed", response_model=Page[ThingOut])
    def listing(session: SessionDep, page: PageDep,
                caller: Annotated[Caller, Depends(readers)]) -> Page[ThingOut]:
        stmt = select(Thing).where(Thing.tenant_id == caller.tenant_id).order_by(Thing.id)
        return page_of(session, stmt, page, Page[ThingOut], lambda t: ThingOut(id=t.id, price=t.price))

    @router.get("/{thing_id}", name="thing.read")
    def read(thing_id: str, session: SessionDep, caller: Annotated[Caller, Depends(readers)]) -> dict:
        thing = session.get(Thing, thing_id)
        if thing is None or thing.tenant_id != caller.tenant_id:
            raise not_found()
        return {"id": thing.id, "price": thing.price}

    app = create_app("test", settings, db=db, verifier=RemoteVerifier(identity, issuer=settings.issuer),
                     routers=[router], audit=audit, identity=identity)
    return TestClient(app)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[TestClient, FakeIdentity, str, str]]:
    identity = FakeIdentity()
    tenant = identity.add_tenant(currency="JPY")
    admin = identity.add_user(tenant, ["admin"])
    with build(tmp_path, identity) as client:
        yield client, identity, tenant, admin


def test_money_rounds_to_minor_units_and_refuses_numbers(world) -> None:
    client, identity, _, admin = world
    ok = client.post("/api/v1/things", json={"price": "1500"}, headers=identity.headers(admin))
    assert ok.status_code == 201 and ok.json()["price"] == "1500"
    number = client.post("/api/v1/things", json={"price": 1500}, headers=identity.headers(admin))
    assert number.status_code == 422
    assert number.json()["errors"][0] == {"field": "price", "code": "invalid_type",
                                          "message": number.json()["errors"][0]["message"]}
    too_fine = client.post("/api/v1/things", json={"price": "1500.5"}, headers=identity.headers(admin))
    assert too_fine.json()["errors"][0]["code"] == "too_many_decimals"


def test_unknown_and_read_only_fields(world) -> None:
    client, identity, _, admin = world
    answer = client.post("/api/v1/things", json={"price": "1", "id": "x", "colour": "red"},
                         headers=identity.headers(admin))
    codes = {e["field"]: e["code"] for e in answer.json()["errors"]}
    assert answer.status_code == 422 and codes == {"id": "read_only_field", "colour": "unknown_field"}
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "https://problems.platform.example/validation-failed"


def test_transport_errors_are_problems(world) -> None:
    client, identity, _, admin = world
    h = identity.headers(admin)
    assert client.get("/nowhere").json()["type"].endswith("/not-found")
    assert client.delete("/api/v1/things", headers=h).json()["type"].endswith("/method-not-allowed")
    wrong = client.post("/api/v1/things", content=b"price=1", headers={**h, "Content-Type": "text/plain"})
    assert wrong.status_code == 415 and wrong.json()["type"].endswith("/unsupported-media-type")
    bad = client.post("/api/v1/things", content=b"{nope", headers={**h, "Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "malformed_json"
    big = client.post("/api/v1/things", content=b" " * (1024 * 1024 + 1),
                      headers={**h, "Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["type"].endswith("/payload-too-large")


def test_headers_on_every_answer(world) -> None:
    client, identity, _, admin = world
    answer = client.get("/api/v1/things", headers={**identity.headers(admin), "X-Request-ID": "abc-123"})
    assert answer.headers["x-request-id"] == "abc-123"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    fresh = client.get("/health/live")
    assert fresh.headers["x-request-id"] and fresh.headers["x-content-type-options"] == "nosniff"


def test_authentication_failures(world) -> None:
    client, identity, tenant, admin = world
    none = client.get("/api/v1/things")
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    hs = mint_token(sub=admin, tid=tenant, roles=["admin"])
    tampered = hs[:-4] + ("AAAA" if not hs.endswith("AAAA") else "BBBB")
    for token in (tampered, identity.token(admin, ttl=-60), identity.token(admin, issuer="evil"),
                  identity.token(admin, audience="other")):
        answer = client.get("/api/v1/things", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401, token
        assert answer.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    identity.users[admin]["active"] = False
    assert client.get("/api/v1/things", headers=identity.headers(admin)).status_code == 401


def test_roles_current_roles_and_denied_audit(world) -> None:
    client, identity, tenant, admin = world
    auditor = identity.add_user(tenant, ["auditor"])
    assert client.get("/api/v1/things", headers=identity.headers(auditor)).status_code == 200
    refused = client.post("/api/v1/things", json={"price": "1"}, headers=identity.headers(auditor))
    assert refused.status_code == 403 and refused.json()["type"].endswith("/forbidden")
    events = client.get("/api/v1/audit-events", params={"outcome": "denied"},
                        headers=identity.headers(admin)).json()
    assert events["total"] == 1 and events["items"][0]["action"] == "thing.created"
    assert events["items"][0]["actor_id"] == auditor
    assert client.delete(f"/api/v1/audit-events/{events['items'][0]['id']}",
                         headers=identity.headers(admin)).status_code == 405


def test_pagination_bounds(world) -> None:
    client, identity, _, admin = world
    h = identity.headers(admin)
    for _ in range(3):
        client.post("/api/v1/things", json={"price": "1"}, headers=h)
    page = client.get("/api/v1/things", params={"page_size": 2, "page": 2}, headers=h).json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["page"] == 2
    assert client.get("/api/v1/things", params={"page_size": 101}, headers=h).status_code == 422
    assert client.get("/api/v1/things", params={"page": 0}, headers=h).status_code == 422


def test_other_tenant_is_not_found(world) -> None:
    client, identity, _, admin = world
    thing = client.post("/api/v1/things", json={"price": "1"}, headers=identity.headers(admin)).json()
    other = identity.add_tenant()
    bob = identity.add_user(other, ["admin"])
    theirs = client.get(f"/api/v1/things/{thing['id']}", headers=identity.headers(bob))
    never = client.get(f"/api/v1/things/{new_id()}", headers=identity.headers(bob))
    assert theirs.status_code == never.status_code == 404 and theirs.json() == never.json()


def test_health_metrics_and_identity_down(world) -> None:
    client, identity, _, admin = world
    assert client.get("/health/ready").json()["status"] == "ready"
    client.get("/api/v1/things", headers=identity.headers(admin))
    text = client.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/api/v1/things",status="200"}' in text
    assert "http_request_duration_seconds_bucket" in text
    token = identity.token(admin)
    client.get("/api/v1/things", headers={"Authorization": f"Bearer {token}"})
    identity.down = True
    assert client.get("/api/v1/things", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_rate_limit_is_per_tenant(tmp_path: Path) -> None:
    identity = FakeIdentity()
    busy, calm = identity.add_tenant(), identity.add_tenant()
    busy_user, calm_user = identity.add_user(busy, ["admin"]), identity.add_user(calm, ["admin"])
    with build(tmp_path, identity, rate="1") as client:  # a burst of 2, then 1 a second
        answers = [client.get("/api/v1/things", headers=identity.headers(busy_user)) for _ in range(8)]
        # The first refusal is kept: a further request may find a token refilled on a slow machine.
        limited = next((r for r in answers if r.status_code == 429), None)
        assert limited is not None, [r.status_code for r in answers]
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/api/v1/things", headers=identity.headers(calm_user)).status_code == 200
