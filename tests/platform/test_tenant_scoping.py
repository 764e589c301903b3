"""No query of tenant-owned rows can run unscoped: a property of the code, checked here.

Every query of a tenant-owned table (one with a `tenant_id` column, and identity's `tenants`) starts in
a `repository.py`, whose functions take the caller or its `TenantId`; and only
`services/common/tenancy.py` mints a `TenantId`, after a permission check. So this test reads every
other module of `services/` and fails, naming file and line, when one of them
- starts a statement on a tenant-owned model: `select(Deal)`, `select(Deal.id)`, `update(Job)`,
  `delete(Client)`, `insert(...)`, `exists(...)`, `.join(Deal)`, `.select_from(Detector)`, `session.get(User, ...)`;
- writes a tenant condition of its own: `X.tenant_id == ...`, `... != X.tenant_id`, `X.tenant_id.in_(...)`,
  `filter_by(tenant_id=...)`;
- mints a tenant: `TenantId(...)`.
Services may still filter the statements they get (`.where(Deal.stage == ...)`), build rows
(`Deal(...)`) and delete rows they were given (`session.delete(client)`).

It checks the names the models are imported under; a model reached through a variable (`select(model)`)
is not seen, which is why the shared audit log's queries live in `services/common/repository.py` too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import DeclarativeBase

from services.anomaly.models import Base as AnomalyBase
from services.identity.models import Base as IdentityBase
from services.identity.models import Tenant
from services.sales.models import Base as SalesBase

SERVICES = Path(__file__).resolve().parents[2] / "services"
REPOSITORY = "repository.py"
MINTER = SERVICES / "common" / "tenancy.py"
STATEMENT_STARTS = frozenset({"select", "update", "delete", "insert", "exists", "join", "outerjoin", "select_from",
                              "get", "get_one", "query"})


def tenant_owned_models() -> dict[str, frozenset[str]]:
    """Tenant-owned model class names, by the module that defines them."""
    owned: dict[str, set[str]] = {}
    bases: tuple[type[DeclarativeBase], ...] = (SalesBase, AnomalyBase, IdentityBase)
    for base in bases:
        for mapper in base.registry.mappers:
            model = mapper.class_
            if "tenant_id" in mapper.columns or model is Tenant:
                owned.setdefault(model.__module__, set()).add(model.__name__)
    return {module: frozenset(names) for module, names in owned.items()}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


class ScopeChecker(ast.NodeVisitor):
    """Finds unscoped queries, hand-written tenant conditions and minted tenants in one module."""

    def __init__(self, path: str, owned: dict[str, frozenset[str]], *, may_query: bool, may_mint: bool) -> None:
        self.path = path
        self.owned = owned
        self.may_query = may_query
        self.may_mint = may_mint
        self.models: dict[str, str] = {}  # local name -> model class name
        self.modules: set[str] = set()  # local names of imported model modules
        self.violations: list[Violation] = []

    def _flag(self, node: ast.AST, what: str) -> None:
        self.violations.append(Violation(self.path, getattr(node, "lineno", 0), what))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = self.owned.get(node.module or "", frozenset())
        for alias in node.names:
            if alias.name in names:
                self.models[alias.asname or alias.name] = alias.name
            elif f"{node.module}.{alias.name}" in self.owned:
                self.modules.add(alias.asname or alias.name)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name in self.owned and alias.asname:
                self.modules.add(alias.asname)

    def _model_in(self, node: ast.AST) -> str | None:
        """The tenant-owned model that an expression names (`Deal`, `Deal.id`, `models.Deal`, ...), if any."""
        for part in ast.walk(node):
            if isinstance(part, ast.Name) and part.id in self.models:
                return self.models[part.id]
            if (isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name) and part.value.id in self.modules
                    and any(part.attr in names for names in self.owned.values())):
                return part.attr
        return None

    def visit_Call(self, node: ast.Call) -> None:
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if not self.may_query:
            if callee in STATEMENT_STARTS:
                model = next(filter(None, (self._model_in(arg) for arg in node.args)), None)
                if model is not None:
                    self._flag(node, f"{callee}(...) starts a query of the tenant-owned {model} outside a repository")
            if callee == "filter_by" and any(keyword.arg == "tenant_id" for keyword in node.keywords):
                self._flag(node, "filter_by(tenant_id=...) is a hand-written tenant condition")
            if (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Attribute)
                    and node.func.value.attr == "tenant_id"):
                self._flag(node, f".tenant_id.{callee}(...) is a hand-written tenant condition")
        if callee == "TenantId" and not self.may_mint:
            self._flag(node, "TenantId(...) mints a tenant; only common/tenancy.py's permissions may")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        matches = any(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops)
        names_tenant = any(isinstance(operand, ast.Attribute) and operand.attr == "tenant_id" for operand in operands)
        if not self.may_query and matches and names_tenant:  # `x.tenant_id is None` is no condition on a tenant
            self._flag(node, "a comparison with .tenant_id is a hand-written tenant condition")
        self.generic_visit(node)


def check_source(source: str, path: str, owned: dict[str, frozenset[str]], *, may_query: bool = False,
                 may_mint: bool = False) -> list[Violation]:
    checker = ScopeChecker(path, owned, may_query=may_query, may_mint=may_mint)
    checker.visit(ast.parse(source, filename=path))
    return checker.violations


def service_modules() -> Iterator[Path]:
    yield from sorted(SERVICES.rglob("*.py"))


def test_the_tenant_owned_models_are_known() -> None:
    owned = {name for names in tenant_owned_models().values() for name in names}
    assert {"Client", "Deal", "Payment", "Notification", "IdempotencyRecord", "Dataset", "Detector", "Job",
            "Feedback", "User", "RefreshFamily", "Tenant", "AuditEvent"} <= owned
    assert not {"NotificationRead", "DatasetRows", "DetectorModel", "RefreshToken"} & owned


def test_no_module_outside_the_repositories_queries_tenant_owned_rows_or_mints_a_tenant() -> None:
    owned = tenant_owned_models()
    violations = [
        violation
        for path in service_modules()
        for violation in check_source(path.read_text(), str(path.relative_to(SERVICES.parent)), owned,
                                      may_query=path.name == REPOSITORY, may_mint=path == MINTER)
    ]
    assert not violations, "unscoped queries (start them in the service's repository.py):\n" + "\n".join(
        map(str, violations))


@pytest.mark.parametrize(("line", "expected"), [
    ("stmt = select(Deal).where(Deal.stage == 'won')", "select(...) starts a query of the tenant-owned Deal"),
    ("ids = select(D.id)", "select(...) starts a query of the tenant-owned Deal"),
    ("n = select(func.count()).select_from(models.Deal)", "select_from(...) starts a query of the tenant-owned Deal"),
    ("deal = session.get(Deal, deal_id)", "get(...) starts a query of the tenant-owned Deal"),
    ("session.execute(update(Deal).values(stage='lost'))", "update(...) starts a query of the tenant-owned Deal"),
    ("stmt = stmt.where(Payment.tenant_id == caller.tenant_id)", "a comparison with .tenant_id"),
    ("ok = row.tenant_id != tenant", "a comparison with .tenant_id"),
    ("stmt = stmt.where(Payment.tenant_id.in_(tenants))", ".tenant_id.in_(...)"),
    ("stmt = query.filter_by(tenant_id=tenant)", "filter_by(tenant_id=...)"),
    ("tenant = TenantId(job.tenant_id)", "TenantId(...) mints a tenant"),
])
def test_the_checker_catches_each_kind_of_violation(line: str, expected: str) -> None:
    source = ("from services.sales.models import Deal, Payment\nfrom services.sales.models import Deal as D\n"
              "from services.sales import models\n" + line + "\n")
    found = check_source(source, "services/sales/example.py", tenant_owned_models())
    assert [violation.line for violation in found] == [4] and expected in found[0].what, found


def test_the_checker_leaves_filters_new_rows_and_repositories_alone() -> None:
    source = ("from services.sales.models import Client, Deal, NotificationRead\n"
              "stmt = repository.clients_readable_by(caller).where(Client.name == 'Initech')\n"
              "deal = Deal(id=new_id(), tenant_id=caller.tenant_id)\n"
              "session.delete(deal)\n"
              "marks = select(NotificationRead.notification_id)\n"
              "known = candidate.tenant_id is not None\n")
    assert check_source(source, "services/sales/example.py", tenant_owned_models()) == []
    assert check_source("from services.sales.models import Deal\nx = select(Deal).where(Deal.tenant_id == t)\n",
                        "services/sales/repository.py", tenant_owned_models(), may_query=True) == []
