"""Contract §3: tenants (operator only), the caller's tenant with usage and limits, settings."""

from __future__ import annotations

import re

import pytest

from tests.platform.identity.support import PASSWORD, Api, Org, assert_problem, error_codes, unique

RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def tenant_body(slug: str, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {"name": "Acme", "slug": slug, "plan": "starter", "currency": "EUR",
                               "admin": {"email": f"alice@{slug}.example", "name": "Alice", "password": PASSWORD}}
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def org(api: Api) -> Org:
    return api.create_tenant(plan="starter", currency="JPY")


def test_operator_creates_a_tenant_with_its_first_admin(api: Api) -> None:
    slug = unique("acme")
    response = api.post("/api/v1/tenants", api.operator_token, tenant_body(slug))
    assert response.status_code == 201
    tenant = response.json()
    assert set(tenant) == {"id", "name", "slug", "plan", "currency", "created_at"}
    assert (tenant["slug"], tenant["plan"], tenant["currency"]) == (slug, "starter", "EUR")
    assert RFC3339_Z.match(tenant["created_at"])
    token = api.token(slug, f"alice@{slug}.example")
    me = api.get("/api/v1/auth/me", token).json()
    assert me["roles"] == ["admin"] and me["tenant_id"] == tenant["id"]
    assert [e for e in api.audit(token, action="user.created") if e["resource_id"] == me["id"]]


def test_only_the_operator_creates_tenants(api: Api, org: Org) -> None:
    assert_problem(api.post("/api/v1/tenants", org.admin_token, tenant_body(unique("nope"))), 403, "forbidden")
    assert_problem(api.post("/api/v1/tenants", None, tenant_body(unique("nope"))), 401, "unauthenticated")


@pytest.mark.parametrize("slug", ["ab", "a" * 33, "Upper-case", "under_score", "spa ce", "émoji"])
def test_slug_rules(api: Api, slug: str) -> None:
    response = api.post("/api/v1/tenants", api.operator_token, tenant_body(slug))
    assert_problem(response, 422, "validation-failed")
    assert ("slug", "invalid_format") in error_codes(response)


def test_slug_edges_are_accepted(api: Api) -> None:
    for slug in (unique("x")[:3].replace("-", "a"), ("z" * 24) + unique("")[1:9]):
        response = api.post("/api/v1/tenants", api.operator_token, tenant_body(slug))
        assert response.status_code in (201, 409), response.text


def test_duplicate_and_reserved_slugs_conflict(api: Api, org: Org) -> None:
    assert_problem(api.post("/api/v1/tenants", api.operator_token, tenant_body(org.slug)), 409, "conflict")
    assert_problem(api.post("/api/v1/tenants", api.operator_token, tenant_body("operator")), 409, "conflict")


@pytest.mark.parametrize(("field", "value"), [("plan", "platinum"), ("currency", "CHF"), ("currency", "eur")])
def test_plan_and_currency_are_closed_lists(api: Api, field: str, value: str) -> None:
    response = api.post("/api/v1/tenants", api.operator_token, tenant_body(unique("t"), **{field: value}))
    assert_problem(response, 422, "validation-failed")
    assert (field, "invalid_choice") in error_codes(response)


def test_unknown_and_read_only_fields(api: Api) -> None:
    response = api.post("/api/v1/tenants", api.operator_token, tenant_body(unique("t"), id="x", colour="red"))
    assert set(error_codes(response)) == {("id", "read_only_field"), ("colour", "unknown_field")}


def test_first_admin_password_follows_the_rules(api: Api) -> None:
    slug = unique("weak")
    body = tenant_body(slug, admin={"email": f"alice@{slug}.example", "name": "A", "password": "password"})
    response = api.post("/api/v1/tenants", api.operator_token, body)
    assert set(error_codes(response)) == {("admin.password", "too_short"), ("admin.password", "common_password")}


def test_current_tenant_with_usage_and_limits(api: Api, org: Org) -> None:
    api.create_user(org, ["analyst"])
    inactive, _ = api.create_user(org, ["analyst"])
    api.patch(f"/api/v1/users/{inactive['id']}", org.admin_token, {"active": False})
    _, rep_token = api.create_user(org, ["sales_rep"])
    response = api.get("/api/v1/tenants/current", rep_token)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == org.tenant["id"] and body["currency"] == "JPY" and body["plan"] == "starter"
    assert body["limits"] == {"users": 5, "detectors": 3, "dataset_rows": 10_000}
    assert body["usage"] == {"users": 3, "detectors": 0, "dataset_rows": 0}


def test_plan_limits_by_plan(api: Api) -> None:
    for plan, limits in (("growth", (50, 20, 100_000)), ("enterprise", (1000, 200, 1_000_000))):
        org = api.create_tenant(plan=plan)
        body = api.get("/api/v1/tenants/current", org.admin_token).json()
        assert tuple(body["limits"].values()) == limits


def test_usage_report_extension(api: Api) -> None:
    org = api.create_tenant()
    _, analyst = api.create_user(org, ["analyst"])
    _, rep = api.create_user(org, ["sales_rep"])
    report = {"detectors": 2, "dataset_rows": 1234}
    assert_problem(api.put("/api/v1/tenants/current/usage", rep, report), 403, "forbidden")
    response = api.put("/api/v1/tenants/current/usage", analyst, report)
    assert response.status_code == 200 and response.json()["usage"]["detectors"] == 2
    assert api.get("/api/v1/tenants/current", rep).json()["usage"]["dataset_rows"] == 1234
    assert api.put("/api/v1/tenants/current/usage", analyst, {"detectors": -1, "dataset_rows": 0}).status_code == 422


def test_settings_default_read_and_admin_write(api: Api) -> None:
    org = api.create_tenant()
    _, rep = api.create_user(org, ["sales_rep"])
    _, auditor = api.create_user(org, ["auditor"])
    assert api.get("/api/v1/tenants/current/settings", rep).json() == {"discount_approval_threshold": "20"}
    for token in (rep, auditor):
        response = api.patch("/api/v1/tenants/current/settings", token, {"discount_approval_threshold": "30"})
        assert_problem(response, 403, "forbidden")
    response = api.patch("/api/v1/tenants/current/settings", org.admin_token, {"discount_approval_threshold": "12.5"})
    assert response.status_code == 200 and response.json() == {"discount_approval_threshold": "12.5"}
    assert api.get("/api/v1/tenants/current/settings", rep).json()["discount_approval_threshold"] == "12.5"
    for edge in ("0", "100"):
        assert api.patch("/api/v1/tenants/current/settings", org.admin_token,
                         {"discount_approval_threshold": edge}).json() == {"discount_approval_threshold": edge}
    assert [e for e in api.audit(org.admin_token, action="settings.updated")]
    denied = api.audit(org.admin_token, action="settings.updated", outcome="denied")
    assert len(denied) == 2


@pytest.mark.parametrize(
    ("value", "code"),
    [(25, "invalid_type"), ("100.01", "out_of_range"), ("-1", "out_of_range"), ("abc", "invalid_amount"),
     ("1e2", "invalid_amount"), (None, "invalid_type")],
)
def test_settings_validation(api: Api, org: Org, value: object, code: str) -> None:
    response = api.patch("/api/v1/tenants/current/settings", org.admin_token, {"discount_approval_threshold": value})
    assert_problem(response, 422, "validation-failed")
    assert error_codes(response) == [("discount_approval_threshold", code)]
