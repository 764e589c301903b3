"""`python tests/bites/isolated_behave.py [behave args]`: behave without reading behave.ini.

behave appends command-line `-f/-o` to the formatters of behave.ini, so a plain `behave -f json` would
still write Allure results into the repository's allure-results/. Mutant runs must not pollute the
real report, so they skip the configuration files and name their own formatters and outputs.
"""

from __future__ import annotations

import sys

from behave.__main__ import run_behave
from behave.configuration import Configuration


def main(argv: list[str]) -> int:
    return int(run_behave(Configuration(argv, load_config=False)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
