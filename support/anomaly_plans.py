"""A cast tenant on a plan other than the cast's default (the plan limits of contract §3).

`World` founds every tenant on its profile's plan (`growth`); scenarios about the starter plan's
limits found the tenant themselves, before anybody of it is named, in the same way `World` does.
"""

from __future__ import annotations

from support.actor import Actor, Tenant
from support.cast import persona, tenant_profile
from support.scenario import JOB_TIMEOUT_S, World

PLANS = ("starter", "growth", "enterprise")


def found_on_plan(world: World, tenant_name: str, plan: str) -> Tenant:
    """Create the cast tenant `tenant_name` (with its admin) on `plan`; it must not exist yet."""
    if plan not in PLANS:
        raise AssertionError(f"{plan} is not a plan of the contract ({', '.join(PLANS)})")
    existing = world.tenants.get(tenant_name)
    if existing is not None:
        if existing.plan != plan:
            raise AssertionError(f"{tenant_name} already exists on the {existing.plan} plan; "
                                 f"name its plan before anybody of {tenant_name}")
        return existing
    profile = tenant_profile(tenant_name)
    admin = persona(profile.admin)
    slug = world.build.slug(tenant_name)
    email = world.build.email(admin.first_name, slug)
    password = world.build.password(avoid=admin.first_name)
    body = world.operator.identity.create_tenant(
        name=profile.name, slug=slug, plan=plan, currency=world.currencies.get(tenant_name, profile.currency),
        admin={"email": email, "name": admin.full_name, "password": password.reveal()})
    tenant = Tenant(name=profile.name, slug=str(body["slug"]), id=str(body["id"]),
                    currency=str(body["currency"]), plan=str(body["plan"]))
    world.tenants[tenant_name] = tenant
    world.actors[admin.first_name] = Actor(admin, tenant, email, password, world.client, job_timeout=JOB_TIMEOUT_S)
    return tenant
