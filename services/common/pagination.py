"""List pages: `page` >= 1, `page_size` 1..100 (contract §1); callers order oldest first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.common.problems import FieldError, validation_failed


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(
    page: Annotated[int, Query()] = 1,
    page_size: Annotated[int, Query()] = 20,
) -> PageParams:
    errors = []
    if page < 1:
        errors.append(FieldError("page", "out_of_range", "must be 1 or more"))
    if not 1 <= page_size <= 100:
        errors.append(FieldError("page_size", "out_of_range", "must be between 1 and 100"))
    if errors:
        raise validation_failed(errors)
    return PageParams(page, page_size)


PageDep = Annotated[PageParams, Depends(page_params)]


def page_of(session: Session, stmt: Select, params: PageParams, to_dict: Callable[[Any], dict]) -> dict[str, Any]:
    """Run an ordered select as one page: `{"items", "page", "page_size", "total"}`."""
    if any(isinstance(value, str) and "\x00" in value for value in stmt.compile().params.values()):
        # No stored text holds NUL (bodies refuse it), so a filter with NUL matches nothing; PostgreSQL would
        # refuse the query itself.
        return {"items": [], "page": params.page, "page_size": params.page_size, "total": 0}
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    # A page past the end is empty; one past what the database's integers hold must not reach the query.
    rows = [] if params.offset >= total else session.scalars(stmt.offset(params.offset).limit(params.page_size)).all()
    return {"items": [to_dict(row) for row in rows], "page": params.page, "page_size": params.page_size,
            "total": total}
