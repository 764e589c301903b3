"""Contract §3: users — who may do what, uniqueness, quotas, the last admin, deactivation, roles."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.platform.identity.support import PASSWORD, Api, Org, assert_problem, error_codes, unique

ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
def org(api: Api) -> Org:
    return api.create_tenant(plan="growth")


@pytest.fixture(scope="module")
def globex(api: Api) -> Org:
    return api.create_tenant(plan="growth", currency="USD")


def user_body(email: str, roles: list[str], **changes: object) -> dict[str, object]:
    body: dict[str, object] = {"email": email, "name": "Rita Rep", "password": PASSWORD, "roles": roles}
    return {**body, **changes}


def test_admin_creates_a_user(api: Api, org: Org) -> None:
    email = f"{unique('rita')}@acme.example"
    response = api.post("/api/v1/users", org.admin_token, user_body(email, ["sales_rep", "analyst"]))
    assert response.status_code == 201
    user = response.json()
    assert set(user) == {"id", "tenant_id", "email", "name", "roles", "active", "created_at"}
    assert user["tenant_id"] == org.tenant["id"] and user["active"] is True
    assert user["roles"] == ["sales_rep", "analyst"] and user["email"] == email
    assert re.fullmatch(r"[0-9a-f-]{36}", user["id"]) and user["created_at"].endswith("Z")
    events = api.audit(org.admin_token, action="user.created", resource_id=user["id"])
    assert [(e["actor_id"], e["outcome"], e["resource_type"]) for e in events] == [(org.admin["id"], "success", "user")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"roles": ["operator"]}, ("roles[0]", "invalid_choice")),
        ({"roles": ["boss"]}, ("roles[0]", "invalid_choice")),
        ({"email": "not-an-email"}, ("email", "invalid_format")),
        ({"id": "mine"}, ("id", "read_only_field")),
        ({"tenant_id": "t"}, ("tenant_id", "read_only_field")),
        ({"active": True}, ("active", "unknown_field")),
        ({"password": "short"}, ("password", "too_short")),
        ({"password": "Password1234567"}, None),
    ],
)
def test_user_validation(api: Api, org: Org, changes: dict[str, object], expected: tuple[str, str] | None) -> None:
    body = {**user_body(f"{unique('v')}@acme.example", ["analyst"]), **changes}
    response = api.post("/api/v1/users", org.admin_token, body)
    if expected is None:
        assert response.status_code == 201, response.text
        return
    assert_problem(response, 422, "validation-failed")
    assert expected in error_codes(response)


def test_password_rules_all_reported(api: Api, org: Org) -> None:
    email = f"johnny@{unique('d')}.example"
    local = email.split("@")[0]
    response = api.post("/api/v1/users", org.admin_token, user_body(email, ["analyst"], password=local.upper()))
    assert set(error_codes(response)) == {("password", "too_short"), ("password", "contains_email")}
    common = api.post("/api/v1/users", org.admin_token,
                      user_body(f"{unique('x')}@acme.example", ["analyst"], password="QAZWSXEDCRFVTGB"))
    assert error_codes(common) == [("password", "common_password")]
    spaces = api.post("/api/v1/users", org.admin_token,
                      user_body(f"{unique('s')}@acme.example", ["analyst"], password="   ünïcødé  ok   "))
    assert spaces.status_code == 201


def test_email_unique_per_tenant_ignoring_case(api: Api, org: Org, globex: Org) -> None:
    email = f"{unique('dup')}@acme.example"
    assert api.post("/api/v1/users", org.admin_token, user_body(email, ["analyst"])).status_code == 201
    again = api.post("/api/v1/users", org.admin_token, user_body(email.upper(), ["analyst"]))
    assert_problem(again, 409, "conflict")
    assert api.post("/api/v1/users", globex.admin_token, user_body(email, ["analyst"])).status_code == 201


def test_quota_of_the_plan(api: Api) -> None:
    small = api.create_tenant(plan="starter")
    users = [api.create_user(small, ["analyst"])[0] for _ in range(4)]
    over = api.post("/api/v1/users", small.admin_token, user_body(f"{unique('q')}@x.example", ["analyst"]))
    assert_problem(over, 403, "quota-exceeded")
    assert api.patch(f"/api/v1/users/{users[0]['id']}", small.admin_token, {"active": False}).status_code == 200
    again = api.post("/api/v1/users", small.admin_token, user_body(f"{unique('q')}@x.example", ["analyst"]))
    assert again.status_code == 201
    reactivate = api.patch(f"/api/v1/users/{users[0]['id']}", small.admin_token, {"active": True})
    assert_problem(reactivate, 403, "quota-exceeded")


def test_listing_users(api: Api, org: Org) -> None:
    _, auditor = api.create_user(org, ["auditor"])
    _, rep = api.create_user(org, ["sales_rep"])
    page = api.get("/api/v1/users", auditor, page=1, page_size=2).json()
    assert set(page) == {"items", "page", "page_size", "total"} and page["page_size"] == 2
    assert len(page["items"]) == 2 and page["total"] >= 3
    everyone = api.get("/api/v1/users", org.admin_token, page_size=100).json()["items"]
    assert [u["created_at"] for u in everyone] == sorted(u["created_at"] for u in everyone)
    assert everyone[0]["id"] == org.admin["id"]
    assert all(u["tenant_id"] == org.tenant["id"] for u in everyone)
    assert_problem(api.get("/api/v1/users", rep), 403, "forbidden")
    for params in ({"page": 0}, {"page_size": 0}, {"page_size": 101}):
        assert_problem(api.get("/api/v1/users", org.admin_token, **params), 422, "validation-failed")


def test_reading_users(api: Api, org: Org, globex: Org) -> None:
    rita, rep = api.create_user(org, ["sales_rep"])
    ravi, _ = api.create_user(org, ["sales_rep"])
    _, auditor = api.create_user(org, ["auditor"])
    assert api.get(f"/api/v1/users/{rita['id']}", rep).json() == rita
    assert api.get(f"/api/v1/users/{rita['id']}", auditor).status_code == 200
    assert_problem(api.get(f"/api/v1/users/{ravi['id']}", rep), 403, "forbidden")
    assert_problem(api.get(f"/api/v1/users/{uuid.uuid4()}", rep), 403, "forbidden")  # role check first
    missing = api.get(f"/api/v1/users/{uuid.uuid4()}", org.admin_token)
    foreign = api.get(f"/api/v1/users/{globex.admin['id']}", org.admin_token)
    assert assert_problem(missing, 404, "not-found") == assert_problem(foreign, 404, "not-found")
    assert_problem(api.patch(f"/api/v1/users/{globex.admin['id']}", org.admin_token, {"name": "x"}), 404, "not-found")


def test_a_user_may_change_only_its_own_name(api: Api, org: Org) -> None:
    rita, rep = api.create_user(org, ["sales_rep"])
    ravi, _ = api.create_user(org, ["sales_rep"])
    renamed = api.patch(f"/api/v1/users/{rita['id']}", rep, {"name": "Rita R."})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Rita R."
    assert_problem(api.patch(f"/api/v1/users/{rita['id']}", rep, {"roles": ["admin"]}), 403, "forbidden")
    assert_problem(api.patch(f"/api/v1/users/{rita['id']}", rep, {"active": False}), 403, "forbidden")
    assert_problem(api.patch(f"/api/v1/users/{ravi['id']}", rep, {"name": "x"}), 403, "forbidden")
    denied = api.audit(org.admin_token, action="user.updated", outcome="denied", actor_id=rita["id"])
    assert len(denied) == 3


def test_auditors_only_read(api: Api, org: Org) -> None:
    otto, auditor = api.create_user(org, ["auditor"])
    assert_problem(api.patch(f"/api/v1/users/{otto['id']}", auditor, {"name": "Otto"}), 403, "forbidden")
    assert_problem(api.post("/api/v1/users", auditor, user_body(f"{unique('a')}@x.example", ["analyst"])), 403,
                   "forbidden")
    assert api.get("/api/v1/audit-events", auditor).status_code == 200


def test_patch_validation(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    for body, expected in (({"name": None}, ("name", "invalid_type")), ({"active": "no"}, ("active", "invalid_type")),
                           ({"email": "new@x.example"}, ("email", "unknown_field")),
                           ({"roles": ["wizard"]}, ("roles[0]", "invalid_choice"))):
        response = api.patch(f"/api/v1/users/{user['id']}", org.admin_token, body)
        assert_problem(response, 422, "validation-failed")
        assert expected in error_codes(response)


def test_last_active_admin_is_kept(api: Api) -> None:
    solo = api.create_tenant()
    admin_id = solo.admin["id"]
    assert_problem(api.patch(f"/api/v1/users/{admin_id}", solo.admin_token, {"active": False}), 409, "conflict")
    assert_problem(api.patch(f"/api/v1/users/{admin_id}", solo.admin_token, {"roles": ["analyst"]}), 409, "conflict")
    second, second_token = api.create_user(solo, ["admin"])
    demoted = api.patch(f"/api/v1/users/{admin_id}", second_token, {"roles": ["analyst"]})
    assert demoted.status_code == 200 and demoted.json()["roles"] == ["analyst"]
    assert_problem(api.patch(f"/api/v1/users/{second['id']}", second_token, {"active": False}), 409, "conflict")


def test_deactivation_kills_tokens_at_once(api: Api, org: Org) -> None:
    user, token = api.create_user(org, ["sales_manager"])
    pair = api.tokens(org.slug, user["email"])
    response = api.patch(f"/api/v1/users/{user['id']}", org.admin_token, {"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    for access in (token, pair["access_token"]):
        assert_problem(api.get(ME, access), 401, "unauthenticated")
    assert api.post("/api/v1/auth/refresh", None, {"refresh_token": pair["refresh_token"]}).status_code == 401
    assert_problem(api.sign_in(org.slug, user["email"]), 401, "invalid-credentials")
    events = api.audit(org.admin_token, action="user.deactivated", resource_id=user["id"])
    assert len(events) == 1
    assert api.patch(f"/api/v1/users/{user['id']}", org.admin_token, {"active": True}).status_code == 200
    assert api.get(ME, token).status_code == 200  # a reactivated user's unexpired tokens work again


def test_role_change_takes_effect_for_issued_tokens(api: Api, org: Org) -> None:
    user, token = api.create_user(org, ["sales_rep"])
    assert_problem(api.get("/api/v1/users", token), 403, "forbidden")
    changed = api.patch(f"/api/v1/users/{user['id']}", org.admin_token, {"roles": ["admin", "admin"]})
    assert changed.json()["roles"] == ["admin"]
    assert api.get(ME, token).json()["roles"] == ["admin"]
    assert api.get("/api/v1/users", token).status_code == 200
    api.patch(f"/api/v1/users/{user['id']}", org.admin_token, {"roles": []})
    assert_problem(api.get("/api/v1/users", token), 403, "forbidden")
    assert [e for e in api.audit(org.admin_token, action="user.updated") if e["resource_id"] == user["id"]]


def test_operator_has_no_tenant_powers(api: Api) -> None:
    assert_problem(api.get("/api/v1/users", api.operator_token), 403, "forbidden")


def test_audit_log_is_append_only_and_scoped(api: Api, org: Org, globex: Org) -> None:
    events = api.audit(org.admin_token)
    assert events and {"id", "occurred_at", "actor_id", "action", "resource_type", "resource_id", "outcome",
                       "request_id"} == set(events[0])
    assert not {e["id"] for e in events} & {e["id"] for e in api.audit(globex.admin_token)}
    for method in ("put", "patch", "delete"):
        response = getattr(api.client, method)(f"/api/v1/audit-events/{events[0]['id']}",
                                               headers={"Authorization": f"Bearer {org.admin_token}"})
        assert_problem(response, 405, "method-not-allowed")
    _, rep = api.create_user(org, ["sales_rep"])
    assert_problem(api.get("/api/v1/audit-events", rep), 403, "forbidden")
