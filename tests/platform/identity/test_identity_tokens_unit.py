"""Signing key handling, RFC 7638 kid and minting, without HTTP."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest

from services.common.auth import decode_claims
from services.common.problems import ProblemError
from services.common.settings import load_settings
from services.identity.tokens import (
    GENERATED_KEY_NAME,
    mint_access_token,
    new_refresh_token,
    refresh_token_digest,
    signing_key,
)


def test_generated_key_is_kept_and_reused(tmp_path: Path) -> None:
    settings = load_settings("identity", {"DATA_DIR": str(tmp_path)})
    first = signing_key(settings)
    path = tmp_path / GENERATED_KEY_NAME
    assert path.exists()
    assert path.stat().st_mode & 0o077 == 0
    assert signing_key(settings).kid == first.kid
    named = dataclasses.replace(settings, signing_key_file=str(path), data_dir=tmp_path / "unused")
    assert signing_key(named).kid == first.kid
    assert not (tmp_path / "unused").exists()


def test_kid_is_the_rfc7638_thumbprint(tmp_path: Path) -> None:
    key = signing_key(load_settings("identity", {"DATA_DIR": str(tmp_path)}))
    jwk = key.public_jwk
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"))
    expected = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    assert key.kid == expected
    assert jwk["alg"] == "RS256" and jwk["use"] == "sig" and jwk["e"] == "AQAB"
    assert "d" not in jwk


def test_mint_has_every_claim(tmp_path: Path) -> None:
    key = signing_key(load_settings("identity", {"DATA_DIR": str(tmp_path)}))
    minted = mint_access_token(key, issuer="iss-x", ttl=900, user_id="u", tenant_id="t", roles=["admin"],
                               now=datetime.now(UTC), session_id="fam")
    claims = decode_claims(minted.token, key.private_key.public_key(), issuer="iss-x")
    assert set(claims) == {"iss", "aud", "sub", "tid", "roles", "iat", "nbf", "exp", "jti", "sid"}
    assert claims["exp"] - claims["iat"] == 900 and claims["nbf"] == claims["iat"]
    assert (claims["sub"], claims["tid"], claims["roles"], claims["jti"]) == ("u", "t", ["admin"], minted.jti)
    assert jwt.get_unverified_header(minted.token)["kid"] == key.kid
    with pytest.raises(ProblemError):
        decode_claims(minted.token, key.private_key.public_key(), issuer="other")


def test_refresh_tokens_are_random_and_stored_as_sha256() -> None:
    first, second = new_refresh_token(), new_refresh_token()
    assert first != second and len(first) >= 43
    assert refresh_token_digest(first) == hashlib.sha256(first.encode()).hexdigest()
