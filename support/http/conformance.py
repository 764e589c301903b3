"""Every answer against the contract's schemas, once, in the HTTP layer (hooked into `make_client`).

`check(answer, service)` finds the answer's expectation in the route table (`support.http.schemas`), and
raises `ContractViolation` (an AssertionError, not an `UnexpectedAnswer`: `attempt`/`tries_to` do not
swallow it, `eventually` does not retry it) with one sentence naming the field, the rule and the request
id. What was checked is tallied per resource; the hooks write the tally at the end of the run.

A JSON answer that the table does not know (route, method or status) is a violation too: the contract
describes no such answer. Answers without a body and text answers (`/metrics`) are counted apart.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from jsonschema.exceptions import ValidationError, best_match

from support.http.bodies import NOT_JSON, is_json_media_type, json_body, json_lines, media_type
from support.http.exchanges import redact_json, redact_text
from support.http.schemas import EMPTY, JSON_MEDIA, LINES_MEDIA, PAGE, PROBLEM_MEDIA, TEXT, Expectation, SchemaBook

REQUEST_ID = "X-Request-ID"
UNKNOWN = "unknown (no schema)"
NO_BODY = "no body"  # an answer the contract gives no body, that came with one
VALUE_CHARS = 60
MEDIA = {JSON_MEDIA: "application/json", PROBLEM_MEDIA: "application/problem+json", LINES_MEDIA: "application/x-ndjson"}


class ContractViolation(AssertionError):
    """An answer breaks the contract's schemas; the message is one sentence with the request id."""

    def __init__(self, message: str, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response


@dataclass
class Tally:
    """What the checks saw: JSON answers checked per resource, violations, and answers with nothing to check."""

    checked: Counter[str] = field(default_factory=Counter)
    violations: Counter[str] = field(default_factory=Counter)
    json_answers: int = 0      # answers with a JSON body (by media type or content), counted independently
    other_answers: int = 0     # no body, or text such as /metrics
    seconds: float = 0.0       # time spent checking (what the checks cost the run)

    def as_dict(self) -> dict[str, Any]:
        return {"checked": dict(sorted(self.checked.items())), "violations": dict(sorted(self.violations.items())),
                "json_answers": self.json_answers, "other_answers": self.other_answers,
                "seconds": round(self.seconds, 3)}

    @property
    def total_checked(self) -> int:
        return sum(self.checked.values())

    def summary(self) -> str:
        """One line for the terminal."""
        return (f"Contract schemas: {self.total_checked} of {self.json_answers} JSON answers checked "
                f"({len(self.checked)} resources), {sum(self.violations.values())} violations; "
                f"{self.other_answers} answers without JSON (no body, text); checking took {self.seconds:.1f} s")


class Conformance:
    """Checks answers against a `SchemaBook` and tallies them; `enabled=False` checks and counts nothing."""

    def __init__(self, book: SchemaBook | None = None, *, enabled: bool = True,
                 samples: Path | None = None) -> None:
        self._book = book
        self.enabled = enabled
        self.tally = Tally()
        self.samples = samples  # when set, the first sound answer of each schema is kept there (test fixtures)
        self._lock = threading.Lock()

    @property
    def book(self) -> SchemaBook:
        if self._book is None:
            self._book = SchemaBook.load()
        return self._book

    def check(self, answer: httpx.Response, service: str) -> None:
        """Raise ContractViolation when `answer` (from `service`) breaks the contract's schemas."""
        if not self.enabled:
            return
        started = time.perf_counter()
        body = _Body(answer)
        is_json = body.looks_like_json
        fault, label = self._fault(body, service)
        with self._lock:
            self.tally.seconds += time.perf_counter() - started
            self.tally.json_answers += is_json
            if label is None:
                self.tally.other_answers += 1
            else:
                self.tally.checked[label] += 1
                self.tally.violations[label] += fault is not None
        if fault is not None:
            raise ContractViolation(f"{_lead(answer, service, label)} {fault}.", answer)
        if self.samples is not None and label not in (None, UNKNOWN):
            self._keep_sample(body, service)

    def _fault(self, body: _Body, service: str) -> tuple[str | None, str | None]:
        """(what is wrong or None, the resource it is counted under or None when there was nothing to check)."""
        answer = body.answer
        request = answer.request
        if not self.book.knows_service(service):
            return f"the route table knows no service '{service}', so the answer cannot be judged", UNKNOWN
        expectation = self.book.expectation(service, request.method, _raw_path(request), answer.status_code)
        if expectation is None:
            if not body.looks_like_json:
                return None, None
            return "the contract describes no such JSON answer (no schema in data/schemas/routes.yaml)", UNKNOWN
        if expectation.kind == TEXT:
            return None, None
        if expectation.kind == EMPTY:
            if not answer.content:
                return None, None
            return f"it has a body of {len(answer.content)} bytes where the contract promises none", NO_BODY
        if not answer.content and expectation.empty_allowed:
            return None, None
        return self._judge(body, expectation), expectation.label

    def _judge(self, body: _Body, expectation: Expectation) -> str | None:
        answer = body.answer
        if not answer.content:
            return f"the body is empty where the contract promises {_kind_words(expectation)}"
        values = json_lines(answer) if expectation.kind == LINES_MEDIA else [body.value]
        for number, value in enumerate(values, 1):
            if value is NOT_JSON:
                where = f"line {number} of the body" if expectation.kind == LINES_MEDIA else "the body"
                return f"{where} is not JSON where the contract promises {_kind_words(expectation)}"
        wanted = MEDIA[expectation.kind]
        if media_type(answer) != wanted and not (expectation.kind == JSON_MEDIA and _is_plus_json(media_type(answer))):
            return f"the content type is {media_type(answer) or 'missing'}, not {wanted}"
        validator = self.book.validator(expectation)
        for number, value in enumerate(values, 1):
            error = best_match(validator.iter_errors(value))
            if error is not None:
                prefix = f"on line {number}, " if expectation.kind == LINES_MEDIA else ""
                return prefix + _rule_broken(error)
        problem = values[0]
        if expectation.kind == PROBLEM_MEDIA and isinstance(problem, dict) and problem["status"] != answer.status_code:
            return f"at $.status, {_shown(problem['status'])} is wrong: a problem's status is the answer's HTTP status"
        return None

    def _keep_sample(self, body: _Body, service: str) -> None:
        """Keep the first sound answer of each schema (and of each currency) as a fixture, tokens masked."""
        answer = body.answer
        expectation = self.book.expectation(service, answer.request.method, _raw_path(answer.request),
                                            answer.status_code)
        if expectation is None or expectation.schema is None:
            return
        values = json_lines(answer) if expectation.kind == LINES_MEDIA else [body.value]
        found: list[tuple[str, Any]] = [(expectation.schema, value) for value in values[:1]]
        if expectation.page:
            items = body.value.get("items") if isinstance(body.value, dict) else None
            found = [(PAGE, body.value), *((expectation.schema, item) for item in (items or [])[:1])]
        assert self.samples is not None
        for schema, value in found:
            currency = value.get("currency") if isinstance(value, dict) else None
            name = f"{schema}.{currency}" if isinstance(currency, str) and currency.isalpha() else schema
            path = self.samples / f"{name}.json"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(_masked(value), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _masked(value: Any) -> Any:
    """JWTs masked by the exchanges' redaction, every type kept (a fixture must stay schema-valid)."""
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return redact_text(value) if isinstance(value, str) else value


class _Body:
    """An answer whose JSON value is parsed at most once."""

    def __init__(self, answer: httpx.Response) -> None:
        self.answer = answer

    @functools.cached_property
    def value(self) -> Any:
        return json_body(self.answer, NOT_JSON) if self.answer.content else NOT_JSON

    @functools.cached_property
    def looks_like_json(self) -> bool:
        """A JSON body: by its media type, or because the body parses as JSON."""
        if not self.answer.content:
            return False
        return is_json_media_type(media_type(self.answer)) or self.value is not NOT_JSON


# -- the process's checker ------------------------------------------------------------------------------
_ACTIVE = Conformance()


def active() -> Conformance:
    """The checker every suite client reports to (see `make_client`)."""
    return _ACTIVE


def configure(*, enabled: bool, samples: Path | None = None) -> Conformance:
    """Switch the process's checks on or off (off only to measure what they cost) and start a new tally;
    `samples`: a folder where the first sound answer of each schema is kept (to refresh test fixtures)."""
    global _ACTIVE
    _ACTIVE = Conformance(_ACTIVE._book, enabled=enabled, samples=samples)
    return _ACTIVE


def write_tally(tally: Tally, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(tally.as_dict(), indent=2), encoding="utf-8")


# -- sentences --------------------------------------------------------------------------------------------
def _lead(answer: httpx.Response, service: str, label: str | None) -> str:
    """'The sales service's answer GET /api/v1/deals/d1 -> 200 (request id …) breaks the deal schema:'."""
    request = answer.request
    request_id = answer.headers.get(REQUEST_ID) or request.headers.get(REQUEST_ID, "none")
    what = f"the {label} schema" if label and label not in (UNKNOWN, NO_BODY) else "the contract"
    return (f"The {service} service's answer {request.method} {redact_text(_raw_path(request))} -> "
            f"{answer.status_code} (request id {request_id}) breaks {what}:")


def _rule_broken(error: ValidationError) -> str:
    path = error.json_path
    if error.validator == "required":
        missing = next((name for name in error.validator_value if isinstance(error.instance, dict)
                        and name not in error.instance), "?")
        where = f"{path}.{missing}" if path != "$" else f"$.{missing}"
        return f"{where} is missing, which the contract requires"
    described = error.schema.get("description") if isinstance(error.schema, dict) else None
    rule = described or error.message
    key = path.rsplit(".", 1)[-1] if "." in path else ""
    value = redact_json({key: error.instance})[key] if key else error.instance
    return f"at {path}, {_shown(value)} is wrong: {rule}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else json.dumps(redact_text(value))
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + "…"


def _kind_words(expectation: Expectation) -> str:
    if expectation.kind == LINES_MEDIA:
        return f"{expectation.label} lines ({MEDIA[LINES_MEDIA]})"
    return f"a {expectation.label} ({MEDIA[expectation.kind]})"


def _raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii", "replace").split("?", 1)[0]


def _is_plus_json(kind: str) -> bool:
    return kind.endswith("+json")

