"""Text the platform never stores, and the one answer for each place it can arrive from.

NUL cannot be stored (PostgreSQL refuses it in text) and an unpaired surrogate (a JSON "\\ud800" escape)
cannot even be encoded as UTF-8. Other Unicode (RTL overrides, emoji, combining marks) is text like any
other and is kept verbatim. Where such text arrives decides the answer:
- in a request body: 422 `invalid_characters`, before anything is written (`refuse_unstorable_text`, run by
  every `StrictModel`);
- in a path: 404 `not-found`, like an unknown route, before routing and authentication, since no resource
  has such an id (`path_names_nothing`, checked by the middleware);
- in a query filter: the filter matches nothing, without asking the database, which would refuse the query
  (`may_match`, `values_may_match`: an empty page, an empty commission statement).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import BindParameter, Select
from sqlalchemy.sql import visitors

NUL = "\x00"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def refuse_unstorable_text(value: Any) -> Any:
    """Return `value` unchanged, or raise if any string in it (keys and nested values too) is unstorable."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                raise PydanticCustomError("invalid_characters", "must not contain NUL characters or unpaired "
                                          "surrogates")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return value


def path_names_nothing(path: str) -> bool:
    return NUL in path


def may_match(stmt: Select[Any]) -> bool:
    """False when a text parameter of the statement holds NUL: no stored text does. (A walk over the
    statement's parts: compiling it to read its parameters cost about 1 ms a call, SQLAlchemy's cache aside.)"""
    return not any(isinstance(part, BindParameter) and _holds_nul(part.value) for part in visitors.iterate(stmt))


def values_may_match(values: Iterable[Any]) -> bool:
    """`may_match` for a statement built once, whose filter values are bound at execution."""
    return not any(_holds_nul(value) for value in values)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    return isinstance(value, list | tuple) and any(isinstance(item, str) and NUL in item for item in value)
