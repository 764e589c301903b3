"""`python tests/bites/run_mutant.py <service> <mutant> [--host H] [--port P]`: serve a mutated service.

Imports `services.<service>.app`, applies one named mutant from `tests/bites/mutants.py` (monkeypatching
only this process) and serves it exactly as `python -m services.<service>` would.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # run as a script: make `services` and `tests` importable
    sys.path.insert(0, str(REPO_ROOT))

from services.common.server import serve  # noqa: E402
from tests.bites.registry import SERVICES, MutantError, apply  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] not in SERVICES:
        print(f"usage: run_mutant.py {{{'|'.join(SERVICES)}}} <mutant> [--host H] [--port P]", file=sys.stderr)
        raise SystemExit(2)
    service, name, rest = args[0], args[1], args[2:]
    factory = importlib.import_module(f"services.{service}.app").create_app
    try:
        mutated = apply(service, name, factory)
    except MutantError as exc:
        print(f"run_mutant: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    print(f"run_mutant: serving {service} with mutant '{name}'", file=sys.stderr, flush=True)
    serve(service, mutated, rest)


if __name__ == "__main__":
    main()
