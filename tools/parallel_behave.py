"""Run the acceptance suite in parallel behave workers; see parallel/cli.py (or --help) for the options."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parallel.cli import main  # after the repository root is on the path

if __name__ == "__main__":
    sys.exit(main())
