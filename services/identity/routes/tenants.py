"""Tenants: creation (operator), the caller's tenant, its settings and usage (contract §3)."""

from __future__ import annotations

from fastapi import APIRouter

from services.common.deps import SessionDep
from services.common.routing import PlatformRoute
from services.common.tenancy import SignedIn
from services.identity import tenant_service
from services.identity.access import CanChangeSettings, CanCreateTenants, CanReportUsage
from services.identity.deps import ContextDep
from services.identity.repository import tenant_of
from services.identity.schemas import (
    CurrentTenantOut,
    SettingsOut,
    SettingsPatch,
    TenantCreate,
    TenantOut,
    UsageReport,
)
from services.identity.views import settings_view, tenant_view

router = APIRouter(prefix="/api/v1/tenants", tags=["tenants"], route_class=PlatformRoute)


@router.post("", name="tenant.created", status_code=201, response_model=TenantOut)
def create_tenant(body: TenantCreate, caller: CanCreateTenants, ctx: ContextDep,
                  session: SessionDep) -> TenantOut:
    return tenant_view(tenant_service.create_tenant(ctx, session, caller, body))


@router.get("/current", name="tenant.read", response_model=CurrentTenantOut)
def read_current(caller: SignedIn, session: SessionDep) -> CurrentTenantOut:
    return tenant_service.current_tenant(session, caller.tenant_id)


@router.put("/current/usage", name="tenant.usage_reported", response_model=CurrentTenantOut)
def report_usage(body: UsageReport, caller: CanReportUsage, ctx: ContextDep,
                 session: SessionDep) -> CurrentTenantOut:
    """Platform extension: anomaly reports its detector and dataset-row counts for `usage`."""
    tenant_service.report_usage(ctx, session, caller, body)
    return tenant_service.current_tenant(session, caller.tenant_id)


@router.get("/current/settings", name="settings.read", response_model=SettingsOut)
def read_settings(caller: SignedIn, session: SessionDep) -> SettingsOut:
    return settings_view(tenant_of(session, caller.tenant_id))


@router.patch("/current/settings", name="settings.updated", response_model=SettingsOut)
def update_settings(body: SettingsPatch, caller: CanChangeSettings, ctx: ContextDep,
                    session: SessionDep) -> SettingsOut:
    return settings_view(tenant_service.update_settings(ctx, session, caller, body))
