"""Each schema accepts the reference platform's answers and rejects a mutated answer.

The answers in `fixtures/answers/` were recorded from a full behave run against the managed reference platform
(`behave -D answer_samples=tests/suite/fixtures/answers`; tokens masked). For every schema: the recorded
answer is valid; removing any field the contract requires, giving any field a value of another JSON type,
money with one decimal too many and a timestamp with an offset instead of `Z` are each rejected.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from support.http.schemas import SCHEMAS_DIR, Expectation, SchemaBook

FIXTURES = Path(__file__).parent / "fixtures" / "answers"
BOOK = SchemaBook.load()
# Schemas with no answer of their own: shared definitions.
NOT_ANSWERS = {"defs"}
# Where the contract gives an answer no shape (docs/CONTRACT-READINGS.md, "Schemas"): nothing can be missing.
OPEN = {"feedback"}
# Money fields by schema (JSON pointers into the recorded answer).
MONEY = {
    "deal": ["/amount", "/net_amount", "/paid_amount"],
    "payment": ["/amount"],
    "statement": ["/total", "/lines/0/base", "/lines/0/amount"],
    "pipeline": ["/stages/won/net_amount", "/stages/lead/net_amount"],
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*.json"))


def schema_of(fixture: Path) -> str:
    return fixture.stem.split(".")[0]


def validator(schema: str) -> Draft202012Validator:
    return BOOK.validator(Expectation("json", schema))  # type: ignore[return-value]


def answer(fixture: Path) -> Any:
    return json.loads(fixture.read_text(encoding="utf-8"))


def test_every_schema_has_a_recorded_answer() -> None:
    recorded = {schema_of(path) for path in fixtures()}
    schemas = {path.stem for path in SCHEMAS_DIR.glob("*.json")} - NOT_ANSWERS
    assert schemas - recorded == set(), "record answers for these schemas (see this module's docstring)"


def test_money_is_recorded_in_two_and_zero_decimal_currencies() -> None:
    assert {"deal.EUR", "deal.JPY"} <= {path.stem for path in fixtures()}


@pytest.mark.parametrize("fixture", fixtures(), ids=lambda path: path.stem)
def test_the_reference_platforms_answer_is_valid(fixture: Path) -> None:
    errors = [error.message for error in validator(schema_of(fixture)).iter_errors(answer(fixture))]
    assert errors == []


@pytest.mark.parametrize("fixture", [f for f in fixtures() if schema_of(f) not in OPEN], ids=lambda path: path.stem)
def test_a_missing_required_field_is_rejected(fixture: Path) -> None:
    body = answer(fixture)
    required = [key for key in _required(BOOK.schemas[schema_of(fixture)]) if key in body]
    assert required, f"{fixture.stem}: the schema requires nothing the answer has"
    for key in required:
        mutated = {name: value for name, value in body.items() if name != key}
        assert not validator(schema_of(fixture)).is_valid(mutated), f"{fixture.stem} without {key} is accepted"


@pytest.mark.parametrize("fixture", [f for f in fixtures() if schema_of(f) not in OPEN], ids=lambda path: path.stem)
def test_a_field_of_the_wrong_type_is_rejected(fixture: Path) -> None:
    body = answer(fixture)
    for key in _required(BOOK.schemas[schema_of(fixture)]):
        if key not in body:
            continue
        mutated = {**body, key: _other_type(body[key])}
        assert not validator(schema_of(fixture)).is_valid(mutated), \
            f"{fixture.stem} with {key}={mutated[key]!r} is accepted"


@pytest.mark.parametrize("fixture", [f for f in fixtures() if schema_of(f) in MONEY], ids=lambda path: path.stem)
def test_money_with_a_wrong_number_of_decimals_is_rejected(fixture: Path) -> None:
    body = answer(fixture)
    for pointer in MONEY[schema_of(fixture)]:
        value = _get(body, pointer)
        assert isinstance(value, str), f"{fixture.stem}{pointer} is not recorded as a string"
        for wrong in (value + "1" if "." in value else value + ".001", value + ".5", float(value)):
            assert not validator(schema_of(fixture)).is_valid(_set(body, pointer, wrong)), \
                f"{fixture.stem}{pointer}={wrong!r} is accepted"


def test_every_schema_with_money_has_a_money_mutation() -> None:
    with_money = {name for name, schema in BOOK.schemas.items() if '"money' in json.dumps(schema)} - {"defs"}
    assert with_money - set(MONEY) <= {"statement-line"}  # a line's money is judged with its statement's currency


@pytest.mark.parametrize("fixture", [f for f in fixtures() if schema_of(f) not in OPEN], ids=lambda path: path.stem)
def test_a_timestamp_without_z_is_rejected(fixture: Path) -> None:
    body = answer(fixture)
    known = set(_properties(BOOK.schemas[schema_of(fixture)]))  # extra fields an implementation adds are not judged
    for pointer in _timestamps(body):
        if pointer.count("/") > 1 or pointer[1:] not in known:  # a page's items are judged by their own schema
            continue
        value = _get(body, pointer)
        mutated = _set(body, pointer, value[:-1] + "+00:00")
        assert not validator(schema_of(fixture)).is_valid(mutated), f"{fixture.stem}{pointer} without Z is accepted"


# -- helpers ------------------------------------------------------------------------------------------
def _required(schema: dict[str, Any]) -> list[str]:
    """The schema's required fields, with those of the schemas it extends (allOf of a $ref) and of its
    alternatives (anyOf: a stream line is a result or an error, each with all of its fields)."""
    found = list(schema.get("required", []))
    for option in schema.get("anyOf", []):
        found += [name for name in option.get("required", []) if name not in found]
    for part in schema.get("allOf", []):
        ref = part.get("$ref")
        if ref and not ref.startswith("#"):
            found += _required(BOOK.schemas[ref.removesuffix(".json")])
    return found


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        ref = part.get("$ref")
        if ref and not ref.startswith("#"):
            found |= _properties(BOOK.schemas[ref.removesuffix(".json")])
    return found


def _other_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, str):
        return 12345
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return {"0": value}
    if isinstance(value, dict):
        return [value]
    return {"not": "null"}  # null: a nullable field takes its own type or null, never an object


def _timestamps(value: Any, pointer: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _timestamps(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            yield from _timestamps(item, f"{pointer}/{index}")
    elif isinstance(value, str) and TIMESTAMP.match(value):
        yield pointer


def _parts(pointer: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in pointer.strip("/").split("/")]


def _get(value: Any, pointer: str) -> Any:
    for part in _parts(pointer):
        value = value[part]
    return value


def _set(value: Any, pointer: str, new: Any) -> Any:
    copied = copy.deepcopy(value)
    target = copied
    parts = _parts(pointer)
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = new
    return copied
