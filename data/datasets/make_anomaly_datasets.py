"""Write the small datasets of the anomaly scenarios (besides sensor-readings.csv).

- boiler-readings.csv: 7 hand-made readings (temperature, pressure, label). Temperatures 20..25 and
  60: median 23, MAD 2, so only 60 °C scores above 3.5 (0.6745 * 37 / 2 = 12.478); pressures
  100..112 in steps of 2 (median 106, MAD 4) all score at most 1.01. Label 1 marks the 60 °C reading.
- machine-load.csv: 200 readings of cpu and memory load; normal ones Gaussian clipped at +-2.5
  standard deviations, 4 planted extremes (label 1) 12 standard deviations away in both features.
  An isolation forest puts the 4 extremes at the very top of its scores, so with contamination
  0.05 / 0.1 / 0.25 (10 / 20 / 50 of 200 flagged) they are always among the flagged rows.

Run: .venv/bin/python data/datasets/make_anomaly_datasets.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261122

BOILER = [(20, 100, 0), (21, 102, 0), (22, 104, 0), (23, 106, 0), (24, 108, 0), (25, 110, 0), (60, 112, 1)]

MACHINE_ROWS = 200
MACHINE = {"cpu": (50.0, 5.0), "memory": (60.0, 4.0)}
EXTREMES = {23: (12, 12), 77: (-12, 12), 131: (12, -12), 188: (-12, -12)}
CLIP = 2.5


def machine_load() -> list[list[float | int]]:
    rng = random.Random(SEED)
    table: list[list[float | int]] = []
    for index in range(MACHINE_ROWS):
        row: list[float | int] = []
        for position, (mean, sd) in enumerate(MACHINE.values()):
            z = max(-CLIP, min(CLIP, rng.gauss(0.0, 1.0)))
            if index in EXTREMES:
                z = EXTREMES[index][position]
            row.append(round(mean + z * sd, 3))
        row.append(1 if index in EXTREMES else 0)
        table.append(row)
    return table


def check_isolation_forest(table: list[list[float | int]]) -> None:
    """The 4 extremes score highest for any seed of sklearn's isolation forest (when it is installed)."""
    try:
        import numpy as np
        from sklearn.ensemble import IsolationForest
    except ImportError:  # pragma: no cover - the check is optional
        return
    matrix = np.asarray([row[:2] for row in table], dtype=float)
    for seed in range(5):
        scores = -IsolationForest(n_estimators=100, random_state=seed).fit(matrix).score_samples(matrix)
        top = set(np.argsort(scores)[::-1][:len(EXTREMES)].tolist())
        assert top == set(EXTREMES), f"seed {seed}: top rows {sorted(top)}, extremes {sorted(EXTREMES)}"


def write(name: str, header: list[str], rows: list[list[float | int]] | list[tuple[int, int, int]]) -> None:
    with (HERE / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {name}: {len(rows)} rows")


def main() -> None:
    write("boiler-readings.csv", ["temperature", "pressure", "label"], BOILER)
    table = machine_load()
    check_isolation_forest(table)
    write("machine-load.csv", ["cpu", "memory", "label"], table)


if __name__ == "__main__":
    main()
