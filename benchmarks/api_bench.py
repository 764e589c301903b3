"""Sales API under load: 50 concurrent users creating and reading deals on the reference platform.

Starts the platform on free loopback ports with a temporary data directory, makes one enterprise
tenant with 50 sales reps, then every rep creates and reads deals as fast as it can for a fixed
number of rounds. Prints p50/p95/p99 latency, throughput and errors. Targets (issue 2): p95 < 150 ms,
>= 300 requests/s, zero errors. The per-tenant rate limit is raised for the run: this measures the
service, not the limiter.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple benchmark"


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def wait_ready(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"platform did not become ready at {url}")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run_load(identity: str, sales: str, users: int, rounds: int) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        op = (await http.post(f"{identity}/api/v1/auth/token", json={
            "tenant": "operator", "email": "operator@bench.example", "password": PASSWORD})).json()
        slug = f"bench-{int(time.time())}"
        operator = {"Authorization": f"Bearer {op['access_token']}"}
        tenant = await http.post(f"{identity}/api/v1/tenants", headers=operator,
                                 json={"name": "Bench", "slug": slug, "plan": "enterprise", "currency": "EUR",
                                       "admin": {"email": "admin@bench.example", "name": "Admin",
                                                 "password": PASSWORD}})
        tenant.raise_for_status()
        admin = (await http.post(f"{identity}/api/v1/auth/token", json={
            "tenant": slug, "email": "admin@bench.example", "password": PASSWORD})).json()["access_token"]
        tokens = []
        for index in range(users):
            email = f"rep{index}@bench.example"
            created = await http.post(f"{identity}/api/v1/users", headers={"Authorization": f"Bearer {admin}"},
                                      json={"email": email, "name": f"Rep {index}", "password": PASSWORD,
                                            "roles": ["sales_rep"]})
            created.raise_for_status()
            signed = await http.post(f"{identity}/api/v1/auth/token",
                                     json={"tenant": slug, "email": email, "password": PASSWORD})
            tokens.append(signed.json()["access_token"])

    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users, keepalive_expiry=2.0)

    async def user(http: httpx.AsyncClient, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        client = await http.post(f"{sales}/api/v1/clients", headers=headers,
                                 json={"name": "Client", "email": "buyer@client.example", "country": "DE"})
        if client.status_code != 201:
            errors.append(f"client {client.status_code}")
            return
        client_id = client.json()["id"]
        for _ in range(rounds):
            for call in ("create", "read"):
                started = time.perf_counter()
                if call == "create":
                    answer = await http.post(f"{sales}/api/v1/deals", headers=headers,
                                             json={"client_id": client_id, "title": "Deal", "amount": "12000.00"})
                    deal_id = answer.json().get("id") if answer.status_code == 201 else None
                else:
                    answer = await http.get(f"{sales}/api/v1/deals/{deal_id}", headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code >= 400:
                    errors.append(f"{call} {answer.status_code}")

    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(user(http, token) for token in tokens))
        elapsed = time.perf_counter() - started

    print(f"sales API, {users} concurrent users x {rounds} rounds (create + read a deal):")
    print(f"  requests     {len(latencies)} in {elapsed:.2f} s -> {len(latencies) / elapsed:.0f} requests/s"
          f"   (target >= 300)")
    print(f"  latency ms   p50 {statistics.median(latencies):.1f}   p95 {percentile(latencies, 0.95):.1f}"
          f"   p99 {percentile(latencies, 0.99):.1f}   (target p95 < 150)")
    print(f"  errors       {len(errors)}   (target 0){'  e.g. ' + ', '.join(errors[:5]) if errors else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    ports = free_ports(3)
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DATA_DIR": data_dir, "RATE_LIMIT_PER_TENANT": "100000",
               "OPERATOR_EMAIL": "operator@bench.example", "OPERATOR_PASSWORD": PASSWORD}
        platform = subprocess.Popen([sys.executable, "-m", "services", "--ports", ",".join(map(str, ports)),
                                     "--data-dir", data_dir], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            for port in ports:
                wait_ready(f"http://127.0.0.1:{port}", deadline)
            asyncio.run(run_load(f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}", args.users,
                                 args.rounds))
        finally:
            platform.terminate()
            platform.wait(timeout=20)


if __name__ == "__main__":
    main()
