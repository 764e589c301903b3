"""Write sensor-readings.csv: 300 readings of three sensors with 6 planted faults (label 1).

Normal readings are Gaussian, clipped to +-2.5 standard deviations, so their robust z-score
(0.6745 * |x - median| / MAD) stays far below the default threshold 3.5; each fault puts one
sensor 12 standard deviations off. Any correct robust_zscore detector with the default threshold
therefore flags exactly the planted rows. Run: .venv/bin/python data/datasets/make_sensor_readings.py
"""

from __future__ import annotations

import csv
import random
import statistics
from pathlib import Path

SEED = 20261121
ROWS = 300
SENSORS = {"temperature": (60.0, 2.0), "pressure": (101.3, 0.8), "vibration": (0.50, 0.05)}
# row index -> (sensor, how many standard deviations off)
FAULTS = {37: ("temperature", 12), 88: ("pressure", -12), 142: ("vibration", 12),
          199: ("temperature", -12), 251: ("pressure", 12), 286: ("vibration", 12)}
CLIP = 2.5
THRESHOLD = 3.5
OUT = Path(__file__).with_name("sensor-readings.csv")


def readings() -> list[dict[str, float | int]]:
    rng = random.Random(SEED)
    table = []
    for index in range(ROWS):
        row: dict[str, float | int] = {}
        for sensor, (mean, sd) in SENSORS.items():
            z = max(-CLIP, min(CLIP, rng.gauss(0.0, 1.0)))
            row[sensor] = round(mean + z * sd, 3)
        if index in FAULTS:
            sensor, off = FAULTS[index]
            mean, sd = SENSORS[sensor]
            row[sensor] = round(mean + off * sd, 3)
        row["label"] = 1 if index in FAULTS else 0
        table.append(row)
    return table


def robust_scores(table: list[dict[str, float | int]]) -> list[float]:
    scores = [0.0] * len(table)
    for sensor in SENSORS:
        values = [float(row[sensor]) for row in table]
        median = statistics.median(values)
        mad = statistics.median(abs(v - median) for v in values)
        for index, value in enumerate(values):
            scores[index] = max(scores[index], 0.6745 * abs(value - median) / mad)
    return scores


def main() -> None:
    table = readings()
    scores = robust_scores(table)
    flagged = {index for index, score in enumerate(scores) if score > THRESHOLD}
    assert flagged == set(FAULTS), f"flagged {sorted(flagged)}, planted {sorted(FAULTS)}"
    normal_max = max(score for index, score in enumerate(scores) if index not in FAULTS)
    fault_min = min(scores[index] for index in FAULTS)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*SENSORS, "label"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    print(f"wrote {OUT.name}: {ROWS} rows, faults at {sorted(FAULTS)}; "
          f"highest normal score {normal_max:.2f}, lowest fault score {fault_min:.2f}")


if __name__ == "__main__":
    main()
