"""Request-body base model: unknown fields and read-only fields are refused with 422 (contract §1)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Strict, field_validator
from pydantic_core import PydanticCustomError

# Fields that clients may read but never write. An extra field with one of these names is reported as
# `read_only_field`; any other extra field as `unknown_field`. Models that do accept one (a client's
# `owner_id`) declare it, so it is never "extra" there.
READ_ONLY_FIELDS = frozenset(
    {
        "id", "tenant_id", "owner_id", "stage", "version", "created_at", "updated_at", "approval",
        "net_amount", "paid_amount", "payment_status", "currency", "status", "row_count", "columns_profile",
        "trained_at", "training_rows", "detector_id", "deal_id", "occurred_at", "actor_id", "request_id",
        "usage", "limits", "job_id", "finished_at", "read",
    }
)


class StrictModel(BaseModel):
    """Base of every request body: extra fields are errors, strings are not coerced from numbers."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return refuse_unstorable_text(value)


# NUL cannot be stored (PostgreSQL refuses it in text) and an unpaired surrogate (a JSON "\ud800" escape)
# cannot even be encoded as UTF-8: both are 422 `invalid_characters`, before anything is written.
# Other Unicode (RTL overrides, emoji, combining marks) is text like any other and is kept verbatim.
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


# A JSON string only: a JSON number for money or a rate is a 422 (contract §1).
DecimalStr = Annotated[str, Strict()]
MoneyStr = DecimalStr
