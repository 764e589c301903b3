"""Sales platform tests: the app in-process over a temp SQLite file, identity replaced by FakeIdentity."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.platform.sales.support import Org, World, build_world  # noqa: E402


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from build_world(tmp_path_factory.mktemp("sales"))


@pytest.fixture
def acme(world: World) -> Org:
    return world.org()


@pytest.fixture
def globex(world: World) -> Org:
    return world.org(currency="USD")
