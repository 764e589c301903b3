"""Forged passes (access tokens) for negative tests of contract §2, and readers of a pass's parts.

Every forgery starts from a genuine pass and changes one thing, so a refusal can only be due to
that one thing. Forgeries that need no key (alg none in any spelling, HS256 keyed with the published
public key, a tampered payload, a stranger's key, a stranger's key named by `jwk`/`jku`/`x5u`) work
against any deployment; the ones that re-sign with the deployment's own key (out of date, no expiry,
another issuer, audience or algorithm) need its PEM, which the suite configuration holds only where the
environment has the `signing_key` capability.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time
import uuid
from functools import lru_cache
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm

JSON = dict[str, Any]
# The contract's largest leeway for clocks (§2: "leeway <= 10 s").
MAX_LEEWAY_S = 10
# "Out of date" by clearly more than the contract's largest allowed leeway (10 s), and no more.
OUT_OF_DATE_S = 15
LIFETIME_S = 900


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


def published_key(token: str, jwks: JSON) -> JSON:
    """The JWK of identity's key set that the pass names by its `kid`."""
    kid = header_of(token).get("kid")
    jwk = next((key for key in jwks.get("keys", []) if isinstance(key, dict) and key.get("kid") == kid), None)
    if jwk is None:
        raise NoSuchKey(f"identity's JWKS has no key with kid {kid!r}")
    return jwk


# -- forgeries anybody can make ------------------------------------------------------------------
def unsigned(token: str, alg: str = "none") -> str:
    """The pass with `alg` set to `alg` (any spelling of "none") and no signature at all."""
    header = {**header_of(token), "alg": alg}
    return f"{_segment(header)}.{_segment(claims_of(token))}."


def hs256_with_public_key(token: str, jwks: JSON, *, form: str = "pem") -> str:
    """The pass re-signed HS256 with identity's published public key as the shared secret: its PEM text
    (`form="pem"`) or its JWK exactly as published, compact (`form="jwk"`)."""
    jwk = published_key(token, jwks)
    if form == "jwk":
        secret = json.dumps(jwk, separators=(",", ":")).encode("utf-8")
    else:
        public_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
        secret = public_key.public_bytes(serialization.Encoding.PEM,  # type: ignore[union-attr]
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = f"{_segment({**header_of(token), 'alg': 'HS256'})}.{_segment(claims_of(token))}"
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
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


# -- a stranger's key and where it is published ----------------------------------------------------
STRANGER_KID = f"stranger-{uuid.uuid4().hex}"


@lru_cache(maxsize=1)
def _stranger_pem() -> str:
    return new_rsa_key_pem()


def stranger_jwk() -> JSON:
    """The stranger's public key as a JWK (what a forger would put in `jwk` or serve at `jku`)."""
    private = serialization.load_pem_private_key(_stranger_pem().encode("ascii"), password=None)
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))  # type: ignore[arg-type]
    return {**jwk, "kid": STRANGER_KID, "use": "sig", "alg": "RS256"}


def stranger_certificate_pem() -> str:
    """A self-signed certificate of the stranger's key (what a forger would serve at `x5u`)."""
    private = serialization.load_pem_private_key(_stranger_pem().encode("ascii"), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "platform-identity")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(private.public_key())  # type: ignore[arg-type]
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .sign(private, hashes.SHA256()))  # type: ignore[arg-type]
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def signed_by_stranger(token: str, **headers: Any) -> str:
    """The pass re-signed RS256 by a key identity never published, under the stranger's key id, with
    `headers` (e.g. `jwk=`, `jku=`, `x5u=`: where a careless verifier would look for that key)."""
    return _resign(token, _stranger_pem(), kid=STRANGER_KID, extra_headers=headers)


# -- forgeries made with the deployment's own key ----------------------------------------------------
def signed_with(token: str, private_key_pem: str, *, algorithm: str = "RS256", drop: tuple[str, ...] = (),
                **changes: Any) -> str:
    """The pass re-signed with `private_key_pem` (the deployment's key): claims changed or dropped, fresh jti."""
    return _resign(token, private_key_pem, kid=str(header_of(token).get("kid")), algorithm=algorithm, drop=drop,
                   jti=str(uuid.uuid4()), **changes)


def expired(token: str, private_key_pem: str, *, by: int = OUT_OF_DATE_S) -> str:
    """Ran out `by` seconds ago (and was issued a lifetime before that)."""
    now = int(time.time())
    return signed_with(token, private_key_pem, iat=now - by - LIFETIME_S, nbf=now - by - LIFETIME_S, exp=now - by)


def not_yet_valid(token: str, private_key_pem: str, *, by: int = OUT_OF_DATE_S) -> str:
    """Becomes valid only in `by` seconds."""
    now = int(time.time())
    return signed_with(token, private_key_pem, iat=now, nbf=now + by, exp=now + by + LIFETIME_S)


def without_expiry(token: str, private_key_pem: str) -> str:
    """Has no `exp` claim at all (valid from now on, for ever)."""
    now = int(time.time())
    return signed_with(token, private_key_pem, iat=now, nbf=now, drop=("exp",))


def _resign(token: str, private_key_pem: str, *, kid: str, algorithm: str = "RS256", drop: tuple[str, ...] = (),
            extra_headers: JSON | None = None, **changes: Any) -> str:
    claims = {key: value for key, value in {**claims_of(token), **changes}.items() if key not in drop}
    return jwt.encode(claims, private_key_pem, algorithm=algorithm, headers={"kid": kid, **(extra_headers or {})})
