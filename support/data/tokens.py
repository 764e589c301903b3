"""Forged passes (access tokens) for negative tests of contract §2.

Every forgery starts from a genuine pass and changes one thing, so a refusal can only be due to
that one thing. Forgeries that need no key (alg none, HS256 keyed with the published public key,
a tampered payload, a stranger's key) work against any deployment; the ones that re-sign with the
deployment's own key (expired, not yet valid, another issuer or audience) need its PEM, which the
suite configuration holds only where the environment has the `signing_key` capability.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

JSON = dict[str, Any]
MINUTE_S = 60


class NoSuchKey(AssertionError):
    """Identity's JWKS does not publish the key the genuine pass names."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _segment(document: JSON) -> str:
    return _b64(json.dumps(document, separators=(",", ":")).encode("utf-8"))


def header_of(token: str) -> JSON:
    return dict(json.loads(_unb64(token.split(".")[0])))


def claims_of(token: str) -> JSON:
    return dict(json.loads(_unb64(token.split(".")[1])))


def unsigned(token: str) -> str:
    """The pass with `alg: none` and no signature at all."""
    header = {**header_of(token), "alg": "none"}
    return f"{_segment(header)}.{_segment(claims_of(token))}."


def hs256_with_public_key(token: str, jwks: JSON) -> str:
    """The pass re-signed HS256 with the PEM text of identity's own published public key."""
    kid = header_of(token).get("kid")
    jwk = next((key for key in jwks.get("keys", []) if key.get("kid") == kid), None)
    if jwk is None:
        raise NoSuchKey(f"identity's JWKS has no key with kid {kid!r}")
    public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{_segment({**header_of(token), 'alg': 'HS256'})}.{_segment(claims_of(token))}"
    signature = hmac.new(pem, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def tampered(token: str, **changes: Any) -> str:
    """The pass with its payload changed and its original signature kept."""
    header, _, signature = token.split(".")
    return f"{header}.{_segment({**claims_of(token), **changes})}.{signature}"


def new_rsa_key_pem() -> str:
    """A fresh 2048-bit RSA private key as PKCS#8 PEM (the managed platform's signing key, a stranger's key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


@lru_cache(maxsize=1)
def _stranger_pem() -> str:
    return new_rsa_key_pem()


def signed_by_stranger(token: str) -> str:
    """The pass re-signed RS256 by a freshly generated key under a key id identity never published."""
    return _resign(token, _stranger_pem(), kid=f"stranger-{uuid.uuid4().hex}")


def signed_with(token: str, private_key_pem: str, **changes: Any) -> str:
    """The pass re-signed with `private_key_pem` (the deployment's key), claims changed, fresh jti."""
    return _resign(token, private_key_pem, kid=str(header_of(token).get("kid")), jti=str(uuid.uuid4()), **changes)


def expired(token: str, private_key_pem: str) -> str:
    now = int(time.time())
    return signed_with(token, private_key_pem, iat=now - 16 * MINUTE_S, nbf=now - 16 * MINUTE_S,
                       exp=now - MINUTE_S)


def not_yet_valid(token: str, private_key_pem: str) -> str:
    now = int(time.time())
    return signed_with(token, private_key_pem, iat=now, nbf=now + MINUTE_S, exp=now + 15 * MINUTE_S)


def _resign(token: str, private_key_pem: str, *, kid: str, **changes: Any) -> str:
    claims = {**claims_of(token), **changes}
    return jwt.encode(claims, private_key_pem, algorithm="RS256", headers={"kid": kid})
