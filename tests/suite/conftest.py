"""Shared fixtures of the suite's self-tests: configurations pointing at fake services."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from support.runner.config import SuiteConfig, load_config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FAKE_SERVICE = FIXTURES / "fake_service.py"


def managed_environment(**extra: Any) -> dict[str, Any]:
    """A managed environment whose three services are fake_service.py."""
    services = {
        name: {
            "command": ["{python}", str(FAKE_SERVICE), "--host", "{host}", "--port", "{port}"],
            "env": {"DATABASE_URL": f"sqlite:///{{data_dir}}/{name}.db", "SERVICE_NAME": name},
        }
        for name in ("identity", "sales", "anomaly")
    }
    environment: dict[str, Any] = {
        "managed": True,
        "host": "127.0.0.1",
        "capabilities": ["restart", "signing_key"],
        "operator": {"email": "operator@example.test", "password": "operator-test-passphrase"},
        "common_env": {"DATA_DIR": "{data_dir}", "SIGNING_KEY_FILE": "{signing_key_file}",
                       "IDENTITY_URL": "{identity_url}", "OPERATOR_EMAIL": "{operator_email}",
                       "LOCKOUT_SECONDS": "900"},
        "services": services,
        "timeouts": {"connect": 1, "read": 5, "ready": 15, "eventually": 2},
        "budgets": {"read_p95_ms": 300},
        "seed": 7,
    }
    environment.update(extra)
    return environment


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    def write(environments: dict[str, Any], default: str = "local") -> Path:
        path = tmp_path / "environments.yaml"
        path.write_text(yaml.safe_dump({"default": default, "environments": environments}))
        return path
    return write


@pytest.fixture
def fake_config(write_config: Callable[..., Path]) -> Callable[..., SuiteConfig]:
    def build(userdata: dict[str, str] | None = None, **extra: Any) -> SuiteConfig:
        path = write_config({"local": managed_environment(**extra)})
        return load_config(userdata or {}, {}, path=path)
    return build


@pytest.fixture
def python() -> str:
    return sys.executable
