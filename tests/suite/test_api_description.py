"""The matcher of a service's description of its interface: valid OpenAPI, judged by openapi-spec-validator."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from hamcrest import assert_that, is_not

from support.matchers.api_description import describes_its_interface, openapi_faults

DOCUMENT = json.loads((Path(__file__).parent / "fixtures" / "answers" / "openapi-document.json").read_text())


def answer(body: object, *, status: int = 200, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers={"Content-Type": content_type},
                          request=httpx.Request("GET", "http://sales.test/openapi.json"))


def test_the_reference_platforms_description_is_valid() -> None:
    assert openapi_faults(DOCUMENT) == []
    assert_that(answer(DOCUMENT), describes_its_interface())


def test_an_invalid_description_is_named_with_where_and_why() -> None:
    broken = {**DOCUMENT, "paths": {"/x": {"get": {"responses": {"200": {"content": "none"}}}}}}
    faults = openapi_faults(broken)
    assert len(faults) == 1 and faults[0].startswith("the description is not valid OpenAPI at paths")


def test_no_version_a_list_and_a_missing_description_are_faults() -> None:
    assert openapi_faults({"info": {}, "paths": {}}) == [
        "the description names no OpenAPI version ('openapi: 3.x' or 'swagger: 2.0')"]
    assert openapi_faults([1, 2]) == ["the description is not a JSON object"]
    assert_that(answer({"detail": "Not Found"}, status=404), is_not(describes_its_interface()))
    assert_that(answer(DOCUMENT, content_type="text/html"), is_not(describes_its_interface()))
