"""The sales vocabulary: stages, percentages, people, verbs that must succeed or only try, refusals.

A verb phrase carries whether the call must go through ("records", "has recorded") or is an attempt that
may be refused ("tries to record", "each try to record"); a refusal phrase carries the matcher that judges it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hamcrest import any_of

from support.matchers.answers import is_problem, is_problem_with_status, names_field, refused_for
from support.phrases.common import names, typed, words
from support.tasks.sales import APPROVAL_WORDS, PAYMENT_STATUS_WORDS, percent
from support.tasks.sales_payments import received_moment
from support.tasks.sales_reports import NOTIFICATION_WORDS

STAGE = r"lead|qualified|proposal|won|lost"
NAME = r"(?:[A-Z][a-z]+|[Ss]he|[Hh]e)"
QUOTED = r'"[^"]+"'

# How each refusal is judged (contract §4 names the slugs; §1 the 422 form).
REFUSALS = {
    "as not allowed": is_problem("forbidden"),
    "as an invalid transition": is_problem("invalid-transition"),
    "because approval is required": is_problem("approval-required"),
    "because the deal is no longer open": is_problem("invalid-state"),
    "because the deal is not won": is_problem("invalid-state"),
    "because the approval is not pending": is_problem("invalid-state"),
    "as out of date": is_problem("precondition-failed"),
    "as an overpayment": refused_for("overpayment"),
    "because its reference was already used": is_problem("idempotency-key-reused"),
    "as a conflict": is_problem_with_status(409),
    "as invalid, naming its amount": names_field("amount"),
    "as invalid, naming its discount": names_field("discount_percent"),
    "as invalid, naming its country": names_field("country"),
    "because the owner of a deal cannot be chosen": names_field("owner_id", "read_only_field"),
    # another's notification: not found (like one that never existed) or not allowed, see CONTRACT-READINGS
    "because it is not his": any_of(is_problem("not-found"), is_problem("forbidden")),
}
# verb phrase -> (what is decided, must it go through?)
DECISIONS = {"approves": ("approve", True), "rejects": ("reject", True), "has approved": ("approve", True),
             "has rejected": ("reject", True), "tries to approve": ("approve", False),
             "tries to reject": ("reject", False), "each try to approve": ("approve", False)}
# verb phrase -> must it go through?
RECORDS = {"records": True, "has recorded": True, "tries to record": False, "each try to record": False}
MOVES = {"moves": True, "tries to move": False}
OPENS = {"opens": True, "tries to open": False}
MARKS = {"marks": True, "tries to mark": False}
ADDS = {"adds": True, "tries to add": False}
DELETES = {"deletes": True, "tries to delete": False}
# "based on her latest reading" -> read now (True), or the reading remembered from before (False)
READINGS = {f"{pronoun} {which} reading": which == "latest"
            for pronoun in ("her", "his") for which in ("earlier", "latest")}
CLIENT_SITUATIONS = {"with an open deal": "open", "without deals": None, "whose only deal is lost": "lost"}
ACTS = ("move", "change", "payment", "deal", "deletion", "decision")


def quoted(text: str) -> list[str]:
    """ '"0.00", "-1.00" and "1000000000.01"' -> ["0.00", "-1.00", "1000000000.01"] """
    return [part.strip().strip('"') for part in names(text)]


TYPES: dict[str, Callable[[str], Any]] = {
    "SalesPercent": typed(r"\d+(?:\.\d+)? ?%", percent),
    "SalesStage": typed(STAGE),
    "SalesStages": typed(rf"(?:{STAGE})(?:, then to (?:{STAGE}))*", lambda text: text.split(", then to ")),
    "SalesStageList": typed(rf"(?:{STAGE})(?:(?:, | and )(?:{STAGE}))+", names),
    "SalesPeople": typed(rf"{NAME}(?:(?:, | and ){NAME})*", names),
    "SalesPeriod": typed(r"\d{4}-Q[1-4]"),
    "SalesMoment": typed(r"\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}:\d{2} UTC", received_moment),
    "SalesName": typed(r'[^"]+'),
    "SalesQuotedList": typed(rf"{QUOTED}(?:(?:, | and ){QUOTED})*", quoted),
    "SalesApproval": words(APPROVAL_WORDS),
    "SalesPaymentStatus": words(PAYMENT_STATUS_WORDS),
    "SalesNotice": words(NOTIFICATION_WORDS),
    "SalesRefusal": words(REFUSALS),
    "SalesAct": words({act: act for act in ACTS}),
    "SalesDecision": words(DECISIONS),
    "SalesRecords": words(RECORDS),
    "SalesMoves": words(MOVES),
    "SalesOpens": words(OPENS),
    "SalesMarks": words(MARKS),
    "SalesDeletes": words(DELETES),
    "SalesAdds": words(ADDS),
    "SalesKind": words({"clients": "clients", "deals": "deals"}),
    "SalesReading": words(READINGS),
    "SalesClientSituation": words(CLIENT_SITUATIONS),
    "SalesPronoun": words({"her": "her", "his": "his", "their": "their"}),
}
