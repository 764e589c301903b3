"""Tenancy and roles: other tenants' ids are 404 like never-existed; the role check comes first (§2, §4)."""

from __future__ import annotations

import pytest

from tests.platform.sales.support import Org, World, problem

MISSING = "4b8f0c4e-0000-4000-8000-000000000000"


def _calls(client_id: str, deal_id: str, notice_id: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/api/v1/clients/{client_id}", None),
        ("PATCH", f"/api/v1/clients/{client_id}", {"name": "X"}),
        ("DELETE", f"/api/v1/clients/{client_id}", None),
        ("GET", f"/api/v1/deals/{deal_id}", None),
        ("PATCH", f"/api/v1/deals/{deal_id}", {"title": "X"}),
        ("POST", f"/api/v1/deals/{deal_id}/transitions", {"to": "lost"}),
        ("POST", f"/api/v1/deals/{deal_id}/approval", {"decision": "approve"}),
        ("POST", f"/api/v1/deals/{deal_id}/payments", {"amount": "1"}),
        ("GET", f"/api/v1/deals/{deal_id}/payments", None),
        ("POST", f"/api/v1/notifications/{notice_id}/read", None),
    ]


def test_other_tenants_resources_are_never_existed(world: World, acme: Org, globex: Org) -> None:
    deal = globex.won_deal("rita", discount_percent="0")
    globex.deal("rita", discount_percent="50")
    notice = world.http.get("/api/v1/notifications", headers=globex.h("maria")).json()["items"][0]
    foreign = _calls(deal["client_id"], deal["id"], notice["id"])
    missing = _calls(MISSING, MISSING, MISSING)
    for (verb, url, body), (_, gone_url, _) in zip(foreign, missing, strict=True):
        for who in ("alice", "maria"):
            theirs = world.http.request(verb, url, json=body, headers=acme.h(who))
            never = world.http.request(verb, gone_url, json=body, headers=acme.h(who))
            if theirs.status_code == 403:  # e.g. none: both tenants' roles allow these calls
                pytest.fail(f"{verb} {url} answered 403")
            problem(theirs, 404, "not-found")
            assert theirs.json() == never.json(), (verb, url)
    # Nothing of Globex changed.
    assert world.http.get(f"/api/v1/deals/{deal['id']}", headers=globex.h("rita")).json() == {
        **deal, "updated_at": deal["updated_at"]}


@pytest.mark.parametrize("who", ["ana", "operator"])
def test_roles_never_allowed_get_403_whatever_the_id(world: World, acme: Org, who: str) -> None:
    if who == "operator":
        operator_tenant = world.identity.add_tenant(slug="operator")
        acme.users["operator"] = world.identity.add_user(operator_tenant, ["operator"])
    deal = acme.deal("rita")
    calls = [*_calls(deal["client_id"], deal["id"], MISSING), *_calls(MISSING, MISSING, MISSING),
             ("GET", "/api/v1/clients", None), ("POST", "/api/v1/clients", {"name": "A"}),
             ("GET", "/api/v1/deals", None), ("POST", "/api/v1/deals", {"title": "A"}),
             ("GET", "/api/v1/commissions", None), ("GET", "/api/v1/notifications", None),
             ("GET", "/api/v1/reports/pipeline", None), ("GET", "/api/v1/audit-events", None)]
    for verb, url, body in calls:
        problem(world.http.request(verb, url, json=body, headers=acme.h(who)), 403, "forbidden")


def test_rep_gets_403_on_approval_whatever_the_id(world: World, acme: Org) -> None:
    problem(world.http.post(f"/api/v1/deals/{MISSING}/approval", json={"decision": "approve"},
                            headers=acme.h("rita")), 403, "forbidden")


def test_auditor_writes_are_403(world: World, acme: Org) -> None:
    deal = acme.deal("rita")
    for verb, url, body in _calls(deal["client_id"], deal["id"], MISSING):
        if verb != "GET":
            problem(world.http.request(verb, url, json=body, headers=acme.h("otto")), 403, "forbidden")


def test_role_change_applies_to_tokens_already_issued(world: World, acme: Org) -> None:
    token = {"Authorization": f"Bearer {world.identity.token(acme.users['ana'])}"}
    problem(world.http.get("/api/v1/deals", headers=token), 403, "forbidden")
    world.identity.users[acme.users["ana"]]["roles"] = ["sales_manager"]
    import time

    time.sleep(1.2)  # the verifier caches identity's answer for 1 s
    assert world.http.get("/api/v1/deals", headers=token).status_code == 200


def test_authentication(world: World, acme: Org) -> None:
    answer = world.http.get("/api/v1/deals")
    problem(answer, 401, "unauthenticated")
    assert answer.headers["www-authenticate"] == "Bearer"
    bad = world.http.get("/api/v1/deals", headers={"Authorization": "Bearer not-a-token"})
    problem(bad, 401, "unauthenticated")
    assert bad.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    token = world.identity.token(acme.users["rita"])
    world.identity.revoked.add(__import__("jwt").decode(token, options={"verify_signature": False})["jti"])
    problem(world.http.get("/api/v1/deals", headers={"Authorization": f"Bearer {token}"}), 401, "unauthenticated")
