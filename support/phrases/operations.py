"""The operations vocabulary: services, ways of sending requests, reasons of refusals, crews, audit attempts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.matchers.answers import is_problem, reports_some_broken_rule
from support.matchers.conventions import (
    DescribesInterface,
    EchoesReference,
    FreshReferences,
    NotToBeSniffed,
    NotToBeStored,
    RefusedInDueForm,
    each_answer,
    each_business_answer,
)
from support.matchers.metrics import ExposesMetrics
from support.phrases.common import names, typed, words
from support.tasks import durability, operations
from support.tasks.operations_audit import ATTEMPTS

SERVICES = {service: service for service in operations.SERVICES}
# The reasons a mistake is reported with, in the words of the feature files -> how the answer is judged.
REASONS = {
    "an unsupported format": is_problem("unsupported-media-type"),
    "too large": is_problem("payload-too-large"),
    "a place that does not exist": is_problem("not-found"),
    "an action that place does not allow": is_problem("method-not-allowed"),
    "unreadable data": reports_some_broken_rule(),
}
# Verdicts on the answers to what a scenario sent, by the sentence that states them. None: each answer is judged
# by what its own request should have been answered (set when it was sent: a field named, a page asked, ...).
VERDICTS = {
    "each holds a request count by method, route and status and a histogram of durations": each_answer(
        ExposesMetrics()),
    "it is a valid OpenAPI description": each_answer(DescribesInterface()),
    "every answer carries exactly the reference its request was marked with": each_answer(EchoesReference()),
    "every answer carries a reference of its own, different from every other": FreshReferences(),
    "every answer says its content type must not be guessed": each_answer(NotToBeSniffed()),
    "every business answer says it must not be stored": each_business_answer(NotToBeStored()),
    "every refusal is in the platform's documented form": RefusedInDueForm(),
    **{f"each is reported as {reason}": each_answer(matcher) for reason, matcher in REASONS.items()},
    "each one just under is read like any other": None,
    "each of them reads back the name exactly as given, in UTF-8": None,
    'the only broken rule reported for each is that "nickname" is not a known field': None,
    "the only broken rule reported for each is that its field is read-only": None,
    'exactly two broken rules are reported: "nickname" is not a known field and "id" is read-only': None,
    "every list answers each page request as the table says": None,
    "every attempt on a trail is refused as not allowed there": None,
}
# How a table of requests is spoilt before it is sent.
SPOILT = {
    "written in plain text": operations.send_as_plain_text,
    "breaking off in the middle": operations.send_broken_off,
    "with a field only the platform sets": operations.send_with_field,
}
# How the requests of "every kind of request" are marked: with a reference of their own, with none, or as usual.
MARKINGS = {", each marked with a reference of its own": operations.fresh_reference, " without any reference": None}

TYPES: dict[str, Callable[[str], Any]] = {
    "OpsService": words(SERVICES),
    "OpsVerdict": words(VERDICTS),
    "OpsSpoilt": words(SPOILT),
    "OpsLimit": words({limit: limit for limit in operations.SIZES}),
    "OpsAttempts": words({attempts: attempts for attempts in ATTEMPTS}),
    "OpsConfirmed": words({"client": "client", "dataset": "dataset"}),
    "DurableChange": words({change: change for change in durability.CHANGES}),
    "OpsCrew": typed(r"[A-Z][a-z]+(?:(?:, | and )[A-Z][a-z]+)+", names),
    "OpsMarking": typed(r"(?:, each marked with a reference of its own| without any reference)?",
                        lambda text: (lambda: None) if text == " without any reference" else MARKINGS.get(text)),
}
