"""Tenants: creation by the operator, the caller's tenant with usage and limits, settings (contract §3)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.money import parse_decimal, require_range
from services.common.plans import PLAN_LIMITS
from services.common.problems import conflict, field_error, validation_failed
from services.common.tenancy import Caller, TenantId
from services.identity.context import IdentityContext
from services.identity.hashing import hash_password
from services.identity.models import Tenant, User
from services.identity.repository import active_user_count, email_key, tenant_by_slug, tenant_of
from services.identity.roles import ADMIN, OPERATOR_TENANT_SLUG
from services.identity.schemas import Counts, CurrentTenantOut, SettingsPatch, TenantCreate, UsageReport
from services.identity.user_service import password_errors
from services.identity.views import tenant_view

SLUG_TAKEN = "An organisation with this slug already exists."
DEFAULT_THRESHOLD = "20"


def create_tenant(ctx: IdentityContext, session: Session, caller: Caller, body: TenantCreate) -> Tenant:
    errors = password_errors("admin.password", body.admin.password, body.admin.email)
    if errors:
        raise validation_failed(errors)
    if body.slug == OPERATOR_TENANT_SLUG:
        raise conflict("The slug 'operator' is reserved.")
    password_hash = hash_password(body.admin.password)
    if tenant_by_slug(session, body.slug) is not None:
        raise conflict(SLUG_TAKEN)
    tenant = Tenant(name=body.name, slug=body.slug, plan=body.plan, currency=body.currency,
                    discount_approval_threshold=DEFAULT_THRESHOLD)
    session.add(tenant)
    try:
        session.flush()
    except IntegrityError as exc:
        raise conflict(SLUG_TAKEN) from exc
    admin = User(tenant_id=tenant.id, email=body.admin.email.strip(), email_key=email_key(body.admin.email),
                 name=body.admin.name, roles=[ADMIN], active=True, password_hash=password_hash)
    session.add(admin)
    session.flush()
    ctx.audit.record(session, caller, "tenant.created", "tenant", tenant.id)
    ctx.audit.record(session, caller, "user.created", "user", admin.id, tenant_id=tenant.id)
    return tenant


def current_tenant(session: Session, tenant_id: TenantId) -> CurrentTenantOut:
    tenant = tenant_of(session, tenant_id)
    usage = Counts(users=active_user_count(session, tenant_id), detectors=tenant.reported_detectors,
                   dataset_rows=tenant.reported_dataset_rows)
    limits = Counts.model_validate(PLAN_LIMITS[tenant.plan], from_attributes=True)
    return CurrentTenantOut(**tenant_view(tenant).model_dump(), usage=usage, limits=limits)


def canonical_threshold(value: str) -> str:
    number = parse_decimal(value, "discount_approval_threshold")
    require_range(number, "discount_approval_threshold", low=Decimal(0), high=Decimal(100), low_inclusive=True)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def update_settings(ctx: IdentityContext, session: Session, caller: Caller,
                    body: SettingsPatch) -> Tenant:
    tenant = tenant_of(session, caller.tenant_id)
    if "discount_approval_threshold" in body.model_fields_set:
        if body.discount_approval_threshold is None:
            raise field_error("discount_approval_threshold", "invalid_type", "must not be null")
        tenant.discount_approval_threshold = canonical_threshold(body.discount_approval_threshold)
    ctx.audit.record(session, caller, "settings.updated", "tenant", tenant.id)
    return tenant


def report_usage(ctx: IdentityContext, session: Session, caller: Caller,
                 body: UsageReport) -> None:
    tenant = tenant_of(session, caller.tenant_id)
    tenant.reported_detectors = body.detectors
    tenant.reported_dataset_rows = body.dataset_rows
    ctx.audit.record(session, caller, "tenant.usage_reported", "tenant", tenant.id)
