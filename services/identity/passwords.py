"""Password rules of contract §3 (NIST SP 800-63B-4, password as the only factor).

Choices (documented in services/identity/README.md):
- A password is normalised with Unicode NFKC (NIST SP 800-63B-4 §3.1.1.2 recommends NFKC or NFKD)
  before it is checked, hashed or verified; its length is the number of code points of that form.
- No truncation and no composition rules; spaces and any Unicode are allowed.
- The deny-list (data/common-passwords.txt) is compared ignoring case (casefold).
- The email rule applies when the local part (before the last "@") has 3 or more characters and
  forbids it anywhere in the password, ignoring case.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 15
MAX_LENGTH = 128
MIN_EMAIL_LOCAL_PART = 3
DENY_LIST_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


@dataclass(frozen=True)
class PasswordViolation:
    code: str
    message: str


def normalize(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = DENY_LIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.casefold() for line in lines if line)


def email_local_part(email: str) -> str:
    return email.rsplit("@", 1)[0] if "@" in email else email


def check_password(password: str, email: str) -> list[PasswordViolation]:
    """Every rule the password breaks, in a fixed order; an empty list means it is acceptable."""
    text = normalize(password)
    folded = text.casefold()
    violations: list[PasswordViolation] = []
    if len(text) < MIN_LENGTH:
        violations.append(PasswordViolation("too_short", f"Use at least {MIN_LENGTH} characters."))
    if len(text) > MAX_LENGTH:
        violations.append(PasswordViolation("too_long", f"Use at most {MAX_LENGTH} characters."))
    if folded in common_passwords():
        violations.append(PasswordViolation("common_password", "This password is too common."))
    local = email_local_part(normalize(email)).casefold()
    if len(local) >= MIN_EMAIL_LOCAL_PART and local in folded:
        violations.append(
            PasswordViolation("contains_email", "The password must not contain the email's local part.")
        )
    return violations
