"""How a pass identity hands out is judged (contract §2, §3): the answer's shape, the pass's header and claims.

`hands_out_pass(lifetime)` judges a sign-in or renewal answer; `is_pass_for(holder)` judges the access token
itself against identity's published keys and what identity knows of its holder; `recognises_pass()` judges a
service's answer to a call made with a pass (it took the pass for genuine, whatever the caller's role).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from support.data.tokens import claims_of, header_of
from support.matchers.answers import AnswerMatcher, IsProblem, json_object

AUDIENCE = "platform-api"
ALGORITHM = "RS256"
TIME_CLAIMS = ("iat", "nbf", "exp")
# How far the issuing clock may be from the suite's: a deployment elsewhere may run a little off.
CLOCK_SKEW_S = 60


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class HandsOutPass(AnswerMatcher):
    """A 200 sign-in or renewal answer `{access_token, refresh_token, token_type: "Bearer", expires_in}` whose
    pass lasts `lifetime` seconds (`expires_in`, and `exp - iat` of the pass), issued about now."""

    def __init__(self, lifetime: int) -> None:
        self.lifetime = lifetime

    def faults(self, answer: httpx.Response) -> list[str]:
        if answer.status_code != 200:
            return [f"the status is {answer.status_code}, not 200"]
        body = json_object(answer)
        faults = [f"'{member}' is not a non-empty text" for member in ("access_token", "refresh_token")
                  if not isinstance(body.get(member), str) or not body.get(member)]
        if body.get("token_type") != "Bearer":
            faults.append(f"token_type is {body.get('token_type')!r}, not 'Bearer'")
        expires_in = body.get("expires_in")
        if not _number(expires_in) or abs(expires_in - self.lifetime) > 1:  # 899 when counted from a later clock read
            faults.append(f"expires_in is {expires_in!r}, not {self.lifetime}")
        if not faults:
            faults += self._lifetime_faults(str(body["access_token"]))
        return faults

    def _lifetime_faults(self, token: str) -> list[str]:
        try:
            claims = claims_of(token)
        except (ValueError, IndexError):
            return ["the pass is not a JWT"]
        if not all(_number(claims.get(name)) for name in ("iat", "exp")):
            return [f"the pass lacks a numeric iat or exp ({ {name: claims.get(name) for name in TIME_CLAIMS} })"]
        faults = []
        if abs(claims["exp"] - claims["iat"] - self.lifetime) > 1:
            faults.append(f"the pass lasts {claims['exp'] - claims['iat']} s (exp - iat), not {self.lifetime} s")
        if abs(claims["iat"] - time.time()) > CLOCK_SKEW_S:
            faults.append(f"the pass was issued at {claims['iat']}, more than {CLOCK_SKEW_S} s from now")
        return faults

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a 200 answer handing out a Bearer pass of {self.lifetime} s and a renewal token")


@dataclass(frozen=True)
class Holder:
    """What a pass must say: whose it is (identity's ids), its roles, its issuer; and identity's published keys."""

    user_id: str
    tenant_id: str
    roles: frozenset[str]
    issuer: str
    jwks: dict[str, Any] = field(repr=False)


class IsPassFor(BaseMatcher[str]):
    """An access token signed RS256 by a key identity publishes (found by `kid`), with the contract's claims."""

    def __init__(self, holder: Holder) -> None:
        self.holder = holder

    def faults(self, token: str) -> list[str]:
        try:
            header, claims = header_of(token), claims_of(token)
        except (ValueError, IndexError, AttributeError):
            return ["it is not a JWT of three parts"]
        faults = self._signature_faults(token, header)
        expected = {"iss": self.holder.issuer, "aud": AUDIENCE, "sub": self.holder.user_id,
                    "tid": self.holder.tenant_id}
        for claim, value in expected.items():
            if claims.get(claim) != value and not (claim == "aud" and claims.get(claim) == [value]):
                faults.append(f"{claim} is {claims.get(claim)!r}, not {value!r}")
        roles = claims.get("roles")
        if not isinstance(roles, list) or frozenset(roles) != self.holder.roles or len(roles) != len(set(roles)):
            faults.append(f"roles are {roles!r}, not {sorted(self.holder.roles)}")
        times = [f"{name} is {claims.get(name)!r}, not a time" for name in TIME_CLAIMS if not _number(claims.get(name))]
        faults += times
        if not times and claims["nbf"] > claims["iat"]:
            faults.append(f"nbf {claims['nbf']} lies after iat {claims['iat']}: the pass is not valid when issued")
        if not isinstance(claims.get("jti"), str) or not claims.get("jti"):
            faults.append(f"jti is {claims.get('jti')!r}, not a non-empty id")
        return faults

    def _signature_faults(self, token: str, header: dict[str, Any]) -> list[str]:
        if header.get("alg") != ALGORITHM:
            return [f"it is signed {header.get('alg')!r}, not {ALGORITHM}"]
        kid = header.get("kid")
        jwk = next((key for key in self.holder.jwks.get("keys", []) if isinstance(key, dict) and key.get("kid") == kid
                    and kid is not None), None)
        if jwk is None:
            return [f"its kid {kid!r} names no key of identity's JWKS"]
        try:
            jwt.decode(token, jwt.PyJWK(jwk, algorithm=ALGORITHM).key, algorithms=[ALGORITHM],
                       options={"verify_aud": False, "verify_iss": False, "verify_exp": False,
                                "verify_nbf": False, "verify_iat": False})
        except jwt.PyJWTError as exc:
            return [f"its signature does not verify with identity's key {kid!r} ({exc})"]
        return []

    def _matches(self, item: Any) -> bool:
        return isinstance(item, str) and not self.faults(item)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a pass signed {ALGORITHM} by a published key, for {self.holder}")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, str):
            mismatch_description.append_text(f"got {item!r}, not a pass")
            return
        header = json.dumps(_safe(header_of, item))
        mismatch_description.append_text("; ".join(self.faults(item)) + f". Its header: {header}, its claims: "
                                         f"{json.dumps(_safe(claims_of, item))}")


def _safe(read: Any, token: str) -> Any:
    try:
        return read(token)
    except (ValueError, IndexError):
        return "unreadable"


class RecognisesPass(AnswerMatcher):
    """The service took the pass for genuine: it answered (2xx), or refused only for the caller's role (403)."""

    def faults(self, answer: httpx.Response) -> list[str]:
        if 200 <= answer.status_code < 300:
            return []
        forbidden = IsProblem("forbidden")
        if answer.status_code == 403:
            return forbidden.faults(answer)
        return [f"the status is {answer.status_code}, neither a success nor a 403 for the role"]

    def describe_to(self, description: Description) -> None:
        description.append_text("an answer to a genuine pass (a success, or 403 'forbidden' for the role)")


def hands_out_pass(lifetime: int) -> HandsOutPass:
    return HandsOutPass(lifetime)


def is_pass_for(holder: Holder) -> IsPassFor:
    return IsPassFor(holder)


def recognises_pass() -> RecognisesPass:
    return RecognisesPass()
