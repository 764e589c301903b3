"""The contract as JSON Schemas (`data/schemas/`) and the route table that says which answer keeps which.

`SchemaBook.load()` reads every `data/schemas/*.json` (draft 2020-12) into one `referencing` registry and
`routes.yaml` into a table; `expectation(service, method, path, status)` tells what an answer must be.
Validators (`jsonschema.Draft202012Validator`, format checking on) are built once per schema and cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator
from referencing import Registry, Resource

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "data" / "schemas"
ROUTES_FILE = "routes.yaml"
PAGE = "page"
JSON_MEDIA = "json"      # a JSON object or list: application/json (or any +json)
LINES_MEDIA = "ndjson"   # application/x-ndjson, one JSON value per line
PROBLEM_MEDIA = "problem"  # application/problem+json
EMPTY = "empty"
TEXT = "text"
_ANSWER = re.compile(r"^(?:(?P<page>page of )|(?P<lines>lines of ))?(?P<schema>[a-z0-9-]+)(?P<optional> or empty)?$")
_STATUS_CLASS = re.compile(r"^[1-5]xx$")


class SchemaBookError(Exception):
    """The schemas or the route table cannot be read; the message names the file and the entry."""


@dataclass(frozen=True)
class Expectation:
    """What one answer must be: its `kind` (json, ndjson, problem, empty, text) and its schema's name."""

    kind: str
    schema: str | None = None
    page: bool = False
    empty_allowed: bool = False

    @property
    def label(self) -> str:
        """The resource the answer is counted under in the report ("deal", "page of deal", "problem")."""
        if self.schema is None:
            return self.kind
        return f"page of {self.schema}" if self.page else self.schema


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    segments: tuple[str, ...]
    answers: Mapping[int, Expectation]

    def matches(self, method: str, segments: list[str]) -> bool:
        return method == self.method and len(segments) == len(self.segments) and all(
            mine == theirs or _is_param(mine) for mine, theirs in zip(self.segments, segments, strict=True))

    @property
    def literal_segments(self) -> int:
        return sum(1 for part in self.segments if not _is_param(part))


class SchemaBook:
    """The schemas and the route table, loaded once; cheap lookups and cached validators."""

    def __init__(self, schemas: Mapping[str, dict[str, Any]], routes: Mapping[str, list[Route]],
                 errors: Mapping[str, Expectation]) -> None:
        self.schemas = dict(schemas)
        self.routes = {service: list(entries) for service, entries in routes.items()}
        self.errors = dict(errors)
        self._registry: Registry = Registry().with_resources(
            (schema["$id"], Resource.from_contents(schema)) for schema in self.schemas.values())
        self._validators: dict[tuple[str, bool], Validator] = {}

    @classmethod
    def load(cls, folder: Path = SCHEMAS_DIR) -> SchemaBook:
        schemas = {}
        for path in sorted(folder.glob("*.json")):
            try:
                schema = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SchemaBookError(f"{path.name}: not a readable JSON file ({exc})") from None
            if not isinstance(schema, dict) or "$id" not in schema:
                raise SchemaBookError(f"{path.name}: a schema needs an $id")
            Draft202012Validator.check_schema(schema)
            schemas[path.stem] = schema
        routes, errors = _read_routes(folder / ROUTES_FILE, set(schemas))
        return cls(schemas, routes, errors)

    # -- lookups -------------------------------------------------------------------------------------
    def route(self, service: str, method: str, path: str) -> Route | None:
        """The table's route for a raw request path (literal segments win over `{params}`)."""
        segments = path.split("?", 1)[0].strip("/").split("/")
        found = [route for route in self.routes.get(service, ()) if route.matches(method.upper(), segments)]
        return max(found, key=lambda route: route.literal_segments) if found else None

    def expectation(self, service: str, method: str, path: str, status: int) -> Expectation | None:
        """What the answer must be; None when the table describes no such answer."""
        route = self.route(service, method, path)
        if route is not None and status in route.answers:
            return route.answers[status]
        if status >= 400:
            return self.errors.get(str(status)) or self.errors.get(f"{status // 100}xx")
        return None

    def knows_service(self, service: str) -> bool:
        return service in self.routes

    # -- validators ----------------------------------------------------------------------------------
    def validator(self, expectation: Expectation) -> Validator:
        """The (cached) validator of an expectation's schema; a page's items are checked against the schema."""
        key = (expectation.schema or "", expectation.page)
        if key not in self._validators:
            self._validators[key] = self._build(*key)
        return self._validators[key]

    def _build(self, name: str, page: bool) -> Validator:
        schema = self.schemas[name]
        if page:
            schema = {"allOf": [{"$ref": self.schemas[PAGE]["$id"]}],
                      "properties": {"items": {"items": {"$ref": schema["$id"]}}}}
        return Draft202012Validator(schema, registry=self._registry,
                                    format_checker=Draft202012Validator.FORMAT_CHECKER)


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _read_routes(path: Path, known: set[str]) -> tuple[dict[str, list[Route]], dict[str, Expectation]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaBookError(f"{path.name}: cannot be read ({exc})") from None
    if not isinstance(document, dict):
        raise SchemaBookError(f"{path.name}: must be a mapping")
    shared = _routes(document.get("every service") or {}, known, "every service")
    routes = {service: [*_routes(entries or {}, known, service), *shared]
              for service, entries in (document.get("services") or {}).items()}
    errors = {}
    for status, answer in (document.get("errors") or {}).items():
        key = str(status)
        if not (key.isdigit() or _STATUS_CLASS.match(key)):
            raise SchemaBookError(f"{path.name}: errors.{key} is neither a status nor a class like 4xx")
        errors[key] = _problem(_answer(str(answer), known, f"errors.{key}"))
    return routes, errors


def _routes(entries: Mapping[str, Any], known: set[str], where: str) -> list[Route]:
    routes = []
    for key, answers in entries.items():
        method, _, template = str(key).partition(" ")
        if not template.startswith("/") or not isinstance(answers, dict):
            raise SchemaBookError(f"{ROUTES_FILE}: {where}: '{key}' must be 'METHOD /path: {{status: answer}}'")
        parsed = {int(status): _answer(str(answer), known, f"{where}: {key} {status}")
                  for status, answer in answers.items()}
        routes.append(Route(method.upper(), template, tuple(template.strip("/").split("/")), parsed))
    return routes


def _answer(text: str, known: set[str], where: str) -> Expectation:
    if text in (EMPTY, TEXT):
        return Expectation(text)
    match = _ANSWER.match(text)
    if match is None or match["schema"] not in known:
        raise SchemaBookError(f"{ROUTES_FILE}: {where}: '{text}' names no schema in data/schemas/")
    kind = LINES_MEDIA if match["lines"] else JSON_MEDIA
    return Expectation(kind, match["schema"], page=bool(match["page"]), empty_allowed=bool(match["optional"]))


def _problem(expectation: Expectation) -> Expectation:
    return Expectation(PROBLEM_MEDIA, expectation.schema)
