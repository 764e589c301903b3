"""The words the sign-off judges with: a scenario's status, a requirement's verdict, a criterion's mark.

They are `StrEnum`s, so they compare equal to, print as and serialise as the plain words Allure and
the records use ("passed", "not run", "PASS").
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A scenario's result, as Allure writes it."""

    PASSED = "passed"
    FAILED = "failed"  # the platform broke a rule (an assertion failed): a product defect
    BROKEN = "broken"  # an error in the suite or the environment
    SKIPPED = "skipped"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: object) -> Status:
        """The status Allure wrote, or UNKNOWN for anything else (a missing or foreign word)."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.UNKNOWN


# A requirement is not demonstrated by a scenario that failed or broke.
NOT_DEMONSTRATED = frozenset({Status.FAILED, Status.BROKEN})
# The scenarios that ran to a result (skipped and unknown ones did not).
RAN = frozenset({Status.PASSED, *NOT_DEMONSTRATED})


class Verdict(StrEnum):
    """A requirement's verdict in one run (docs/REPORTS.md)."""

    PASSED = "passed"  # every covering scenario passed (a waived flaky one counts)
    FAILED = "failed"  # a covering scenario failed or broke
    FLAKY = "flaky"  # every covering scenario passed at last, but one also failed or broke (retry, repeated runs)
    NOT_RUN = "not run"  # scenarios are written, but none failed and not all of them ran and passed
    UNCOVERED = "uncovered"  # no scenario in features/ carries its tag


# A requirement with one of these verdicts was not demonstrated by this run.
UNPROVEN = frozenset({Verdict.FAILED, Verdict.FLAKY})


class Mark(StrEnum):
    """A gate criterion's outcome, and the gate's as a whole."""

    PASS = "PASS"
    FAIL = "FAIL"

    @classmethod
    def of(cls, passed: bool) -> Mark:
        return cls.PASS if passed else cls.FAIL

    @property
    def word(self) -> str:
        """``PASSED`` or ``FAILED``: the gate's verdict in a sentence."""
        return "PASSED" if self is Mark.PASS else "FAILED"
