"""Run every benchmark in turn and print their figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("api_bench.py", "anomaly_bench.py"):
    print(f"--- {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], cwd=HERE.parent, check=False)
