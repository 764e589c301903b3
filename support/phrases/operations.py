"""The operations vocabulary: the words of the operations features, as step types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TYPES: dict[str, Callable[[str], Any]] = {}
