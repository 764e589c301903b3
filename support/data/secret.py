"""Secrets of the cast (passwords, tokens) that never show themselves in a repr, a log or a report."""

from __future__ import annotations


class Secret:
    """A value that never shows itself in a repr, a log line or a report; `reveal()` hands it out."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(«hidden»)"

    __str__ = __repr__
