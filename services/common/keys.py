"""RSA signing keys: PEM loading, generation, RFC 7638 thumbprints and JWKs."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey

    @property
    def public_jwk(self) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()
        core = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
        return {**core, "kid": self.kid, "use": "sig", "alg": "RS256"}

    @property
    def kid(self) -> str:
        numbers = self.private_key.public_key().public_numbers()
        core = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
        digest = hashlib.sha256(json.dumps(core, separators=(",", ":"), sort_keys=True).encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)


def generate_key() -> SigningKey:
    return SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def load_key(path: Path) -> SigningKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA private key")
    return SigningKey(key)


def load_or_create_key(path: Path) -> SigningKey:
    """Read the PEM at `path`, or create one there (0600) so restarts keep issued tokens valid."""
    if path.exists():
        return load_key(path)
    key = generate_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole or not at all: a kill mid-write must not leave half a key behind.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.private_pem())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return key
