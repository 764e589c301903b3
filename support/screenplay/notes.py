"""Typed memory: what an actor remembers and what a scenario mentions, by typed keys.

A `Note[T]` is a key that says what it holds (`DEAL: Note[Deal] = Note("deal")`); a `Notepad` keeps
one value per note. Reading a note nobody wrote fails with a sentence ("Rita has no deal noted yet"),
never a KeyError, and an editor or type checker knows the type of what comes back.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
D = TypeVar("D")


class Note(Generic[T]):
    """A typed key: `Note[Deal]("deal")` holds a Deal; its name is used in failure sentences."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Note({self.name!r})"


class NothingNoted(AssertionError):
    """A step read a note that no earlier step wrote."""


class Notepad:
    """One value per note, for one owner ("Rita", "the scenario")."""

    def __init__(self, owner: str) -> None:
        self._owner = owner
        self._values: dict[Note[Any], Any] = {}

    def write(self, note: Note[T], value: T) -> T:
        self._values[note] = value
        return value

    @overload
    def read(self, note: Note[T]) -> T: ...

    @overload
    def read(self, note: Note[T], default: D) -> T | D: ...

    def read(self, note: Note[Any], *default: Any) -> Any:
        if note in self._values:
            return self._values[note]
        if default:
            return default[0]
        raise NothingNoted(f"{self._owner} has no {note.name} noted yet")

    def has(self, note: Note[Any]) -> bool:
        return note in self._values

    def forget(self, note: Note[Any]) -> None:
        self._values.pop(note, None)
