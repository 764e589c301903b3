"""Unit tests of the area tasks talk to small fakes of the platform, not to the contract's full shapes.

What an answer must look like is the business of the schema checks (tests/suite/test_schemas.py,
test_conformance.py); here they are switched off so that a fake answers only what a task reads.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.http import conformance


@pytest.fixture(autouse=True)
def fakes_are_not_the_contract() -> Iterator[None]:
    before = conformance.active()
    conformance.configure(enabled=False)
    yield
    conformance.configure(enabled=before.enabled)
