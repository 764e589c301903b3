"""Reading the sign-off's input files; every problem is a SignoffError naming the file, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from signoff.errors import SignoffError


def read_yaml_mapping(path: Path, what: str) -> Mapping[str, Any]:
    """The YAML mapping in `path` (an empty file is an empty mapping); `what` names the file in errors."""
    if not path.is_file():
        raise SignoffError(f"no {what} at {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SignoffError(f"{path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise SignoffError(f"{path} must be a mapping ({what})")
    return data


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SignoffError(f"cannot read {path}: {exc}") from exc
