"""The sales vocabulary: stages, percentages, approvals, periods, crews of people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from support.phrases.common import names, typed
from support.tasks.sales import APPROVAL_WORDS, percent

STAGE = r"lead|qualified|proposal|won|lost"

TYPES: dict[str, Callable[[str], Any]] = {
    "SalesPercent": typed(r"\d+(?:\.\d+)? ?%", percent),
    "SalesStage": typed(STAGE),
    "SalesStages": typed(rf"(?:{STAGE})(?:, then to (?:{STAGE}))*", lambda text: text.split(", then to ")),
    "SalesCrew": typed(r"[A-Z][a-z]+(?:(?:, | and )[A-Z][a-z]+)+", names),
    "SalesPeriod": typed(r"\d{4}-Q[1-4]"),
    "SalesApproval": typed(r"not required|pending|approved|rejected", APPROVAL_WORDS.__getitem__),
}
