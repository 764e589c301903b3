"""Anomaly service speed figures: `python benchmarks/anomaly_bench.py` (from the repository root).

- isolation_forest training on 10,000 rows x 10 features (target < 2 s; contract: < 10 s)
- detection throughput, rows/s, JSON rows -> results through the domain code (target >= 50,000)
- streaming throughput, rows/s, NDJSON through the ASGI app in-process (target >= 5,000)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from services.anomaly.algorithms import train
from services.anomaly.app import create_app
from services.anomaly.detector_service import result_of
from services.anomaly.features import matrix_of_rows
from services.common.settings import load_settings
from services.common.testing import FakeIdentity

ROWS, FEATURES = 10_000, 10
NAMES = tuple(f"f{i}" for i in range(FEATURES))


def bench_training(matrix: np.ndarray) -> float:
    started = time.perf_counter()
    train("isolation_forest", NAMES, matrix, contamination=0.05, random_seed=0)
    return time.perf_counter() - started


def bench_detection(matrix: np.ndarray, rounds: int = 5) -> float:
    model = train("isolation_forest", NAMES, matrix)
    rows = [dict(zip(NAMES, row, strict=True)) for row in matrix.tolist()]
    started = time.perf_counter()
    for _ in range(rounds):
        result_of("bench", 1, model, matrix_of_rows(rows, NAMES))
    return rounds * len(rows) / (time.perf_counter() - started)


def bench_stream(matrix: np.ndarray, lines: int = 20_000) -> float:
    identity = FakeIdentity()
    tenant = identity.add_tenant(plan="enterprise")
    user = identity.add_user(tenant, ["analyst"])
    headers = identity.headers(user)
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings("anomaly", {"DATA_DIR": data_dir, "RATE_LIMIT_PER_TENANT": "10000"})
        with TestClient(create_app(settings, identity=identity)) as client:
            dataset = client.post("/api/v1/datasets", headers=headers, json={
                "name": "bench", "columns": list(NAMES), "rows": matrix.tolist()}).json()
            detector = client.post("/api/v1/detectors", headers=headers, json={
                "name": "bench", "algorithm": "isolation_forest", "features": list(NAMES)}).json()
            job = client.post(f"/api/v1/detectors/{detector['id']}/training", headers=headers,
                              json={"dataset_id": dataset["id"]}).json()
            while client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers).json()["status"] != "succeeded":
                time.sleep(0.05)
            source = matrix.tolist()
            body = "".join(json.dumps(dict(zip(NAMES, source[i % len(source)], strict=True))) + "\n"
                           for i in range(lines)).encode()
            started = time.perf_counter()
            response = client.post(f"/api/v1/detectors/{detector['id']}/stream", content=body,
                                   headers={**headers, "Content-Type": "application/x-ndjson"})
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and response.text.count("\n") == lines, response.text[:200]
    return lines / elapsed


def main() -> None:
    matrix = np.random.default_rng(0).normal(size=(ROWS, FEATURES))
    training = bench_training(matrix)
    detection = bench_detection(matrix)
    streaming = bench_stream(matrix)
    print(f"isolation_forest training, {ROWS} x {FEATURES}: {training:.3f} s (target < 2 s)")
    print(f"detection throughput: {detection:,.0f} rows/s (target >= 50,000)")
    print(f"streaming throughput (ASGI, in-process): {streaming:,.0f} rows/s (target >= 5,000)")


if __name__ == "__main__":
    main()
