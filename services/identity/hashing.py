"""Argon2id password hashing (OWASP minimum parameters: m=19456 KiB, t=2, p=1)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

from services.identity.passwords import normalize

_HASHER = PasswordHasher(
    time_cost=2, memory_cost=19456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID
)
# Verified against when the account does not exist, so that unknown emails take as long as known ones.
_DUMMY_HASH = _HASHER.hash("dummy password for timing equalisation")


def hash_password(password: str) -> str:
    return _HASHER.hash(normalize(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash still costs one verification."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, normalize(password)) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
