"""Per-request values that deep code needs without a Request object (copied into worker threads)."""

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
