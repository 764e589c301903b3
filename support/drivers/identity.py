"""Identity: sign-in and tokens, tenants, users, settings and identity's audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from support.drivers.base import Driver, page_params
from support.drivers.records import JSON, AuditEvent, CurrentTenant, Me, Page, Settings, Tenant, User
from support.http.client import API


@dataclass(frozen=True)
class TokenPair:
    """The answer to a sign-in or refresh; tokens are secrets and never appear in a repr."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    token_type: str = "Bearer"

    @classmethod
    def from_json(cls, body: JSON) -> TokenPair:
        return cls(
            access_token=str(body["access_token"]),
            refresh_token=str(body["refresh_token"]),
            expires_in=int(body.get("expires_in", 0)),
            token_type=str(body.get("token_type", "Bearer")),
        )


class IdentityDriver(Driver):
    service = "identity"

    # -- sign-in and tokens (sign-in and refresh need no token) ---------------------------------
    def sign_in(self, *, tenant: str, email: str, password: str) -> TokenPair:
        body = self._json("POST", f"{API}/auth/token", intent=f"sign in {email} to tenant {tenant}",
                          json={"tenant": tenant, "email": email, "password": password})
        return TokenPair.from_json(body)

    def refresh(self, refresh_token: str) -> TokenPair:
        body = self._json("POST", f"{API}/auth/refresh", intent="refresh a sign-in",
                          json={"refresh_token": refresh_token})
        return TokenPair.from_json(body)

    def logout(self) -> None:
        self._request("POST", f"{API}/auth/logout", intent="sign out", expect=204)

    def me(self) -> Me:
        return self._record(Me, "GET", f"{API}/auth/me", intent="read who is signed in")

    def jwks(self) -> JSON:
        return self._json("GET", "/.well-known/jwks.json", intent="read the published signing keys")

    # -- tenants -------------------------------------------------------------------------------
    def create_tenant(self, *, name: str, slug: str, plan: str, currency: str, admin: JSON) -> Tenant:
        return self._record(Tenant, "POST", f"{API}/tenants", intent=f"create tenant {name} ({slug})", expect=201,
                            json={"name": name, "slug": slug, "plan": plan, "currency": currency,
                                  "admin": admin})

    def current_tenant(self) -> CurrentTenant:
        return self._record(CurrentTenant, "GET", f"{API}/tenants/current", intent="read the current tenant")

    def settings(self) -> Settings:
        return Settings.of(self._json("GET", f"{API}/tenants/current/settings", intent="read the tenant settings"))

    def update_settings(self, **changes: Any) -> Settings:
        return Settings.of(self._json("PATCH", f"{API}/tenants/current/settings",
                                      intent="change the tenant settings", json=changes))

    # -- users ---------------------------------------------------------------------------------
    def create_user(self, *, email: str, name: str, password: str, roles: list[str]) -> User:
        return self._record(User, "POST", f"{API}/users", intent=f"create user {email}", expect=201,
                            json={"email": email, "name": name, "password": password, "roles": roles})

    def list_users(self, *, page: int | None = None, page_size: int | None = None) -> Page[User]:
        return self._page(User, f"{API}/users", intent="list users", params=page_params(page, page_size))

    def get_user(self, user_id: str) -> User:
        return self._record(User, "GET", f"{API}/users/{user_id}", intent=f"read user {user_id}")

    def update_user(self, user_id: str, **changes: Any) -> User:
        return self._record(User, "PATCH", f"{API}/users/{user_id}", intent=f"change user {user_id}",
                            json=changes)

    def change_password(self, *, current_password: str, new_password: str) -> None:
        self._request("POST", f"{API}/users/me/password", intent="change the password", expect=204,
                      json={"current_password": current_password, "new_password": new_password})

    # -- audit ---------------------------------------------------------------------------------
    def audit_events(self, **filters: Any) -> Page[AuditEvent]:
        return self._page(AuditEvent, f"{API}/audit-events", intent="read identity's audit events", params=filters)
