"""Tags that carry a value, like `@time_limit:300` or `@retry:2`: the innermost one wins."""

from __future__ import annotations

from typing import Any


def innermost_tags(scenario: Any) -> list[str]:
    """The scenario's tags, then its outline's, Rule's and Feature's (behave's effective_tags has no order)."""
    tags: list[str] = []
    node = scenario
    while node is not None:
        tags += [str(tag) for tag in getattr(node, "tags", [])]
        node = getattr(node, "parent", None)
    return tags


def tag_value(scenario: Any, prefix: str) -> str | None:
    """The value of the innermost `@<prefix>VALUE` tag (prefix ends with ':'), or None."""
    for tag in innermost_tags(scenario):
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return None
