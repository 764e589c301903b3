"""Contract §3: sign-in answers, throttling, refresh rotation, logout, password changes."""

from __future__ import annotations

import time

import pytest

from tests.platform.identity.support import PASSWORD, Api, Org, assert_problem, error_codes, unique

ME = "/api/v1/auth/me"


@pytest.fixture(scope="module")
def org(api: Api) -> Org:
    return api.create_tenant()


def test_every_wrong_credential_gets_the_same_answer(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["sales_rep"])
    inactive, _ = api.create_user(org, ["sales_rep"])
    assert api.patch(f"/api/v1/users/{inactive['id']}", org.admin_token, {"active": False}).status_code == 200
    answers = [
        api.sign_in("no-such-tenant", user["email"]),
        api.sign_in(org.slug, "nobody@nowhere.example"),
        api.sign_in(org.slug, user["email"], PASSWORD + "!"),
        api.sign_in(org.slug, inactive["email"]),
    ]
    bodies = [assert_problem(answer, 401, "invalid-credentials") for answer in answers]
    assert len({body["detail"] for body in bodies}) == 1
    assert len({tuple(sorted(body.items())) for body in bodies}) == 1


def test_email_is_matched_ignoring_case(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    assert api.sign_in(org.slug, user["email"].upper()).status_code == 200


def test_missing_fields_are_validation_errors(api: Api) -> None:
    response = api.post("/api/v1/auth/token", None, {"tenant": "x"})
    assert_problem(response, 422, "validation-failed")
    assert {field for field, _ in error_codes(response)} == {"email", "password"}


def test_password_is_used_whole(api: Api, org: Org) -> None:
    long_password = "Ω long passphrase " + "x" * 81 + "a"
    assert len(long_password) == 100
    user, _ = api.create_user(org, ["analyst"], password=long_password)
    assert api.sign_in(org.slug, user["email"], long_password).status_code == 200
    assert_problem(api.sign_in(org.slug, user["email"], long_password[:-1] + "b"), 401, "invalid-credentials")
    assert_problem(api.sign_in(org.slug, user["email"], long_password[:72]), 401, "invalid-credentials")


def test_failed_sign_ins_are_audited_once_each(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    api.sign_in(org.slug, user["email"], "wrong wrong wrong wrong")
    api.sign_in(org.slug, "ghost@nowhere.example", "wrong wrong wrong wrong")
    events = api.audit(org.admin_token, action="auth.login_failed")
    assert all(event["outcome"] == "denied" for event in events)
    assert len([event for event in events if event["resource_id"] == user["id"]]) == 1
    assert len([event for event in events if event["resource_id"] is None]) >= 1


def test_throttling_after_five_failures_then_release(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    for _ in range(5):
        assert_problem(api.sign_in(org.slug, user["email"], "not the password at all"), 401, "invalid-credentials")
    locked = api.sign_in(org.slug, user["email"])  # even the right password
    assert_problem(locked, 429, "too-many-attempts")
    assert 1 <= int(locked.headers["retry-after"]) <= 2
    assert api.sign_in(org.slug, user["email"].upper()).status_code == 429
    other, _ = api.create_user(org, ["analyst"])
    assert api.sign_in(org.slug, other["email"]).status_code == 200  # per (tenant, email)
    time.sleep(2.2)  # LOCKOUT_SECONDS=2 in these tests
    assert api.sign_in(org.slug, user["email"]).status_code == 200


def test_unknown_emails_and_tenants_are_throttled_too(api: Api, org: Org) -> None:
    ghost = f"{unique('ghost')}@nowhere.example"
    for tenant in (org.slug, "no-such-tenant"):
        for _ in range(5):
            assert api.sign_in(tenant, ghost, "whatever it is now").status_code == 401
        response = api.sign_in(tenant, ghost, "whatever it is now")
        assert_problem(response, 429, "too-many-attempts")
        assert "retry-after" in response.headers


def test_a_success_resets_the_count(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    for _ in range(4):
        api.sign_in(org.slug, user["email"], "not the password at all")
    assert api.sign_in(org.slug, user["email"]).status_code == 200
    for _ in range(4):
        assert api.sign_in(org.slug, user["email"], "not the password at all").status_code == 401
    assert api.sign_in(org.slug, user["email"]).status_code == 200


def test_refresh_rotates_and_reuse_kills_the_family(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    first = api.tokens(org.slug, user["email"])
    second = api.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    pair = second.json()
    assert set(pair) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert pair["refresh_token"] != first["refresh_token"] and pair["access_token"] != first["access_token"]
    assert api.get(ME, pair["access_token"]).status_code == 200
    reused = api.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]})
    assert_problem(reused, 401, "unauthenticated")
    newest = api.post("/api/v1/auth/refresh", None, {"refresh_token": pair["refresh_token"]})
    assert_problem(newest, 401, "unauthenticated")  # the whole family is dead
    assert api.get(ME, pair["access_token"]).status_code == 200  # issued access tokens live on
    other_session = api.tokens(org.slug, user["email"])
    assert api.post("/api/v1/auth/refresh", None, {"refresh_token": other_session["refresh_token"]}).status_code \
        == 200


def test_unknown_refresh_token(api: Api) -> None:
    assert_problem(api.post("/api/v1/auth/refresh", None, {"refresh_token": "nope"}), 401, "unauthenticated")


def test_refresh_carries_current_roles(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    first = api.tokens(org.slug, user["email"])
    api.patch(f"/api/v1/users/{user['id']}", org.admin_token, {"roles": ["sales_manager"]})
    pair = api.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]}).json()
    import jwt

    assert jwt.decode(pair["access_token"], options={"verify_signature": False})["roles"] == ["sales_manager"]


def test_logout_revokes_access_token_and_its_refresh_family(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    session = api.tokens(org.slug, user["email"])
    other = api.tokens(org.slug, user["email"])
    response = api.post("/api/v1/auth/logout", session["access_token"])
    assert response.status_code == 204 and response.content == b""
    assert_problem(api.get(ME, session["access_token"]), 401, "unauthenticated")
    assert api.post("/api/v1/auth/refresh", None, {"refresh_token": session["refresh_token"]}).status_code == 401
    assert api.post("/api/v1/auth/refresh", None, {"refresh_token": other["refresh_token"]}).status_code == 200
    assert_problem(api.post("/api/v1/auth/logout", None), 401, "unauthenticated")
    assert [e for e in api.audit(org.admin_token, action="auth.logout") if e["actor_id"] == user["id"]]


def test_logout_of_a_refreshed_token_kills_its_family(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["analyst"])
    first = api.tokens(org.slug, user["email"])
    pair = api.post("/api/v1/auth/refresh", None, {"refresh_token": first["refresh_token"]}).json()
    assert api.post("/api/v1/auth/logout", pair["access_token"]).status_code == 204
    assert api.post("/api/v1/auth/refresh", None, {"refresh_token": pair["refresh_token"]}).status_code == 401


def test_password_change(api: Api, org: Org) -> None:
    user, _ = api.create_user(org, ["sales_rep"])
    session = api.tokens(org.slug, user["email"])
    other = api.tokens(org.slug, user["email"])
    new_password = "a brand new and long passphrase"
    wrong = api.post("/api/v1/users/me/password", session["access_token"],
                     {"current_password": "not my password at all", "new_password": new_password})
    assert_problem(wrong, 422, "validation-failed")
    assert error_codes(wrong) == [("current_password", "incorrect")]
    weak = api.post("/api/v1/users/me/password", session["access_token"],
                    {"current_password": PASSWORD, "new_password": "short"})
    assert error_codes(weak) == [("new_password", "too_short")]
    done = api.post("/api/v1/users/me/password", session["access_token"],
                    {"current_password": PASSWORD, "new_password": new_password})
    assert done.status_code == 204
    for pair in (session, other):
        assert api.post("/api/v1/auth/refresh", None, {"refresh_token": pair["refresh_token"]}).status_code == 401
    assert api.get(ME, session["access_token"]).status_code == 200
    assert api.sign_in(org.slug, user["email"]).status_code == 401
    assert api.sign_in(org.slug, user["email"], new_password).status_code == 200
    events = api.audit(org.admin_token, action="password.changed", resource_id=user["id"])
    assert len(events) == 1 and events[0]["outcome"] == "success"


def test_password_change_reports_every_broken_rule(api: Api, org: Org) -> None:
    user, token = api.create_user(org, ["analyst"])
    local = user["email"].split("@")[0]
    response = api.post("/api/v1/users/me/password", token,
                        {"current_password": "wrong", "new_password": local.upper() + "x" * 128})
    assert set(error_codes(response)) == {("current_password", "incorrect"), ("new_password", "too_long"),
                                          ("new_password", "contains_email")}


def test_operator_bootstrap_signs_in(api: Api) -> None:
    me = api.get(ME, api.operator_token).json()
    assert me["roles"] == ["operator"] and me["email"] == api.settings.operator_email
