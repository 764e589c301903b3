"""Run every benchmark in turn and print their figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("load_bench.py", "anomaly_bench.py"):  # api_bench.py: the older hand-written loop, kept
    print(f"--- {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], cwd=HERE.parent, check=False)
