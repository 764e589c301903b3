"""Request bodies (all StrictModel: unknown or read-only fields are 422) and answers of the identity API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from services.common.pagination import Page
from services.common.schemas import DecimalStr, StrictModel
from services.identity.roles import TenantRole

Text = Annotated[str, Field(strict=True)]
Name = Annotated[str, Field(strict=True, min_length=1, max_length=200)]
Email = Annotated[str, Field(strict=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Slug = Annotated[str, Field(strict=True, pattern=r"^[a-z0-9-]{3,32}$")]
Plan = Literal["starter", "growth", "enterprise"]
Currency = Literal["EUR", "USD", "GBP", "JPY"]


class TokenRequest(StrictModel):
    tenant: Text
    email: Text
    password: Text


class RefreshRequest(StrictModel):
    refresh_token: Text


class NewAdmin(StrictModel):
    email: Email
    name: Name
    password: Text


class TenantCreate(StrictModel):
    name: Name
    slug: Slug
    plan: Plan
    currency: Currency
    admin: NewAdmin


class SettingsPatch(StrictModel):
    discount_approval_threshold: DecimalStr | None = None


class UsageReport(StrictModel):
    """Platform extension: anomaly reports what identity cannot count itself."""

    # Bounded so that a huge JSON integer is a 422, not a database overflow (SQLite holds 64-bit integers).
    detectors: Annotated[StrictInt, Field(ge=0, le=2**53 - 1)]
    dataset_rows: Annotated[StrictInt, Field(ge=0, le=2**53 - 1)]


class UserCreate(StrictModel):
    email: Email
    name: Name
    password: Text
    roles: list[TenantRole]


class UserPatch(StrictModel):
    """Absent fields stay as they are; an explicit null is refused (see `provided`)."""

    name: Name | None = None
    roles: list[TenantRole] | None = None
    active: StrictBool | None = None


class PasswordChange(StrictModel):
    current_password: Text
    new_password: Text


# ---- answers ----


class TokenPairOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int


class MeOut(BaseModel):
    id: str
    tenant_id: str
    email: str
    name: str
    roles: list[str]


class TenantOut(BaseModel):
    id: str
    name: str
    slug: str
    plan: str
    currency: str
    created_at: str


class Counts(BaseModel):
    """Users, detectors and dataset rows: a tenant's usage, or its plan's limits."""

    users: int
    detectors: int
    dataset_rows: int


class CurrentTenantOut(TenantOut):
    usage: Counts
    limits: Counts


class SettingsOut(BaseModel):
    discount_approval_threshold: str


class UserOut(BaseModel):
    id: str
    tenant_id: str
    email: str
    name: str
    roles: list[str]
    active: bool
    created_at: str


UserPage = Page[UserOut]
