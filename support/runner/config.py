"""Suite configuration: a named environment from YAML, `${VAR}` secrets and `-D` overrides.

Every problem is a `ConfigError` whose message is one line naming the offending key, so the
hooks can print it and stop the run before the first scenario.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from signoff.latency import LatencyBudgets

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG_PATH = REPO_ROOT / "config" / "environments.yaml"
SERVICE_NAMES = ("identity", "sales", "anomaly")
DEFAULT_SEED = 20261121
DEFAULT_SCENARIO_TIME_LIMIT_S = 120.0  # generous: the slowest scenario takes about 8 s (support/runner/watchdog.py)
# restart: the suite may kill and start services; signing_key: it holds the platform's signing key;
# database_faults: it may take a service's database away and give it back (support/runner/databases.py);
# network_faults: each caller reaches identity through a link the suite may slow or cut (support/runner/proxy.py).
KNOWN_CAPABILITIES = frozenset({"restart", "signing_key", "database_faults", "network_faults"})
# Top-level keys of an environment that `-D dotted.key=value` may override.
OVERRIDABLE = frozenset({
    "managed", "host", "cwd", "capabilities", "operator", "common_env", "services",
    "timeouts", "budgets", "seed", "signing_key_file", "scenario_time_limit",
    "conformance", "load",
})
BUDGET_SCALARS = ("read_p95_ms", "write_p95_ms")
WAIT_BUDGETS = ("recovery_s", "dependency_wait_s")  # seconds: resilience scenarios judge against them
ROUTE_KEY = re.compile(r"^(identity|sales|anomaly) (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /\S*$")
EXTERNAL_WORKERS = "external"
DEFAULT_MASTER_PORT = 5557
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class ConfigError(Exception):
    """A bad or incomplete configuration; the message is one line naming the key."""


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float
    ready: float
    eventually: float


@dataclass(frozen=True)
class LoadSettings:
    """How load profiles run (support/load/): where Locust's workers come from, and the bounds of every run.

    `workers` 0: one Locust process; N: a master and N local worker processes; `external_workers` > 0:
    the master waits for that many workers started elsewhere (`locust --worker --master-host ...`).
    A profile asking for more users, seconds or requests than the bounds is refused before it starts.
    """

    workers: int = 0
    external_workers: int = 0
    master_host: str = "127.0.0.1"   # where the master listens for workers
    master_port: int = DEFAULT_MASTER_PORT
    max_users: int = 500
    max_seconds: float = 3900.0
    max_requests: int = 2_000_000
    # The error rate (percent of requests) a profile may show; 0: none.
    max_error_rate_pct: float = 0.0
    # The capacity the environment must carry: the knee of the step-load profile, requests/s.
    capacity_floor_rps: float = 0.0
    # The knee: the last step whose p95 stays at or under this, without errors.
    knee_p95_ms: float = 250.0
    # A managed platform's sales runs this many worker processes while a profile plays (the reference's
    # WEB_CONCURRENCY, not a contract variable); an external deployment is what it is.
    sales_workers: int = 1

    @property
    def distributed(self) -> bool:
        return self.workers > 0 or self.external_workers > 0


@dataclass(frozen=True)
class ServiceConfig:
    base_url: str
    command: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    ready_path: str = "/health/ready"


@dataclass(frozen=True)
class SuiteConfig:
    env_name: str
    managed: bool
    services: dict[str, ServiceConfig]
    operator: Credentials
    signing_key_pem: str | None = field(repr=False)
    timeouts: Timeouts
    budgets: LatencyBudgets
    seed: int
    capabilities: frozenset[str]
    host: str = "127.0.0.1"
    cwd: Path = REPO_ROOT
    scenario_time_limit: float = DEFAULT_SCENARIO_TIME_LIMIT_S  # seconds; @time_limit:N overrides it per scenario
    # Every answer is checked against the contract's schemas; `-D conformance=false` only to measure the cost.
    conformance: bool = True
    load: LoadSettings = field(default_factory=LoadSettings)
    wait_budgets: dict[str, float] = field(default_factory=dict)  # budgets.recovery_s, budgets.dependency_wait_s

    def base_url(self, service: str) -> str:
        return self.services[service].base_url

    def wait_budget(self, name: str) -> float:
        """A budget in seconds the environment states; a scenario judged by one it does not state fails, saying so."""
        if name not in self.wait_budgets:
            raise AssertionError(f"the environment '{self.env_name}' states no budgets.{name}: nothing to judge by")
        return self.wait_budgets[name]

    def with_platform(self, base_urls: Mapping[str, str], signing_key_pem: str | None) -> SuiteConfig:
        """The same configuration once a managed platform runs at `base_urls`."""
        services = {name: replace(svc, base_url=base_urls.get(name, svc.base_url))
                    for name, svc in self.services.items()}
        pem = signing_key_pem if signing_key_pem is not None else self.signing_key_pem
        return replace(self, services=services, signing_key_pem=pem)


def load_config(
    userdata: Mapping[str, str],
    environ: Mapping[str, str],
    *,
    path: Path | None = None,
) -> SuiteConfig:
    """Build the SuiteConfig of the environment named by `-D env=` / ACCEPTANCE_ENV.

    The file is `path`, else `-D config_file=` / ACCEPTANCE_CONFIG, else config/environments.yaml.
    """
    if path is None:
        chosen = userdata.get("config_file") or environ.get("ACCEPTANCE_CONFIG")
        path = Path(chosen) if chosen else DEFAULT_CONFIG_PATH
    document = _read_yaml(path)
    environments = document.get("environments")
    if not isinstance(environments, dict) or not environments:
        raise ConfigError(f"{path.name}: key 'environments' is missing or empty")
    env_name = userdata.get("env") or environ.get("ACCEPTANCE_ENV") or document.get("default") or "local"
    if env_name not in environments:
        known = ", ".join(sorted(environments))
        raise ConfigError(f"env: unknown environment '{env_name}' (known: {known})")
    raw = copy.deepcopy(environments[env_name]) or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"environments.{env_name}: must be a mapping")
    _apply_overrides(raw, userdata)
    if "ACCEPTANCE_SEED" in environ and "seed" not in userdata:
        raw["seed"] = environ["ACCEPTANCE_SEED"]
    raw = _interpolate(raw, environ, prefix="")
    return _build(env_name, raw)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise ConfigError(f"config file {path.name}: {first}") from None
    if not isinstance(document, dict):
        raise ConfigError(f"config file {path.name}: must be a mapping")
    return document


def _apply_overrides(raw: dict[str, Any], userdata: Mapping[str, str]) -> None:
    for key, value in userdata.items():
        parts = key.split(".")
        if parts[0] not in OVERRIDABLE or any(not part for part in parts):
            continue
        node = raw
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        node[parts[-1]] = value


def _interpolate(value: Any, environ: Mapping[str, str], *, prefix: str) -> Any:
    if isinstance(value, dict):
        return {k: _interpolate(v, environ, prefix=_join(prefix, str(k))) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, environ, prefix=f"{prefix}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str):
        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in environ:
                raise ConfigError(f"{prefix}: environment variable {name} is not set")
            return environ[name]
        return _VAR.sub(substitute, value)
    return value


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _build(env_name: str, raw: dict[str, Any]) -> SuiteConfig:
    managed = _bool(raw.get("managed", False), "managed")
    host = str(raw.get("host", "127.0.0.1"))
    capabilities = _capabilities(raw.get("capabilities", []))
    signing_key_pem = _signing_key(raw.get("signing_key_file"))
    if signing_key_pem is not None:
        capabilities |= {"signing_key"}
    return SuiteConfig(
        env_name=env_name,
        managed=managed,
        services=_services(raw, managed),
        operator=_operator(raw.get("operator")),
        signing_key_pem=signing_key_pem,
        timeouts=_timeouts(raw.get("timeouts")),
        budgets=_budgets(raw.get("budgets", {})),
        wait_budgets=_wait_budgets(raw.get("budgets", {})),
        seed=_int(raw.get("seed", DEFAULT_SEED), "seed"),
        capabilities=frozenset(capabilities),
        host=host,
        cwd=(REPO_ROOT / str(raw.get("cwd", "."))).resolve(),
        scenario_time_limit=_positive(raw.get("scenario_time_limit", DEFAULT_SCENARIO_TIME_LIMIT_S),
                                      "scenario_time_limit"),
        conformance=_bool(raw.get("conformance", True), "conformance"),
        load=_load(raw.get("load") or {}),
    )


def _services(raw: dict[str, Any], managed: bool) -> dict[str, ServiceConfig]:
    services = raw.get("services")
    if not isinstance(services, dict):
        raise ConfigError("services: missing (needs identity, sales and anomaly)")
    common_env = raw.get("common_env") or {}
    if not isinstance(common_env, dict):
        raise ConfigError("common_env: must be a mapping of NAME: value")
    result: dict[str, ServiceConfig] = {}
    for name in SERVICE_NAMES:
        entry = services.get(name)
        if not isinstance(entry, dict):
            raise ConfigError(f"services.{name}: missing")
        ready_path = str(entry.get("ready_path", "/health/ready"))
        if not ready_path.startswith("/"):
            raise ConfigError(f"services.{name}.ready_path: must start with '/', got '{ready_path}'")
        if managed:
            command = entry.get("command")
            if not isinstance(command, list) or not command:
                raise ConfigError(f"services.{name}.command: missing (a managed service needs a command list)")
            env = {**common_env, **(entry.get("env") or {})}
            result[name] = ServiceConfig(
                base_url="", command=tuple(str(part) for part in command),
                env={str(k): str(v) for k, v in env.items()}, ready_path=ready_path)
        else:
            # An external deployment's `env` is not used to start it: it tells the suite how it is configured.
            result[name] = ServiceConfig(
                base_url=_url(entry.get("base_url"), f"services.{name}.base_url"), ready_path=ready_path,
                env={str(k): str(v) for k, v in (entry.get("env") or {}).items()})
    return result


def _url(value: Any, key: str) -> str:
    if value is None or value == "":
        raise ConfigError(f"{key}: missing")
    text = str(value).rstrip("/")
    parts = urlsplit(text)
    try:
        _ = parts.port
    except ValueError:
        raise ConfigError(f"{key}: bad URL '{text}' (invalid port)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{key}: bad URL '{text}' (expected http(s)://host[:port])")
    return text


def _operator(value: Any) -> Credentials:
    if not isinstance(value, dict):
        raise ConfigError("operator: missing (needs email and password)")
    email, password = value.get("email"), value.get("password")
    if not email:
        raise ConfigError("operator.email: missing")
    if not password:
        raise ConfigError("operator.password: missing")
    return Credentials(email=str(email), password=str(password))


def _timeouts(value: Any) -> Timeouts:
    if not isinstance(value, dict):
        raise ConfigError("timeouts: missing (needs connect, read, ready, eventually)")
    numbers = {}
    for key in ("connect", "read", "ready", "eventually"):
        if key not in value:
            raise ConfigError(f"timeouts.{key}: missing")
        numbers[key] = _positive(value[key], f"timeouts.{key}")
    return Timeouts(**numbers)


def _wait_budgets(value: Any) -> dict[str, float]:
    """The budgets in seconds (recovery, waiting for a dependency); `_budgets` checks the mapping as a whole."""
    if not isinstance(value, dict):
        return {}
    return {key: _positive(value[key], f"budgets.{key}") for key in WAIT_BUDGETS if key in value}


def _budgets(value: Any) -> LatencyBudgets:
    """read_p95_ms, write_p95_ms, min_samples and routes: {"<service> <METHOD> <template>": ms}."""
    if not isinstance(value, dict):
        raise ConfigError("budgets: must be a mapping of name: milliseconds")
    known = {*BUDGET_SCALARS, *WAIT_BUDGETS, "min_samples", "routes"}
    unknown = sorted(set(map(str, value)) - known)
    if unknown:
        raise ConfigError(f"budgets.{unknown[0]}: unknown budget (known: {', '.join(sorted(known))})")
    scalars = {key: _positive(value[key], f"budgets.{key}") for key in BUDGET_SCALARS if key in value}
    routes = value.get("routes") or {}
    if not isinstance(routes, dict):
        raise ConfigError("budgets.routes: must be a mapping of '<service> <METHOD> <route>': milliseconds")
    for key in routes:
        if not ROUTE_KEY.match(str(key)):
            raise ConfigError(f"budgets.routes.{key}: name a route as '<service> <METHOD> <route template>', "
                              "e.g. 'identity POST /api/v1/auth/token'")
    min_samples = _int(value.get("min_samples", LatencyBudgets.min_samples), "budgets.min_samples")
    if min_samples < 1:
        raise ConfigError(f"budgets.min_samples: must be at least 1, got '{min_samples}'")
    return LatencyBudgets(**scalars, min_samples=min_samples,
                          routes={str(k): _positive(v, f"budgets.routes.{k}") for k, v in routes.items()})


def _load(value: Any) -> LoadSettings:
    if not isinstance(value, dict):
        raise ConfigError("load: must be a mapping (workers, max_users, max_seconds, max_requests, ...)")
    defaults = LoadSettings()
    workers = value.get("workers", 0)
    external = 0
    if str(workers).strip().lower() == EXTERNAL_WORKERS:
        external = _int(value.get("expect_workers", 1), "load.expect_workers")
        if external < 1:
            raise ConfigError("load.expect_workers: must be at least 1 when workers: external")
        workers = 0
    workers = _int(workers, "load.workers")
    if workers < 0:
        raise ConfigError(f"load.workers: must be 0, a number of local workers or 'external', got '{workers}'")
    return LoadSettings(
        workers=workers, external_workers=external,
        master_host=str(value.get("master_host", defaults.master_host)),
        master_port=_int(value.get("master_port", defaults.master_port), "load.master_port"),
        max_users=int(_positive(value.get("max_users", defaults.max_users), "load.max_users")),
        max_seconds=_positive(value.get("max_seconds", defaults.max_seconds), "load.max_seconds"),
        max_requests=int(_positive(value.get("max_requests", defaults.max_requests), "load.max_requests")),
        max_error_rate_pct=_non_negative(value.get("max_error_rate_pct", 0), "load.max_error_rate_pct"),
        capacity_floor_rps=_non_negative(value.get("capacity_floor_rps", 0), "load.capacity_floor_rps"),
        knee_p95_ms=_positive(value.get("knee_p95_ms", defaults.knee_p95_ms), "load.knee_p95_ms"),
        sales_workers=_at_least_one(value.get("sales_workers", defaults.sales_workers), "load.sales_workers"),
    )


def _at_least_one(value: Any, key: str) -> int:
    number = _int(value, key)
    if number < 1:
        raise ConfigError(f"{key}: must be 1 or more, got '{value}'")
    return number


def _non_negative(value: Any, key: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: must be a number, got '{value}'") from None
    if not number >= 0 or number == float("inf"):
        raise ConfigError(f"{key}: must be zero or more, got '{value}'")
    return number


def _capabilities(value: Any) -> set[str]:
    items = [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ConfigError("capabilities: must be a list")
    unknown = sorted(set(map(str, items)) - KNOWN_CAPABILITIES)
    if unknown:
        raise ConfigError(f"capabilities: unknown capability '{unknown[0]}' "
                          f"(known: {', '.join(sorted(KNOWN_CAPABILITIES))})")
    return set(map(str, items))


def _signing_key(value: Any) -> str | None:
    if not value:
        return None
    path = Path(os.path.expanduser(str(value)))
    try:
        pem = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"signing_key_file: cannot read '{path}' ({exc.strerror})") from None
    if "PRIVATE KEY-----" not in pem:
        raise ConfigError(f"signing_key_file: '{path}' holds no PEM private key")
    return pem


def _positive(value: Any, key: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}: must be a number, got '{value}'") from None
    if not number > 0 or number == float("inf"):
        raise ConfigError(f"{key}: must be a positive number, got '{value}'")
    return number


def _int(value: Any, key: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{key}: must be an integer, got '{value}'") from None


def _bool(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise ConfigError(f"{key}: must be true or false, got '{value}'")
