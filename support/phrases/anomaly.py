"""The anomaly vocabulary: the words of the anomaly features, as step types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TYPES: dict[str, Callable[[str], Any]] = {}
