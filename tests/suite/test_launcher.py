"""ManagedPlatform against fake services: start, env passing, stop, kill, restart, failures."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from support.runner.launcher import LaunchError, ManagedPlatform

from .conftest import FIXTURES, managed_environment


@pytest.fixture
def platform(fake_config: Any, tmp_path: Path) -> Any:
    managed = ManagedPlatform(fake_config(), logs_root=tmp_path / "logs")
    managed.start()
    yield managed
    managed.stop()


def get(platform: ManagedPlatform, service: str, path: str) -> dict[str, Any]:
    return httpx.get(f"{platform.base_urls[service]}{path}", timeout=5).json()


def test_start_passes_ports_env_and_signing_key(platform: ManagedPlatform) -> None:
    ports = {url.rsplit(":", 1)[1] for url in platform.base_urls.values()}
    assert len(ports) == 3
    env = get(platform, "sales", "/env")
    assert env["IDENTITY_URL"] == platform.base_urls["identity"]
    assert env["DATABASE_URL"] == f"sqlite:///{platform.data_dir}/sales.db"
    assert env["LOCKOUT_SECONDS"] == "900"
    assert Path(env["SIGNING_KEY_FILE"]).read_text() == platform.signing_key_pem
    assert "BEGIN PRIVATE KEY" in platform.signing_key_pem
    assert "fake service identity" in platform.log_tail("identity", 5)


def test_restart_keeps_port_and_data(platform: ManagedPlatform) -> None:
    post = lambda: httpx.post(f"{platform.base_urls['sales']}/count", timeout=5).json()["count"]  # noqa: E731
    assert post() == 1
    old_pid = platform.pid("sales")
    platform.restart_service("sales")
    assert platform.pid("sales") != old_pid
    assert post() == 2


def test_reconfigure_restarts_with_settings_and_restores_them(platform: ManagedPlatform) -> None:
    platform.reconfigure_service("identity", {"LOCKOUT_SECONDS": "3"})
    assert get(platform, "identity", "/env")["LOCKOUT_SECONDS"] == "3"
    assert platform.service_settings("identity")["LOCKOUT_SECONDS"] == "3"
    assert get(platform, "sales", "/env")["LOCKOUT_SECONDS"] == "900"
    platform.reconfigure_service("identity", {})
    assert get(platform, "identity", "/env")["LOCKOUT_SECONDS"] == "900"
    assert platform.service_settings("identity")["LOCKOUT_SECONDS"] == "900"


def test_kill_and_start_again(platform: ManagedPlatform) -> None:
    pid = platform.pid("anomaly")
    platform.kill_service("anomaly")
    assert not platform.is_running("anomaly")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{platform.base_urls['anomaly']}/health/ready", timeout=2)
    platform.start_service("anomaly")
    assert get(platform, "anomaly", "/health/ready") == {"status": "ready"}


def test_stop_ends_every_process_and_removes_the_data(fake_config: Any, tmp_path: Path) -> None:
    managed = ManagedPlatform(fake_config(), logs_root=tmp_path / "logs")
    managed.start()
    pids = [managed.pid(name) for name in ("identity", "sales", "anomaly")]
    managed.stop()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not managed.data_dir.exists()
    assert (tmp_path / "logs" / managed.run_id / "identity.log").exists()
    managed.stop()  # idempotent


def test_stop_escalates_to_sigkill(fake_config: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("FAKE_IGNORE_TERM", "1")
    managed = ManagedPlatform(fake_config(), logs_root=tmp_path / "logs")
    try:
        managed.start()
        pid = managed.pid("sales")
        managed.stop_service("sales", deadline=0.5)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    finally:
        managed.stop(deadline=0.5)  # the other fake services ignore SIGTERM too


def test_never_ready_names_what_was_awaited_with_log_tail(fake_config: Any, tmp_path: Path,
                                                         monkeypatch: Any) -> None:
    monkeypatch.setenv("FAKE_NOT_READY", "1")
    managed = ManagedPlatform(fake_config({"timeouts.ready": "0.6"}), logs_root=tmp_path / "logs")
    with pytest.raises(LaunchError) as caught:
        managed.start()
    message = str(caught.value)
    assert "identity to answer 200" in message and "/health/ready" in message
    assert "fake service identity" in message
    assert not managed.is_running("identity")


def test_a_crashing_command_is_reported_at_once(fake_config: Any, tmp_path: Path) -> None:
    config = fake_config({"services.identity.command": ["{python}", "-c", "import sys; sys.exit('no db')"]})
    managed = ManagedPlatform(config, logs_root=tmp_path / "logs")
    with pytest.raises(LaunchError, match=r"identity exited \(code 1\)") as caught:
        managed.start()
    assert "no db" in str(caught.value)


def test_hooks_run_the_platform_and_always_stop_it(tmp_path: Path) -> None:
    """The real support.runner.hooks under behave, with fake services: start, skip, attach logs, stop."""
    config = tmp_path / "environments.yaml"
    config.write_text(yaml.safe_dump({"environments": {"local": managed_environment()}}))
    results = tmp_path / "results"
    env = {**os.environ, "ACCEPTANCE_CONFIG": str(config), "ACCEPTANCE_LOGS": str(tmp_path / "logs")}
    run = subprocess.run(
        [sys.executable, "-m", "behave", "--no-capture", "--no-skipped",
         "-f", "allure_behave.formatter:AllureFormatter",
         "-o", str(results), "-f", "plain", str(FIXTURES / "hooks" / "features")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output  # one scenario fails on purpose
    assert "Seed 7 (override with -D seed=N)" in output
    pids = json.loads(re.search(r"PIDS (\[.*\])", output).group(1))  # type: ignore[union-attr]
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    by_name = {r["name"]: r for r in map(json.loads, map(Path.read_text, results.glob("*-result.json")))}
    skipped = by_name["an environment without the capability skips the scenario"]
    assert skipped["status"] == "skipped" and "@needs.teleport" in skipped["description"]
    assert "@needs.teleport" in skipped["statusDetails"]["message"]  # kept despite --no-skipped, with why
    assert "SKIPPED an environment without the capability skips the scenario: Skipped in environment" in output
    failed = by_name["a failure attaches the service logs"]
    assert [a["name"] for a in failed["attachments"]] == [
        f"{name} log (last 200 lines)" for name in ("identity", "sales", "anomaly")]
    assert {label["value"] for label in failed["labels"] if label["name"] == "epic"} == {"Operations"}
    assert "Seed=7" in (results / "environment.properties").read_text()


def test_a_config_error_stops_behave_before_any_scenario(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "behave", "-D", "env=nowhere", "-f", "plain", str(FIXTURES / "hooks" / "features")],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    output = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Configuration error: env: unknown environment 'nowhere' (known: local, staging)" in output
    assert "Traceback" not in output and "0 scenarios passed, 0 failed" in output


def test_cli_up_prints_urls_and_stops_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "environments.yaml"
    config.write_text(yaml.safe_dump({"environments": {"local": managed_environment()}}))
    env = {**os.environ, "ACCEPTANCE_CONFIG": str(config), "ACCEPTANCE_LOGS": str(tmp_path / "logs")}
    cli = subprocess.Popen([sys.executable, "-m", "support.runner.launcher", "up"], cwd=Path(__file__).parents[2],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        assert cli.stdout is not None
        for line in cli.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C stops"):
                break
        urls = dict(line.split()[:2] for line in lines if line.split()[:1] in (["identity"], ["sales"]))
        assert httpx.get(f"{urls['sales']}/health/ready", timeout=5).status_code == 200
        assert any("-D services.sales.base_url=" in line for line in lines)
    finally:
        cli.terminate()
        assert cli.wait(timeout=30) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{urls['identity']}/health/ready", timeout=2)
