"""The auth vocabulary: the words of the auth features, as step types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.phrases.common import typed, words
from support.screenplay.cast import ROLE_WORDS
from support.tasks.auth import FORGERIES, MISTAKES, RULE_CODES, rule_codes

_RULE = "|".join(sorted(RULE_CODES, key=len, reverse=True))

TYPES: dict[str, Callable[[str], Any]] = {
    # "the slug of a tenant that does not exist" -> how to make that mistake
    "AuthMistake": words(MISTAKES),
    # "with no signature at all" -> how to forge that copy of a pass
    "AuthForgery": words(FORGERIES),
    # "sales manager" -> "sales_manager"
    "AuthRole": words(ROLE_WORDS),
    # "too short and too common" -> {"too_short", "common_password"}
    "AuthRules": typed(rf"(?:{_RULE})(?:(?:, | and )(?:{_RULE}))*", rule_codes),
}
