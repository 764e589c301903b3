"""Schemathesis hooks for `make fuzz` (loaded by its CLI through SCHEMATHESIS_HOOKS).

The detection stream takes `application/x-ndjson` (contract §5), which Schemathesis cannot serialise by
itself: generated text is sent as it is, any other value as one JSON line.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(_ctx: schemathesis.SerializationContext, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return (value if isinstance(value, str) else json.dumps(value)).encode("utf-8", "surrogatepass")
