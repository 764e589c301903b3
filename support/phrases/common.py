"""Phrases of every area: people, money, lists of names; and the helper that turns a word table into a type."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from parse_type import TypeBuilder

from support.data.money import MONEY_PATTERN, Money, parse_money

T = TypeVar("T")


def words(vocabulary: Mapping[str, T]) -> Callable[[str], T]:
    """A step type for exactly these phrases, each giving its value (parse_type's make_enum, keys escaped)."""
    convert = TypeBuilder.make_enum(dict(vocabulary))
    convert.pattern = "|".join(re.escape(key) for key in sorted(vocabulary, key=len, reverse=True))
    return convert


def typed(pattern: str, convert: Callable[[str], Any] = str) -> Callable[[str], Any]:
    """A step type for text matching `pattern`, converted by `convert`."""

    def parse(text: str) -> Any:
        return convert(text)

    parse.pattern = pattern  # type: ignore[attr-defined]
    return parse


def names(text: str) -> list[str]:
    """ "Alice, Maria and Rita" -> ["Alice", "Maria", "Rita"] """
    return [part.strip() for part in re.split(r",|\band\b", text) if part.strip()]


def _money(text: str) -> Money:
    return parse_money(text)


TYPES: dict[str, Callable[[str], Any]] = {
    # a cast name or a pronoun ("she", "his"), resolved by World.person
    "Person": typed(r"[Ss]he|[Hh]e|[Hh]er|[Hh]is|[A-Z][a-z]+"),
    "Money": typed(MONEY_PATTERN, _money),
}
