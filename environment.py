"""behave's entry point; all hooks live in support/runner/hooks.py."""

from support.runner.hooks import *  # noqa: F403
from support.runner.hooks import __all__  # noqa: F401
