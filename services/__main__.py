"""Start identity, sales and anomaly on loopback: `python -m services [--data-dir DIR]`.

Each service runs in its own process, exactly as it would alone (`python -m services.<name>`), with the
contract's environment variables. Ctrl-C or SIGTERM stops all three.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ORDER = ("identity", "sales", "anomaly")


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/health/ready", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--ports", default="8001,8002,8003", help="identity,sales,anomaly ports")
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", ".data"))
    args = parser.parse_args(argv)
    ports = dict(zip(ORDER, (int(p) for p in args.ports.split(",")), strict=True))
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    identity_url = f"http://{args.host}:{ports['identity']}"
    env = {**os.environ, "DATA_DIR": str(data_dir), "IDENTITY_URL": os.environ.get("IDENTITY_URL", identity_url)}

    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for name in ORDER:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}", "--host", args.host, "--port", str(ports[name])], env=env)
            url = f"http://{args.host}:{ports[name]}"
            deadline = time.monotonic() + 60
            while not _ready(url) and not stopping:
                if processes[name].poll() is not None or time.monotonic() > deadline:
                    print(f"{name} did not become ready at {url}", file=sys.stderr)
                    return 1
                time.sleep(0.2)
            print(f"{name:9} ready at {url}", flush=True)
        print(f"data in {data_dir}; Ctrl-C stops all three", flush=True)
        while not stopping and all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        failed = [name for name, p in processes.items() if p.poll() is not None]
        return 1 if failed and not stopping else 0
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    raise SystemExit(main())
