"""behave's entry point: the step parameter types (registered once) and the hooks of support/runner/hooks.py."""

import support.phrases  # noqa: F401 - registers every step type before behave loads the steps
from support.runner.hooks import *  # noqa: F403
from support.runner.hooks import __all__  # noqa: F401
