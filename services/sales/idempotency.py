"""Idempotency-Key handling for payments: tenant-scoped, 24 h, replay the first 201 byte for byte."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.common.clock import utcnow
from services.common.ids import new_id
from services.common.problems import ProblemError, field_error
from services.common.tenancy import TenantId
from services.sales import repository
from services.sales.models import IdempotencyRecord

WINDOW = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def fingerprint(method: str, path: str, body: dict[str, Any]) -> str:
    """Same request = same target and same JSON body (key order and whitespace do not matter)."""
    canonical = json.dumps({"method": method, "path": path, "body": body}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise field_error("Idempotency-Key", "invalid", f"must be 1..{MAX_KEY_LENGTH} printable characters")
    return key


def earlier_answer(session: Session, tenant_id: TenantId, key: str, request: str) -> IdempotencyRecord | None:
    """The stored answer to replay, None if the key is new (or expired); 409 if it was used differently.

    `request` is the request's `fingerprint`."""
    record = repository.idempotency_record(session, tenant_id, key)
    if record is None:
        return None
    if utcnow() - record.created_at >= WINDOW:
        session.delete(record)
        session.flush()
        return None
    if record.fingerprint != request:
        raise ProblemError(409, "idempotency-key-reused",
                           "This Idempotency-Key was already used for a different request.")
    return record


def remember(session: Session, tenant_id: TenantId, key: str, request: str, status_code: int, body: bytes) -> None:
    session.add(IdempotencyRecord(id=new_id(), tenant_id=tenant_id, key=key, fingerprint=request,
                                  status_code=status_code, body=body.decode(), created_at=utcnow()))
    try:
        session.flush()
    except IntegrityError:  # the same key, concurrently, on another deal: the first one keeps it
        raise ProblemError(409, "idempotency-key-reused",
                           "This Idempotency-Key was already used for a different request.") from None
