"""API drift: each service's OpenAPI document of this run against the one stored when the last release of the
same environment was accepted.

The run leaves each service's document in `<results>/api/<service>.json` (written by the suite's hooks while
the platform runs); `signoff record` stores them as the accepted snapshot, `<snapshots>/<environment>/`,
when a release is accepted. Listed changes, breaking ones first:

- an operation (method + route) removed (breaking) or added;
- a request field, query/header/path parameter or request body that became required (breaking);
- a response field removed or given another type (breaking).

Written by hand: no well-kept Python OpenAPI diff library exists (oasdiff is Go, openapi-diff Java; the
Python ones on PyPI are unmaintained), and these four rules are a few dozen lines over plain dicts.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signoff.errors import SignoffError

API_FOLDER = "api"  # in the results folder, one <service>.json per service
DEFAULT_SNAPSHOTS = "data/api-snapshots"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
MAX_DEPTH = 8
_PARAM = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class Change:
    service: str
    operation: str  # "POST /api/v1/deals"
    what: str       # "operation removed", "request field now required", ...
    detail: str
    breaking: bool

    def line(self) -> str:
        mark = "BREAKING" if self.breaking else "compatible"
        return f"{mark}: {self.service} {self.operation}: {self.what}{f' ({self.detail})' if self.detail else ''}"


@dataclass(frozen=True)
class ApiDrift:
    environment: str
    snapshot_dir: Path
    captured: tuple[str, ...]           # services whose document this run captured
    baseline: tuple[str, ...]           # services with an accepted snapshot
    changes: tuple[Change, ...]         # breaking first

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.breaking)

    @property
    def has_baseline(self) -> bool:
        return bool(self.baseline)

    @property
    def uncaptured(self) -> tuple[str, ...]:
        """Services of the accepted release whose document this run did not capture: cannot be compared."""
        return tuple(service for service in self.baseline if service not in self.captured)

    def summary(self) -> str:
        if not self.captured:
            return "this run captured no service's API description, so drift cannot be judged"
        if not self.has_baseline:
            return f"no release of environment '{self.environment}' was accepted yet: nothing to compare"
        added = len(self.changes) - len(self.breaking)
        text = (f"{len(self.breaking)} breaking and {added} compatible change(s) since the last accepted release "
                f"of '{self.environment}'")
        if self.uncaptured:
            text += f"; not captured in this run: {', '.join(self.uncaptured)}"
        return text


def api_drift(results: Path, snapshots: Path, environment: str) -> ApiDrift:
    """Compare the documents captured in `results` with the accepted snapshot of `environment`."""
    current = _documents(results / API_FOLDER)
    folder = snapshot_folder(snapshots, environment)
    accepted = _documents(folder)
    changes: list[Change] = []
    for service in sorted(set(current) & set(accepted)):
        changes += compare(service, accepted[service], current[service])
    changes.sort(key=lambda change: (not change.breaking, change.service, change.operation, change.what))
    return ApiDrift(environment, folder, tuple(sorted(current)), tuple(sorted(accepted)), tuple(changes))


def snapshot_folder(snapshots: Path, environment: str) -> Path:
    return snapshots / (environment or "unknown")


def store_snapshot(results: Path, snapshots: Path, environment: str) -> Path:
    """Store this run's documents as the accepted API of `environment` (an accepted release's sign-off)."""
    documents = sorted((results / API_FOLDER).glob("*.json")) if (results / API_FOLDER).is_dir() else []
    if not documents:
        raise SignoffError(f"{results / API_FOLDER} holds no API description to store as the accepted snapshot")
    folder = snapshot_folder(snapshots, environment)
    folder.mkdir(parents=True, exist_ok=True)
    for path in documents:
        shutil.copyfile(path, folder / path.name)
    return folder


# -- comparing two documents ------------------------------------------------------------------------
def compare(service: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    before, after = _operations(old), _operations(new)
    changes = [Change(service, key, "operation removed", "", True) for key in sorted(set(before) - set(after))]
    changes += [Change(service, key, "operation added", "", False) for key in sorted(set(after) - set(before))]
    for key in sorted(set(before) & set(after)):
        changes += _requests(service, key, old, before[key], new, after[key])
        changes += _responses(service, key, old, before[key], new, after[key])
    return changes


def _operations(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """`METHOD /route/{}` -> operation; path parameters' names do not matter."""
    found = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, Mapping):
                shared = item.get("parameters") or []
                found[f"{method.upper()} {_PARAM.sub('{}', path)}"] = {
                    **operation, "parameters": [*shared, *(operation.get("parameters") or [])]}
    return found


def _requests(service: str, key: str, old_doc: Mapping[str, Any], old: Mapping[str, Any],
              new_doc: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    was = {_param_key(old_doc, p): bool(_deref(old_doc, p).get("required")) for p in old["parameters"]}
    for parameter in new["parameters"]:
        name = _param_key(new_doc, parameter)
        if _deref(new_doc, parameter).get("required") and not was.get(name, False):
            changes.append(Change(service, key, "parameter now required", name, True))
    old_body, new_body = _deref(old_doc, old.get("requestBody") or {}), _deref(new_doc, new.get("requestBody") or {})
    if new_body.get("required") and old_body and not old_body.get("required"):
        changes.append(Change(service, key, "request body now required", "", True))
    old_required = _required_fields(old_doc, _json_schema(old_body))
    for field in sorted(_required_fields(new_doc, _json_schema(new_body)) - old_required):
        changes.append(Change(service, key, "request field now required", field, True))
    return changes


def _responses(service: str, key: str, old_doc: Mapping[str, Any], old: Mapping[str, Any],
               new_doc: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    old_answers, new_answers = old.get("responses") or {}, new.get("responses") or {}
    for status in sorted(set(old_answers) & set(new_answers)):
        before = _fields(old_doc, _json_schema(_deref(old_doc, old_answers[status])))
        after = _fields(new_doc, _json_schema(_deref(new_doc, new_answers[status])))
        for field in sorted(set(before) - set(after)):
            changes.append(Change(service, key, "response field removed", f"{status} {field}", True))
        for field in sorted(set(before) & set(after)):
            if before[field] != after[field]:
                changes.append(Change(service, key, "response field retyped",
                                      f"{status} {field}: {before[field]} -> {after[field]}", True))
    return changes


def _param_key(document: Mapping[str, Any], parameter: Any) -> str:
    resolved = _deref(document, parameter)
    name = "{}" if resolved.get("in") == "path" else resolved.get("name")
    return f"{resolved.get('in')} {name}"


def _json_schema(holder: Mapping[str, Any]) -> Mapping[str, Any]:
    """The schema of the JSON content of a request body or response (any JSON media type)."""
    for media, content in (holder.get("content") or {}).items():
        if "json" in media and isinstance(content, Mapping):
            return content.get("schema") or {}
    return {}


def _deref(document: Mapping[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> Mapping[str, Any]:
    """Follow local `$ref`s (`#/components/...`); an unresolvable or circular one is an empty schema."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return {}
        seen = seen | {ref}
        target: Any = document
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, Mapping) else None
        node = target
    return node if isinstance(node, Mapping) else {}


def _branches(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The schema and the parts of its allOf (whose fields all apply)."""
    schema = _deref(document, schema)
    yield schema
    for part in schema.get("allOf") or []:
        yield from _branches(document, part)


def _required_fields(document: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = "",
                     depth: int = 0) -> set[str]:
    """Dotted names of required fields, nested objects included."""
    if depth > MAX_DEPTH:
        return set()
    found = set()
    for branch in _branches(document, schema):
        properties = branch.get("properties") or {}
        for name in branch.get("required") or []:
            found.add(prefix + name)
            if name in properties:
                found |= _required_fields(document, properties[name], f"{prefix}{name}.", depth + 1)
    return found


def _fields(document: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = "",
            depth: int = 0) -> dict[str, str]:
    """Dotted field names -> their type (e.g. `amount: string`, `items[].id: string|null`)."""
    if depth > MAX_DEPTH:
        return {}
    found: dict[str, str] = {}
    for branch in _branches(document, schema):
        for name, sub in (branch.get("properties") or {}).items():
            found[prefix + name] = _type(document, sub)
            resolved = _deref(document, sub)
            found |= _fields(document, resolved, f"{prefix}{name}.", depth + 1)
            if isinstance(resolved.get("items"), Mapping):
                found |= _fields(document, resolved["items"], f"{prefix}{name}[].", depth + 1)
    return found


def _type(document: Mapping[str, Any], schema: Any) -> str:
    """A field's JSON type(s), from `type`, `anyOf`/`oneOf` or a `$ref`ed schema ("any" when unstated)."""
    resolved = _deref(document, schema)
    kinds = resolved.get("type")
    names = set(kinds if isinstance(kinds, list) else [kinds] if kinds else [])
    for option in [*(resolved.get("anyOf") or []), *(resolved.get("oneOf") or [])]:
        names |= set(_type(document, option).split("|")) - {"any"}
    if not names and (resolved.get("properties") or resolved.get("allOf")):
        names.add("object")
    return "|".join(sorted(names)) or "any"


def _documents(folder: Path) -> dict[str, Mapping[str, Any]]:
    documents = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SignoffError(f"cannot read the API description {path}: {exc}") from exc
        if isinstance(loaded, Mapping):
            documents[path.stem] = loaded
    return documents
