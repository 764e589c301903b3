"""A rep's own lists, the commonest read under load, are served in page order from an index: no sort of all
the rep's rows on each page, and a count that never reads the table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, func, select
from sqlalchemy.dialects import sqlite

from services.common.auth import Principal
from services.common.db import Database
from services.common.tenancy import Caller, TenantId
from services.sales import repository
from services.sales.models import Base, Client

REP = Caller(**{**vars(Principal(user_id="rita", tenant_id="acme", roles=frozenset({"sales_rep"}), jti="j",
                                 token="t")), "tenant_id": TenantId("acme")})


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'sales.db'}")
    database.create_all(Base)
    yield database
    database.dispose()


def plan(db: Database, stmt: Select, params: dict[str, Any] | None = None) -> str:
    sql = str(stmt.compile(dialect=sqlite.dialect(paramstyle="named"), compile_kwargs={"literal_binds": not params}))
    with db.engine.connect() as connection:
        return " | ".join(row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params or {}))


def clients_of_the_rep() -> tuple[Select, dict[str, Any], Select, dict[str, Any]]:
    page = repository.clients_readable_by(REP).order_by(Client.created_at, Client.id).limit(20)
    return page, {}, select(func.count()).select_from(repository.clients_readable_by(REP).subquery()), {}


def deals_of_the_rep() -> tuple[Select, dict[str, Any], Select, dict[str, Any]]:
    deals = repository.deals_listed_for(REP)
    return deals.rows, {**deals.params, "skip": 0, "page_size": 20}, deals.count, dict(deals.params)


@pytest.mark.parametrize(("statements", "index"), [
    (deals_of_the_rep, "ix_deals_tenant_owner_created"),
    (clients_of_the_rep, "ix_clients_tenant_owner_created"),
])
def test_a_reps_page_and_count_come_from_the_reps_index(db: Database, statements, index: str) -> None:
    page, page_params, count, count_params = statements()
    page_plan, count_plan = plan(db, page, page_params), plan(db, count, count_params)
    assert index in page_plan and "TEMP B-TREE" not in page_plan, page_plan
    assert f"COVERING INDEX {index}" in count_plan, count_plan


@pytest.mark.parametrize("filters", [{"client_id": "c1"}, {"owner_id": "ravi", "stage": "won"}, {"stage": "won"}])
def test_a_filtered_list_of_deals_is_searched_through_an_index(db: Database, filters: dict[str, str]) -> None:
    deals = repository.deals_listed_for(REP, **filters)
    page_plan = plan(db, deals.rows, {**deals.params, "skip": 0, "page_size": 20})
    count_plan = plan(db, deals.count, dict(deals.params))
    for found in (page_plan, count_plan):  # which index is SQLite's choice; a scan of the table is not
        assert found.startswith("SEARCH deals USING") and "INDEX" in found, found
