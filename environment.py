"""behave's entry point; all hooks live in support/hooks.py."""

from support.hooks import *  # noqa: F403
from support.hooks import __all__  # noqa: F401
