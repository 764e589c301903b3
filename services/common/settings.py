"""Service configuration, read only from the environment variables of contract §6."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PORTS = {"identity": 8001, "sales": 8002, "anomaly": 8003}


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    service: str
    data_dir: Path
    database_url: str
    signing_key_file: str | None
    identity_url: str
    issuer: str
    access_token_ttl: int
    refresh_token_ttl: int
    lockout_seconds: int
    rate_limit_per_tenant: float
    rate_limit_burst: int
    operator_email: str
    operator_password: str
    workers: int = 1  # WEB_CONCURRENCY: worker processes on the service's port (not a contract variable)


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def load_settings(service: str, environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("DATA_DIR") or ".data")
    rate = _int(env, "RATE_LIMIT_PER_TENANT", 100)
    return Settings(
        service=service,
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / (service + '.db')}",
        signing_key_file=env.get("SIGNING_KEY_FILE") or None,
        identity_url=(env.get("IDENTITY_URL") or f"http://127.0.0.1:{DEFAULT_PORTS['identity']}").rstrip("/"),
        issuer=env.get("ISSUER") or "platform-identity",
        access_token_ttl=_int(env, "ACCESS_TOKEN_TTL", 900),
        refresh_token_ttl=_int(env, "REFRESH_TOKEN_TTL", 14 * 24 * 3600),
        lockout_seconds=_int(env, "LOCKOUT_SECONDS", 900),
        rate_limit_per_tenant=float(rate),
        rate_limit_burst=2 * rate,
        operator_email=env.get("OPERATOR_EMAIL") or "operator@platform.example",
        operator_password=env.get("OPERATOR_PASSWORD") or "operator-password-change-me",
        workers=_int(env, "WEB_CONCURRENCY", 1),
    )
