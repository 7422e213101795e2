"""Verification of the three authentication schemes: AK/SK signature, security token, IAM token.

The signature is recomputed with ``jupyter_devenv.modelarts.signer`` from what was
received: method, path, query, the headers named in ``SignedHeaders`` and the body.
Temporary AK/SK pairs issued here (``issue_temporary``) expire on the emulator clock.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from calendar import timegm
from dataclasses import dataclass, replace
from time import strptime, time
from typing import Dict, Mapping, Optional, Sequence, Tuple

from ..modelarts import signer
from ..modelarts.errors import DevEnvError
from .clock import Clock
from .fake_secrets import temporary_credential

MAX_SKEW_SECONDS = 15 * 60
TOKEN_LIFETIME_MS = 24 * 3600 * 1000


def _denied(code: str, msg: str, status: int = 401) -> DevEnvError:
    return DevEnvError(code, msg, status=status)


@dataclass(frozen=True)
class KeyPair:
    """A secret key; for a temporary pair the security token it must come with, and
    for an issued one when it expires (emulator clock, ms)."""

    secret_key: str
    security_token: Optional[str] = None
    expires_at: Optional[int] = None


@dataclass
class Token:
    expires_at: int
    revoked: bool = False


class Authenticator:
    """Checks a request's credentials; issues and expires IAM tokens (on the emulator clock)."""

    def __init__(self, clock: Clock, keys: Mapping[str, KeyPair], static_tokens: Sequence[str] = ()) -> None:
        self.clock = clock
        self.keys = dict(keys)
        self._tokens: Dict[str, Token] = {}
        self._lock = threading.Lock()
        self.temporary_issued = 0
        for value in static_tokens:
            self._tokens[value] = Token(expires_at=2**62)

    def issue_token(self) -> Tuple[str, int, int]:
        """A new token, when it was issued and when it expires (ms): 24 h of emulator clock."""
        value = "MIIEMULATOR" + secrets.token_urlsafe(48)
        issued = self.clock.now_ms()
        with self._lock:
            self._tokens[value] = Token(expires_at=issued + TOKEN_LIFETIME_MS)
        return value, issued, issued + TOKEN_LIFETIME_MS

    def issue_temporary(self, region: str, lifetime_ms: int) -> Tuple[str, str, str, int]:
        """A new temporary AK, SK and security token, and when they expire (ms)."""
        access, secret, security_token = temporary_credential(region)
        expires = self.clock.now_ms() + lifetime_ms
        with self._lock:
            self.keys[access] = KeyPair(secret, security_token, expires)
            self.temporary_issued += 1
        return access, secret, security_token, expires

    def expire_all(self) -> int:
        """Revoke every token (static ones too) and every issued temporary key so far.

        Later logins and securitykey calls work; the fixed key pairs stay. How many tokens.
        """
        now = self.clock.now_ms()
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True
            for access, key in self.keys.items():
                if key.expires_at is not None:
                    self.keys[access] = replace(key, expires_at=min(key.expires_at, now))
            return len(self._tokens)

    def check(
        self,
        method: str,
        path: str,
        query: Sequence[Tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        """Raise a 401 DevEnvError unless the request carries valid credentials.

        ``headers`` is case-insensitive (tornado's HTTPHeaders). An ``X-Auth-Token``
        takes precedence over an ``Authorization`` signature.
        """
        token = headers.get("X-Auth-Token")
        if token is not None:
            self._check_token(token)
        elif headers.get("Authorization"):
            self._check_signature(method, path, query, headers, body)
        else:
            raise _denied(
                "ModelArts.0201", "The request carries neither X-Auth-Token nor an AK/SK signature."
            )

    def _check_token(self, value: str) -> None:
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            raise _denied("ModelArts.0202", "The token is invalid.")
        if token.revoked or self.clock.now_ms() >= token.expires_at:
            raise _denied("ModelArts.0203", "The token has expired.")

    def _check_signature(
        self,
        method: str,
        path: str,
        query: Sequence[Tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
    ) -> None:
        parts = signer.parse_authorization(headers["Authorization"])
        if parts is None:
            raise _denied(
                "APIGW.0301", "Incorrect IAM authentication information: Authorization is malformed."
            )
        with self._lock:
            key = self.keys.get(parts["Access"])
        if key is None:
            raise _denied(
                "APIGW.0301", "Incorrect IAM authentication information: the access key is unknown."
            )
        names = [n for n in parts["SignedHeaders"].split(";") if n]
        if "x-sdk-date" not in names or any(headers.get(n) is None for n in names):
            raise _denied(
                "APIGW.0301",
                "Incorrect IAM authentication information: "
                "a signed header is missing, or X-Sdk-Date is not signed.",
            )
        date = headers["X-Sdk-Date"]
        try:
            sent = timegm(strptime(date, signer.DATE_FORMAT))
        except ValueError:
            raise _denied(
                "APIGW.0301", "Incorrect IAM authentication information: X-Sdk-Date is malformed."
            ) from None
        if abs(time() - sent) > MAX_SKEW_SECONDS:
            raise _denied("APIGW.0303", "X-Sdk-Date is more than 15 minutes away from the server time.")
        canonical, _ = signer.canonical_request(method, path, query, {n: headers[n] for n in names}, body)
        expected = signer.signature(key.secret_key, date, canonical)
        if not hmac.compare_digest(expected.encode(), parts["Signature"].encode()):
            raise _denied(
                "APIGW.0301", "Incorrect IAM authentication information: the signature does not match."
            )
        sent_token = headers.get("X-Security-Token")
        if key.security_token is None and sent_token is not None:
            raise _denied(
                "APIGW.0301",
                "Incorrect IAM authentication information: "
                "a security token was sent with a permanent access key.",
            )
        if key.security_token is not None and (
            "x-security-token" not in names
            or not hmac.compare_digest((sent_token or "").encode(), key.security_token.encode())
        ):
            raise _denied(
                "APIGW.0301",
                "Incorrect IAM authentication information: "
                "a temporary access key needs its signed X-Security-Token.",
            )
        if key.expires_at is not None and self.clock.now_ms() >= key.expires_at:
            raise _denied("APIGW.0307", "The token must be updated.")
