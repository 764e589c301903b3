"""A rep's own lists, the commonest read under load, are served in page order from an index: no sort of all
the rep's rows on each page, and a count that never reads the table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.dialects import sqlite

from services.common.auth import Principal
from services.common.db import Database
from services.common.tenancy import Caller, TenantId
from services.sales import repository
from services.sales.models import Base, Client, Deal

REP = Caller(**{**vars(Principal(user_id="rita", tenant_id="acme", roles=frozenset({"sales_rep"}), jti="j",
                                 token="t")), "tenant_id": TenantId("acme")})


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'sales.db'}")
    database.create_all(Base)
    yield database
    database.dispose()


def plan(db: Database, stmt: Select) -> str:
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        return " | ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


@pytest.mark.parametrize(("readable", "model", "index"), [
    (repository.deals_readable_by, Deal, "ix_deals_tenant_owner_created"),
    (repository.clients_readable_by, Client, "ix_clients_tenant_owner_created"),
])
def test_a_reps_page_and_count_come_from_the_reps_index(db: Database, readable, model, index: str) -> None:
    page = readable(REP).order_by(model.created_at, model.id).limit(20)
    count = select(func.count()).select_from(readable(REP).subquery())
    page_plan, count_plan = plan(db, page), plan(db, count)
    assert index in page_plan and "TEMP B-TREE" not in page_plan, page_plan
    assert f"COVERING INDEX {index}" in count_plan, count_plan
