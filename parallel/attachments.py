"""Keeping repeated runs small: the attachments (HTTP exchanges, logs) of attempts that passed are dropped
from every run of a stability check but the last. Failed and broken attempts keep theirs as evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def prune(result_file: Path) -> int:
    """Delete the attachments a result file refers to and drop the references; returns how many went."""
    item = json.loads(result_file.read_text(encoding="utf-8"))
    removed = 0
    for holder in _holders(item):
        for attachment in holder.get("attachments") or []:
            source = attachment.get("source")
            if source:
                (result_file.parent / source).unlink(missing_ok=True)
                removed += 1
        holder["attachments"] = []
    result_file.write_text(json.dumps(item), encoding="utf-8")
    return removed


def _holders(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for step in node.get("steps") or []:
        yield from _holders(step)
