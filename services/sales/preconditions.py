"""Optimistic concurrency: ETags are `"<version>"`; `If-Match` is compared strongly (RFC 9110 §13.1.1)."""

from __future__ import annotations

from services.common.problems import ProblemError
from services.sales.views import etag


def check_if_match(header: str | None, version: int) -> None:
    """412 `precondition-failed` when an If-Match header names none of the deal's current ETag."""
    if header is None:
        return
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags or etag(version) in tags:
        return
    raise ProblemError(412, "precondition-failed",
                       "The deal has changed since you read it; read it again and retry.")
