"""Identity platform tests: the app in-process (TestClient) over a temp SQLite file per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.platform.identity.support import Api, open_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    yield from open_api(tmp_path_factory.mktemp("identity"))
