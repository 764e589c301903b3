"""Password rules of contract §3, as pure functions, and the argon2id hashing."""

from __future__ import annotations

import unicodedata

import pytest

from services.identity.hashing import hash_password, verify_password
from services.identity.passwords import check_password, common_passwords

EMAIL = "alice@acme.example"


def codes(password: str, email: str = EMAIL) -> list[str]:
    return [violation.code for violation in check_password(password, email)]


def test_deny_list_holds_ten_thousand_entries() -> None:
    assert len(common_passwords()) == 10_000
    assert "password" in common_passwords()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("a" * 14, ["too_short"]),
        ("correct horse battery", []),
        ("x" * 15, []),
        ("x" * 128, []),
        ("x" * 129, ["too_long"]),
        ("password", ["too_short", "common_password"]),
        ("PASSWORD", ["too_short", "common_password"]),
        ("1qaz2wsx3edc4rfv", ["common_password"]),
        ("1QAZ2WSX3EDC4RFV", ["common_password"]),
        ("my name is ALICE and I sing", ["contains_email"]),
        ("alice", ["too_short", "contains_email"]),
    ],
)
def test_rules(password: str, expected: list[str]) -> None:
    assert codes(password) == expected


def test_every_broken_rule_is_reported() -> None:
    assert codes("Alice" + "z" * 124) == ["too_long", "contains_email"]


def test_short_local_part_is_not_a_rule() -> None:
    assert codes("my password with al in it", "al@acme.example") == []


def test_unicode_and_spaces_count_as_code_points() -> None:
    assert codes("ü" * 15) == []
    assert codes("🔑" * 14) == ["too_short"]
    assert codes("   spaces   are fine   ") == []


def test_decomposed_and_composed_forms_are_the_same_password() -> None:
    composed = "é" * 15
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) == 30
    assert codes(decomposed) == []
    assert verify_password(hash_password(composed), decomposed)


def test_hash_is_argon2id_salted_and_whole() -> None:
    password = "p" * 99 + "a"
    first, second = hash_password(password), hash_password(password)
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert first != second
    assert verify_password(first, password)
    assert not verify_password(first, "p" * 99 + "b")


def test_missing_hash_never_verifies() -> None:
    assert not verify_password(None, "dummy password for timing equalisation")
