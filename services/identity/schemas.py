"""Request bodies of the identity service (all StrictModel: unknown or read-only fields are 422)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

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
