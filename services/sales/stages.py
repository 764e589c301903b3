"""The deal stage machine: lead -> qualified -> proposal -> won; any open stage -> lost (contract §4)."""

from __future__ import annotations

from enum import StrEnum

from services.common.problems import ProblemError
from services.sales.pricing import Approval


class Stage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    WON = "won"
    LOST = "lost"


OPEN_STAGES: frozenset[Stage] = frozenset({Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL})
ALL_STAGES: tuple[Stage, ...] = (Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL, Stage.WON, Stage.LOST)

_ALLOWED: dict[Stage, frozenset[Stage]] = {
    Stage.LEAD: frozenset({Stage.QUALIFIED, Stage.LOST}),
    Stage.QUALIFIED: frozenset({Stage.PROPOSAL, Stage.LOST}),
    Stage.PROPOSAL: frozenset({Stage.WON, Stage.LOST}),
    Stage.WON: frozenset(),
    Stage.LOST: frozenset(),
}


def is_open(stage: Stage | str) -> bool:
    return Stage(stage) in OPEN_STAGES


def invalid_transition(detail: str) -> ProblemError:
    return ProblemError(409, "invalid-transition", detail)


def approval_required(detail: str) -> ProblemError:
    return ProblemError(409, "approval-required", detail)


def check_transition(current: Stage | str, target: Stage | str, approval: Approval | str) -> None:
    """Raise the contract's 409 when `current -> target` is not allowed for a deal in `approval`."""
    current, target = Stage(current), Stage(target)
    if target not in _ALLOWED[current]:
        raise invalid_transition(f"A deal cannot move from {current} to {target}.")
    if target is Stage.WON and Approval(approval) in (Approval.PENDING, Approval.REJECTED):
        raise approval_required(f"The deal's discount approval is {approval}; it cannot be won yet.")
