"""Mutants of §2 roles and tenant isolation, §3 tenants, users, plans.

Each mutant breaks one promise; its case names the scenario that must go red.
"""

from __future__ import annotations

import importlib
from typing import Any

from tests.bites.case import Case
from tests.bites.mutants import AppFactory, Mutant, _replace

IDENTITY, SALES, ANOMALY = ("identity",), ("sales",), ("anomaly",)


def _wrap_allowed(extra: Any) -> None:
    """Role checks answer yes where `extra(principal, roles, method)` says so, and as before elsewhere."""
    auth = importlib.import_module("services.common.auth")
    original = auth.allowed

    def allowed(principal: Any, roles: frozenset[str], method: str) -> bool:
        return extra(principal, roles, method) or original(principal, roles, method)

    _replace("services.common.auth", "allowed", allowed)


# -- §2 roles ---------------------------------------------------------------------------------------
def auditor_may_write(factory: AppFactory) -> AppFactory:
    """Auditors pass the role check of writes too (the GET-only rule is forgotten)."""
    _wrap_allowed(lambda principal, roles, method: "auditor" in principal.roles and "auditor" in roles)
    return factory


def operator_reads_sales(factory: AppFactory) -> AppFactory:
    """The platform operator may read in this service as an auditor does."""
    _wrap_allowed(lambda principal, roles, method: "operator" in principal.roles and method == "GET")
    return factory


def sales_manager_reads_anomaly(factory: AppFactory) -> AppFactory:
    """Sales managers may read datasets and detectors (sales roles are not all refused)."""
    _wrap_allowed(lambda principal, roles, method: "sales_manager" in principal.roles and "auditor" in roles
                  and method == "GET")
    return factory


def manager_counts_as_admin(factory: AppFactory) -> AppFactory:
    """In identity a sales manager passes every admin-only check (people, settings)."""
    _wrap_allowed(lambda principal, roles, method: "sales_manager" in principal.roles and "admin" in roles)
    return factory


def user_read_looks_up_first(factory: AppFactory) -> AppFactory:
    """Reading a user looks the id up before the role check: an unknown id answers 404 to anybody."""
    accounts = importlib.import_module("services.identity.accounts")

    def read_user(session: Any, principal: Any, scope: Any, user_id: str) -> Any:
        user = accounts.user_in(session, scope, user_id)
        if user is None:
            raise accounts.not_found()
        accounts.ensure_may_read(principal, user_id)
        return user

    _replace("services.identity.accounts", "read_user", read_user)
    return factory


def user_may_change_own_roles(factory: AppFactory) -> AppFactory:
    """A user may change anything about themselves (roles and active too), not just the name."""
    accounts = importlib.import_module("services.identity.accounts")

    def ensure_may_patch(principal: Any, user_id: str, changes: dict[str, Any]) -> None:
        if "admin" in principal.roles:
            return
        if "auditor" in principal.roles or principal.user_id != user_id:
            raise accounts.forbidden("Only an admin may change this user.")

    _replace("services.identity.accounts", "ensure_may_patch", ensure_may_patch)
    return factory


def challenge_without_token_not_plain(factory: AppFactory) -> AppFactory:
    """A call without any token is answered with the invalid-token challenge instead of the plain one."""
    auth = importlib.import_module("services.common.auth")
    original = auth._bearer_token

    def bearer_token(request: Any) -> str:
        if not request.headers.get("authorization"):
            raise auth.unauthenticated("Sign in first: this call needs an access token.")
        return original(request)

    _replace("services.common.auth", "_bearer_token", bearer_token)
    return factory


def roles_cached_five_seconds(factory: AppFactory) -> AppFactory:
    """The service keeps identity's word on a pass's roles for 5 s (a change takes up to 5 s to arrive)."""
    auth = importlib.import_module("services.common.auth")
    auth.RemoteVerifier.__init__.__kwdefaults__["state_ttl"] = 5.0
    return factory


def token_roles_still_count(factory: AppFactory) -> AppFactory:
    """The roles written in the pass count besides the current ones (a role taken away lives on)."""
    auth = importlib.import_module("services.common.auth")
    original = auth.RemoteVerifier._current_roles

    async def current_roles(self: Any, token: str, claims: dict[str, Any]) -> list[str]:
        return sorted({*await original(self, token, claims), *claims["roles"]})

    auth.RemoteVerifier._current_roles = current_roles  # type: ignore[method-assign]
    return factory


# -- §2 isolation -----------------------------------------------------------------------------------
def notice_read_by_id(factory: AppFactory) -> AppFactory:
    """Marking a notification read finds it by id alone (anybody's, any tenant's)."""
    notices = importlib.import_module("services.sales.notifications_service")

    def mark_read(session: Any, audit: Any, actor: Any, notification_id: str) -> None:
        notification = session.get(notices.Notification, notification_id)
        if notification is None:
            raise notices.not_found("The notification does not exist.")
        if session.get(notices.NotificationRead, (notification.id, actor.user_id)) is None:
            session.add(notices.NotificationRead(notification_id=notification.id, user_id=actor.user_id,
                                                 read_at=notices.utcnow()))

    _replace("services.sales.notifications_service", "mark_read", mark_read)
    return factory


def statement_of_any_tenant(factory: AppFactory) -> AppFactory:
    """A commission statement for a named owner gathers that owner's payments in every tenant."""
    from sqlalchemy import select

    commissions = importlib.import_module("services.sales.commissions_service")
    original = commissions.statement

    def statement(session: Any, actor: Any, currency: str, *, owner_id: str | None, period: str | None) -> Any:
        answer = original(session, actor, currency, owner_id=owner_id, period=period)
        if owner_id is not None and not answer["lines"]:
            payments = session.scalars(select(commissions.Payment).where(commissions.Payment.owner_id == owner_id))
            answer["lines"] = [{"payment_id": payment.id, "deal_id": payment.deal_id} for payment in payments]
        return answer

    _replace("services.sales.commissions_service", "statement", statement)
    return factory


def dataset_reference_any_tenant(factory: AppFactory) -> AppFactory:
    """A dataset named in a body is found by id alone, whatever its tenant."""
    repository = importlib.import_module("services.anomaly.repository")

    def referenced_dataset(session: Any, tenant_id: Any, dataset_id: str, *, field: str = "dataset_id") -> Any:
        found = session.get(repository.Dataset, dataset_id)
        if found is None:
            raise repository.field_error(field, "unknown_reference", "no such dataset")
        return found

    _replace("services.anomaly.repository", "referenced_dataset", referenced_dataset)
    return factory


def people_listed_across_tenants(factory: AppFactory) -> AppFactory:
    """The list of people holds the people of every tenant."""
    from sqlalchemy import select

    from services.identity.models import User

    _replace("services.identity.routes.users", "users_stmt", lambda scope: select(User).order_by(User.created_at,
                                                                                                  User.id))
    return factory


# -- §3 users and plans -------------------------------------------------------------------------------
def last_admin_counts_inactive(factory: AppFactory) -> AppFactory:
    """A deactivated admin still counts as an admin when the last active admin gives up the role."""
    from sqlalchemy import select

    accounts = importlib.import_module("services.identity.accounts")

    def admin_ids(session: Any, scope: Any) -> list[str]:
        found = session.scalars(select(accounts.User).where(accounts.User.tenant_id == scope)).all()
        return [user.id for user in found if "admin" in user.roles]

    _replace("services.identity.accounts", "active_admin_ids", admin_ids)
    return factory


def quota_counts_inactive_people(factory: AppFactory) -> AppFactory:
    """The limit of people counts deactivated people too."""
    from sqlalchemy import func, select

    accounts = importlib.import_module("services.identity.accounts")

    def user_count(session: Any, tenant_id: str) -> int:
        return session.scalar(select(func.count()).select_from(accounts.User)
                              .where(accounts.User.tenant_id == tenant_id)) or 0

    _replace("services.identity.accounts", "active_user_count", user_count)
    return factory


def growth_detector_limit_low(factory: AppFactory) -> AppFactory:
    """The growth plan's table says 10 detectors instead of 20 (shown and enforced)."""
    plans = importlib.import_module("services.common.plans")
    plans.PLAN_LIMITS["growth"]["detectors"] = 10
    return factory


MUTANTS: tuple[Mutant, ...] = (
    Mutant("auditor_may_write", SALES, "§2 Auditors only read (GET); any other call by an auditor is 403",
            auditor_may_write),
    Mutant("operator_reads_sales", SALES, "§3 operator tokens get 403 on all sales and anomaly calls",
            operator_reads_sales),
    Mutant("sales_manager_reads_anomaly", ANOMALY, "§5 Anomaly service: sales roles 403", sales_manager_reads_anomaly),
    Mutant("manager_counts_as_admin", IDENTITY,
            "§3 settings and people are written by admins only (a manager is not an admin)", manager_counts_as_admin),
    Mutant("user_read_looks_up_first", IDENTITY,
            "§2 The role check comes first: a caller whose roles never allow a call gets 403 whatever the id",
            user_read_looks_up_first),
    Mutant("user_may_change_own_roles", IDENTITY, "§3 PATCH /users/{id}: admin (a user may change own name)",
            user_may_change_own_roles),
    Mutant("challenge_without_token_not_plain", ANOMALY,
            "§2 no token: 401 with the plain WWW-Authenticate: Bearer challenge", challenge_without_token_not_plain),
    Mutant("roles_cached_five_seconds", SALES, "§2 a change of roles takes effect within 2 s, also for issued tokens",
            roles_cached_five_seconds),
    Mutant("token_roles_still_count", ANOMALY, "§2 The roles that count are the user's current roles",
            token_roles_still_count),
    Mutant("notice_read_by_id", SALES, "§2 another tenant's notification: 404 like one that never existed",
            notice_read_by_id),
    Mutant("statement_of_any_tenant", SALES,
            "§2 another tenant's person as commission owner_id: the same answer as for one that never existed",
            statement_of_any_tenant),
    Mutant("dataset_reference_any_tenant", ANOMALY,
            "§4 another tenant's id named in a body (dataset_id): 422 unknown_reference", dataset_reference_any_tenant),
    Mutant("people_listed_across_tenants", IDENTITY, "§2 lists hold only the tenant's own people",
            people_listed_across_tenants),
    Mutant("last_admin_counts_inactive", IDENTITY, "§3 the last ACTIVE admin cannot lose the role (409)",
            last_admin_counts_inactive),
    Mutant("quota_counts_inactive_people", IDENTITY, "§3 users counts active users", quota_counts_inactive_people),
    Mutant("growth_detector_limit_low", IDENTITY, "§3 Plan limits: growth 50 / 20 / 100,000",
            growth_detector_limit_low),
)

CASES: tuple[Case, ...] = (
    Case("auditor_may_write", "sales", "@REQ-TEN-ROLES-SALES", r"^who may work with Acme's clients",
         r"auditor / add a client: expected a 403 'forbidden'"),
    Case("operator_reads_sales", "sales", "@REQ-TEN-ROLES-SALES", r"^who may work with Acme's clients",
         r"operator / look through the clients: expected a 403 'forbidden'"),
    Case("sales_manager_reads_anomaly", "anomaly", "@REQ-TEN-ROLES-ANOMALY", r"^who may work with Acme's datasets",
         r"sales manager / look through the datasets: expected a 403"),
    Case("manager_counts_as_admin", "identity", "@REQ-TEN-SETTINGS-01",
         r"^who may set up tenants and read or change a tenant's settings",
         r"sales manager / change the settings: expected a 403"),
    Case("user_read_looks_up_first", "identity", "@REQ-TEN-USER-05", r"^who may add, read and change Acme's people",
         r"read a colleague on a member of staff that never existed: expected a 403 'forbidden'"),
    Case("user_may_change_own_roles", "identity", "@REQ-TEN-USER-06", r"^Rita cannot make herself an admin",
         r"PATCH /api/v1/users/\S+ -> 200"),
    Case("challenge_without_token_not_plain", "anomaly", "@REQ-TEN-ROLES-ANOMALY",
         r"^who may work with Acme's datasets", r"not the plain Bearer challenge"),
    Case("roles_cached_five_seconds", "sales", "@REQ-TEN-ROLES-04",
         r"^Rita, made a sales manager as well, may read the pipeline report",
         r"Waited \d\.\d s for the pass Rita holds to be allowed to 'read the pipeline report'"),
    Case("token_roles_still_count", "anomaly", "@REQ-TEN-ROLES-04",
         r"^Rita, no longer analyst, may no longer look through the datasets",
         r"to be refused to 'look through the datasets'"),
    Case("notice_read_by_id", "sales", "@REQ-TEN-ISO-01", r"^Globex's admin tries everything on Acme's notification",
         r"'mark a notification read': expected"),
    Case("statement_of_any_tenant", "sales", "@REQ-TEN-ISO-02",
         r"^Globex's lists filtered by Acme's member of staff", r"'read a person's commission statement'"),
    Case("dataset_reference_any_tenant", "anomaly", "@REQ-TEN-ISO-03", r"^Bob names Acme's dataset",
         r"'train a detector': expected"),
    Case("people_listed_across_tenants", "identity", "@REQ-TEN-ISO-02",
         r"^none of Globex's lists holds anything of Acme's", r"GET /api/v1/users shows"),
    Case("last_admin_counts_inactive", "identity", "@REQ-TEN-USER-02", r"^an admin who was deactivated does not count"),
    Case("quota_counts_inactive_people", "identity", "@REQ-TEN-QUOTA-05",
         r"^a deactivated person frees a place on the starter plan", r"quota-exceeded"),
    Case("growth_detector_limit_low", "identity", "@REQ-TEN-QUOTA-02",
         r"^Acme on the growth plan has room for 20 detectors and no more", r"Could not create the robust_zscore"),
)
