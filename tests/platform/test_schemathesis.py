"""Schemathesis against each service's own `/openapi.json`, in-process, with valid broad-role tokens.

Every generated request (schema-valid and schema-invalid: the coverage phase's boundary and wrong-type
values, then Hypothesis fuzzing) must get an answer that is not a 5xx, whose status is documented, whose
media type and body match the document (problem documents included), that rejects schema-invalid data
with a 4xx, and that carries the contract's headers. Path ids, query filters and body fields are
swapped for real ids and well-formed values part of the time so that the fuzzer reaches past the 404s.

Bounded by `FUZZ_EXAMPLES` (per operation, fuzzing phase; default 25): under a minute for all three services on 2 cores.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, nullcontext
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case, CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.schemas import OpenApiSchema

from tests.platform.fuzz_support import TARGETS, Target, stop_apps

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_ctx: schemathesis.SerializationContext, value: Any) -> bytes:
    """The stream's body is documented as text (one JSON row per line): send generated text as it is."""
    if isinstance(value, bytes):
        return value
    return (value if isinstance(value, str) else json.dumps(value)).encode("utf-8", "surrogatepass")


def contract_headers(_ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """Contract §1: request id and nosniff on every answer, no-store on every `/api/v1` answer."""
    headers = {name.lower(): values for name, values in response.headers.items()}
    missing = [name for name in ("x-request-id", "x-content-type-options") if name not in headers]
    if case.path.startswith("/api/") and headers.get("cache-control") != ["no-store"]:
        missing.append("cache-control: no-store")
    if missing:
        raise AssertionError(f"{case.method} {case.path} answered {response.status_code} without {missing}")
    return None


CHECKS: list[Any] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,
    contract_headers,
]


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[dict[str, Target]]:
    with ExitStack() as stack:
        built = {name: stack.enter_context(make(tmp_path_factory.mktemp(f"fuzz-{name}")))
                 for name, make in TARGETS.items()}
        try:
            yield built
        finally:
            stop_apps()
            _report(request, built.values())


def _report(request: pytest.FixtureRequest, targets: Iterable[Target]) -> None:
    """Print how many requests each service answered, by status (shown even without -s)."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    with capture.global_and_fixture_disabled() if capture is not None else nullcontext():
        for target in targets:
            if target.statuses:
                seen = ", ".join(f"{status}: {n}" for status, n in sorted(target.statuses.items()))
                reporter.write_line(f"fuzzed {target.name}: {target.statuses.total()} requests ({seen})")


# The bearer token is always the test's valid one: Schemathesis must not generate (or negate) it, or every
# "schema-invalid" case would also lack a token and prove nothing about the rest of the request.
# `ignored_auth` still probes each operation without a token.
FUZZ_CONFIG = schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}})


def _load(target: Target) -> OpenApiSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", target.app, config=FUZZ_CONFIG)


def _aim(case: Case, known: dict[str, list[Any]]) -> None:
    """In a schema-valid case, swap most named values for real ids / well-formed values.

    Negative cases are left alone: their broken value is the point. The choice is a pure function of the
    case, so a derandomized run stays reproducible.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    rng = random.Random(f"{case.method} {case.path} {case.path_parameters!r} {case.query!r} {case.body!r}")
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in sorted(container):
            if known.get(name) and rng.random() < 0.7:
                container[name] = copy.deepcopy(rng.choice(known[name]))


@pytest.fixture(scope="module")
def identity_schema(targets: dict[str, Target]) -> OpenApiSchema:
    return _load(targets["identity"])


@pytest.fixture(scope="module")
def sales_schema(targets: dict[str, Target]) -> OpenApiSchema:
    return _load(targets["sales"])


@pytest.fixture(scope="module")
def anomaly_schema(targets: dict[str, Target]) -> OpenApiSchema:
    return _load(targets["anomaly"])


# Deterministic by default; FUZZ_RANDOM=1 explores new inputs on each run (for hunting, not for CI).
FUZZ_SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                         derandomize=os.environ.get("FUZZ_RANDOM") != "1",
                         suppress_health_check=list(HealthCheck), print_blob=True)


def _exercise(target: Target, case: Case) -> None:
    _aim(case, target.known)
    headers = target.headers_for(case.method.upper(), case.path)
    response = case.call(headers=headers)
    target.after_call(case.method.upper(), case.path, response.status_code)
    target.statuses[response.status_code] += 1
    checks = CHECKS
    if case.media_type == "application/x-ndjson":
        # Any text is a stream body: a line that is not a JSON row is answered in the 200 stream as
        # `{index, error}` (contract §5), so "schema-invalid" stream bodies are not refused with a 4xx.
        checks = [check for check in CHECKS if check is not negative_data_rejection]
    case.validate_response(response, checks=checks, headers=headers, transport_kwargs={"headers": headers})


identity_api = schemathesis.pytest.from_fixture("identity_schema")
sales_api = schemathesis.pytest.from_fixture("sales_schema")
anomaly_api = schemathesis.pytest.from_fixture("anomaly_schema")


@identity_api.parametrize()
@FUZZ_SETTINGS
def test_identity_keeps_its_openapi_document(case: Case, targets: dict[str, Target]) -> None:
    _exercise(targets["identity"], case)


@sales_api.parametrize()
@FUZZ_SETTINGS
def test_sales_keeps_its_openapi_document(case: Case, targets: dict[str, Target]) -> None:
    _exercise(targets["sales"], case)


@anomaly_api.parametrize()
@FUZZ_SETTINGS
def test_anomaly_keeps_its_openapi_document(case: Case, targets: dict[str, Target]) -> None:
    _exercise(targets["anomaly"], case)


def test_every_api_operation_documents_problem_answers(targets: dict[str, Target]) -> None:
    for target in targets.values():
        document = target.client.get("/openapi.json").json()
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if not path.startswith("/api/"):
                    continue
                responses = operation["responses"]
                for status in ("401", "403", "404", "429"):
                    content = responses[status]["content"]
                    assert list(content) == ["application/problem+json"], (target.name, method, path, status)
                if "requestBody" in operation:
                    assert {"413", "415", "422"} <= set(responses), (target.name, method, path)

