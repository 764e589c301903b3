"""Request-body base model: unknown fields and read-only fields are refused with 422 (contract §1)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Strict, field_validator

from services.common.unstorable import refuse_unstorable_text

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
    """Base of every request body: extra fields are errors, strings are not coerced from numbers, and text
    the platform cannot store is refused (`services.common.unstorable`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return refuse_unstorable_text(value)


# A JSON string only: a JSON number for money or a rate is a 422 (contract §1).
DecimalStr = Annotated[str, Strict()]
MoneyStr = DecimalStr
