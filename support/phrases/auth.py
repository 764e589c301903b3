"""The auth vocabulary: the words of the auth features, as step types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.phrases.common import typed, words
from support.screenplay.cast import ROLE_WORDS
from support.tasks.auth import DOORS, FORGERIES, MISTAKES, RULE_CODES, rule_codes

_RULE = "|".join(sorted(RULE_CODES, key=len, reverse=True))
_RULES = rf"(?:{_RULE})(?:(?:, | and )(?:{_RULE}))*"
_ARTICLE = {word: ("an" if word[0] in "aeiou" else "a") for word in ROLE_WORDS}


def _verdict(text: str) -> set[str]:
    """ "accepted" -> no broken rule; "refused as too short" -> {"too_short"} """
    return set() if text == "accepted" else rule_codes(text.removeprefix("refused as "))


TYPES: dict[str, Callable[[str], Any]] = {
    # "the slug of a tenant that does not exist" -> how to make that mistake
    "AuthMistake": words(MISTAKES),
    # "with no signature at all" -> how to forge that copy of a pass
    "AuthForgery": words(FORGERIES),
    # "a sales manager" -> "sales_manager"
    "AuthRole": words({f"{_ARTICLE[word]} {word}": role for word, role in ROLE_WORDS.items()}),
    # "too short and too common" -> {"too_short", "common_password"}
    "AuthRules": typed(_RULES, rule_codes),
    # "accepted" / "refused as containing the email's name" -> the rules broken (none when accepted)
    "AuthVerdict": typed(rf"accepted|refused as {_RULES}", _verdict),
    # "opens" / "does not open"
    "AuthOpens": words({"opens": True, "does not open": False}),
    # "the pipeline report" -> how to try it with the pass a person holds
    "AuthDoor": words(DOORS),
}
