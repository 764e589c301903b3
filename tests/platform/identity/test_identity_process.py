"""The entry point `python -m services.identity`, and durability: a 2xx survives SIGKILL (contract §1)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.platform.identity.support import OPERATOR_EMAIL, OPERATOR_PASSWORD, PASSWORD, ROOT_DIR


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def identity_process(data_dir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "OPERATOR_EMAIL": OPERATOR_EMAIL,
           "OPERATOR_PASSWORD": OPERATOR_PASSWORD, "PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "services.identity", "--host", "127.0.0.1"], cwd=ROOT_DIR,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("identity did not become ready within 30 s")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_a_created_tenant_survives_sigkill(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with identity_process(tmp_path, port) as process:
        token = httpx.post(f"{base}/api/v1/auth/token", json={"tenant": "operator", "email": OPERATOR_EMAIL,
                                                               "password": OPERATOR_PASSWORD}).json()["access_token"]
        body = {"name": "Durable", "slug": "durable", "plan": "starter", "currency": "GBP",
                "admin": {"email": "alice@durable.example", "name": "Alice", "password": PASSWORD}}
        created = httpx.post(f"{base}/api/v1/tenants", json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=10)
        assert created.status_code == 201
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with identity_process(tmp_path, port):
        answer = httpx.post(f"{base}/api/v1/auth/token", json={"tenant": "durable", "email": "alice@durable.example",
                                                                "password": PASSWORD}, timeout=10)
        assert answer.status_code == 200
        me = httpx.get(f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert me.status_code == 200  # the operator's token, issued before the kill, is still valid
