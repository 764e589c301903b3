"""Sales platform tests: the app in-process over a temp SQLite file, identity replaced by FakeIdentity."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.platform.sales.support import Org, World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from build_world(tmp_path_factory.mktemp("sales"))


@pytest.fixture
def acme(world: World) -> Org:
    return world.org()


@pytest.fixture
def globex(world: World) -> Org:
    return world.org(currency="USD")
