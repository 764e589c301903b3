"""Configuration: environments, -D overrides, ${VAR} secrets, one-line errors naming the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support.runner.config import DEFAULT_CONFIG_PATH, ConfigError, load_config
from support.runner.hooks import missing_capability_reason, scenario_seed

STAGING_ENV = {
    "STAGING_OPERATOR_EMAIL": "ops@staging.example",
    "STAGING_OPERATOR_PASSWORD": "very-secret-staging-pass",
    "STAGING_IDENTITY_URL": "https://identity.staging.example",
    "STAGING_SALES_URL": "https://sales.staging.example",
    "STAGING_ANOMALY_URL": "https://anomaly.staging.example:8443/",
}


def config_error(userdata: dict[str, str], environ: dict[str, str] | None = None, **kw: Any) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(userdata, environ or {}, **kw)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_local_is_the_managed_default() -> None:
    config = load_config({}, {})
    assert config.env_name == "local"
    assert config.managed
    assert set(config.services) == {"identity", "sales", "anomaly"}
    identity = config.services["identity"]
    assert identity.command[:3] == ("{python}", "-m", "services.identity")
    assert identity.env["DATABASE_URL"] == "sqlite:///{data_dir}/identity.db"
    assert identity.env["REFRESH_TOKEN_TTL"] == "86400"  # common_env reaches each service
    assert not {"ISSUER", "ACCESS_TOKEN_TTL", "LOCKOUT_SECONDS"} & set(identity.env)  # the contract's defaults
    assert identity.ready_path == "/health/ready"
    assert config.seed == 20261121
    assert config.capabilities == {"restart", "signing_key", "database_faults", "network_faults"}
    assert config.wait_budget("recovery_s") == 15.0 and config.wait_budget("dependency_wait_s") == 8.0


def test_env_var_chooses_the_environment_and_supplies_secrets() -> None:
    config = load_config({}, {"ACCEPTANCE_ENV": "staging", **STAGING_ENV})
    assert not config.managed
    assert config.operator.password == "very-secret-staging-pass"
    assert config.base_url("anomaly") == "https://anomaly.staging.example:8443"
    assert "very-secret" not in repr(config)
    assert "signing_key" not in config.capabilities


def test_an_external_deployment_says_how_it_is_configured() -> None:
    config = load_config({"env": "staging", "services.identity.env.ISSUER": "acme-sso"}, STAGING_ENV)
    assert config.services["identity"].env == {"ISSUER": "acme-sso"}
    assert config.services["sales"].env == {}


def test_dash_d_env_wins_over_the_env_var() -> None:
    config = load_config({"env": "local"}, {"ACCEPTANCE_ENV": "staging"})
    assert config.env_name == "local"


def test_unset_secret_names_the_key_and_the_variable() -> None:
    environ = {k: v for k, v in STAGING_ENV.items() if k != "STAGING_OPERATOR_PASSWORD"}
    message = config_error({"env": "staging"}, environ)
    assert "operator.password" in message and "STAGING_OPERATOR_PASSWORD" in message


def test_unknown_environment_names_the_known_ones() -> None:
    message = config_error({"env": "prod"})
    assert "prod" in message and "local" in message and "staging" in message


def test_dotted_overrides() -> None:
    config = load_config({"timeouts.read": "5", "seed": "42", "budgets.read_p95_ms": "250"}, {})
    assert config.timeouts.read == 5.0
    assert config.seed == 42
    assert config.budgets.read_p95_ms == 250.0


def test_seed_from_env_var_but_dash_d_wins() -> None:
    assert load_config({}, {"ACCEPTANCE_SEED": "99"}).seed == 99
    assert load_config({"seed": "5"}, {"ACCEPTANCE_SEED": "99"}).seed == 5


def test_service_url_override_for_external_environment() -> None:
    config = load_config({"env": "staging", "services.sales.base_url": "http://127.0.0.1:9999"}, STAGING_ENV)
    assert config.base_url("sales") == "http://127.0.0.1:9999"


def test_userdata_for_other_tools_is_ignored() -> None:
    config = load_config({"AllureFormatter.issue_pattern": "https://x/{}"}, {})
    assert config.env_name == "local"


@pytest.mark.parametrize(("userdata", "key"), [
    ({"timeouts.read": "abc"}, "timeouts.read"),
    ({"timeouts.connect": "-1"}, "timeouts.connect"),
    ({"seed": "x"}, "seed"),
    ({"managed": "maybe"}, "managed"),
    ({"capabilities": "restart,teleport"}, "capabilities"),
    ({"budgets.read_p95_ms": "fast"}, "budgets.read_p95_ms"),
])
def test_bad_values_name_their_key(userdata: dict[str, str], key: str) -> None:
    assert config_error(userdata).startswith(f"{key}:")


@pytest.mark.parametrize("url", ["ftp://x.example", "not a url", "http://:80", "http://h.example:port"])
def test_bad_url_names_the_key(url: str) -> None:
    message = config_error({"env": "staging", "services.identity.base_url": url}, STAGING_ENV)
    assert message.startswith("services.identity.base_url:")


def test_missing_keys_are_named(write_config: Any) -> None:
    path = write_config({"local": {"managed": True, "operator": {"email": "a@b.c", "password": "p"},
                                   "services": {}, "timeouts": {}}})
    assert config_error({}, path=path) == "services.identity: missing"
    path = write_config({"local": {"managed": False, "operator": {"email": "a@b.c", "password": "p"},
                                   "services": {n: {"base_url": "http://h"} for n in
                                                ("identity", "sales", "anomaly")},
                                   "timeouts": {"connect": 1, "read": 1, "ready": 1}}})
    assert config_error({}, path=path) == "timeouts.eventually: missing"


def test_managed_service_without_command(fake_config: Any) -> None:
    with pytest.raises(ConfigError, match=r"^services\.sales\.command: missing"):
        fake_config({"services.sales.command": ""})


def test_missing_config_file_is_one_line(tmp_path: Path) -> None:
    assert "cannot be read" in config_error({}, path=tmp_path / "none.yaml")


def test_signing_key_file_adds_the_capability(tmp_path: Path) -> None:
    key = tmp_path / "key.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")
    config = load_config({"env": "staging", "signing_key_file": str(key)}, STAGING_ENV)
    assert "signing_key" in config.capabilities and config.signing_key_pem
    message = config_error({"env": "staging", "signing_key_file": str(tmp_path / "nope.pem")}, STAGING_ENV)
    assert message.startswith("signing_key_file:")


def test_with_platform_fills_base_urls() -> None:
    config = load_config({}, {}).with_platform({"identity": "http://127.0.0.1:1"}, "PEM")
    assert config.base_url("identity") == "http://127.0.0.1:1"
    assert config.signing_key_pem == "PEM"


def test_capability_skip_reason() -> None:
    staging = load_config({"env": "staging"}, STAGING_ENV)
    reason = missing_capability_reason(["sales", "needs.restart"], staging)
    assert reason is not None and "staging" in reason and "restart" in reason
    assert missing_capability_reason(["needs.restart"], load_config({}, {})) is None


def test_scenario_seed_is_deterministic() -> None:
    assert scenario_seed(1, "a") == scenario_seed(1, "a")
    assert scenario_seed(1, "a") != scenario_seed(2, "a") != scenario_seed(1, "b")


def test_repository_config_exists() -> None:
    assert DEFAULT_CONFIG_PATH.exists()
