"""Authentication schemes as ``httpx.Auth``: AK/SK signing, a static IAM token, IAM password login.

Each is a generator-based ``auth_flow``: ``AsyncModelArtsClient.send`` drives it (and so
would any httpx client), including the extra requests of an IAM password login.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import AsyncGenerator, Callable, Dict, Generator, Optional
from urllib.parse import parse_qsl

import httpx

from . import signer
from .answers import read_capped
from .codes import NOT_CONFIGURED, TOKEN_EXPIRED_CODES, UPSTREAM_MALFORMED
from .credential_sources import NoCredentials, iso_epoch
from .credentials import Credentials, Keyring
from .errors import DevEnvError, error_from_response

REFRESH_AHEAD = 3600.0  # renew an IAM token this many seconds before it expires


class AkSkAuth(httpx.Auth):
    """SDK-HMAC-SHA256 signing with a permanent or temporary AK/SK (plus security token).

    Signs ``Content-Type``, ``Host``, ``X-Sdk-Date``, ``X-Project-Id`` (the request's, else
    ``project_id``) and, for temporary credentials, ``X-Security-Token``, as the official
    SDK does. Given a ``keyring`` instead of keys, it takes the keyring's current
    credentials for each request, and after a 401 that says they expired it renews them
    once and signs again.
    """

    requires_request_body = True
    scheme = "aksk"

    def __init__(
        self,
        access_key: str = "",
        secret_key: str = "",
        project_id: str = "",
        security_token: str = "",
        keyring: Optional[Keyring] = None,
    ) -> None:
        self._project_id = project_id
        self.keyring = keyring or Keyring.of(Credentials(access_key, secret_key, security_token), "given")
        if security_token:
            self.scheme = "aksk+security-token"

    def __repr__(self) -> str:  # never show the keys
        return f"AkSkAuth(scheme={self.scheme!r}, source={self.keyring.source!r})"

    def sign(self, request: httpx.Request, creds: Credentials) -> None:
        to_sign: Dict[str, str] = {"Host": request.headers["Host"]}
        if "Content-Type" in request.headers:
            to_sign["Content-Type"] = request.headers["Content-Type"]
        project_id = request.headers.get("X-Project-Id") or self._project_id
        if project_id:
            to_sign["X-Project-Id"] = project_id
        if creds.security_token:
            to_sign["X-Security-Token"] = creds.security_token
        else:
            request.headers.pop("X-Security-Token", None)
        query = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
        if query:  # send exactly the query that is signed (as the SDK does): spaces as %20, sorted
            request.url = request.url.copy_with(query=signer.canonical_query(query).encode("ascii"))
        raw_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        signed = signer.sign(
            request.method,
            request.url.netloc.decode("ascii"),
            raw_path,
            query,
            to_sign,
            request.content,
            creds.access_key,
            creds.secret_key,
        )
        for name, value in signed.items():
            request.headers[name] = value

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Keys given at construction only (no renewal without an event loop)."""
        if self.keyring.current is None:
            raise RuntimeError(
                "AkSkAuth with a keyring is async only: use AsyncModelArtsClient or ModelArtsClient."
            )
        request.read()
        self.sign(request, self.keyring.current)
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        try:
            creds = await self.keyring.get()
        except NoCredentials as exc:
            raise no_credentials(str(exc)) from None
        self.sign(request, creds)
        response = yield request
        if response.status_code != 401 or not creds.temporary:
            return
        if _error_code(await read_capped(response)) not in TOKEN_EXPIRED_CODES:
            return
        try:
            creds = await self.keyring.renew(creds)
        except NoCredentials as exc:
            raise no_credentials(str(exc)) from None
        self.sign(request, creds)
        yield request


def no_credentials(tried: str) -> DevEnvError:
    return DevEnvError(
        NOT_CONFIGURED,
        f"No cloud credentials were found ({tried}). Set c.DevEnv.access_key and "
        "secret_key, HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or the SDK's credentials file; "
        "inside ModelArts, check that the instance has an agency and that metadata_endpoint "
        "is right.",
        status=503,
    )


class TokenAuth(httpx.Auth):
    """A fixed IAM token sent as ``X-Auth-Token`` (it cannot be refreshed)."""

    scheme = "token"

    def __init__(self, token: str) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "TokenAuth()"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token
        yield request


def _error_code(content: bytes) -> str:
    try:
        return str(json.loads(content).get("error_code", ""))
    except (ValueError, AttributeError):
        return ""


class IamPasswordAuth(httpx.Auth):
    """IAM password login (``POST {iam}/v3/auth/tokens``, project-scoped).

    The token is cached, renewed ``REFRESH_AHEAD`` seconds before its expiry, and renewed
    once more when an answer is a token-expiry 401. Logins are single-flight: concurrent
    calls that need a token wait for one login instead of making one each. Only the login
    answer and a 401 are read here (capped); every other answer is left to the caller.
    """

    scheme = "iam-password"

    def __init__(
        self,
        iam_endpoint: str,
        user: str,
        password: str,
        domain: str,
        project_id: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = iam_endpoint.rstrip("/") + "/v3/auth/tokens"
        self._user, self._password, self._domain = user, password, domain
        self._project_id = project_id
        self._clock = clock
        self._token: Optional[str] = None
        self._expires_at = 0.0
        self._login_lock: Optional[asyncio.Lock] = None  # made on first use, inside the client's loop
        self.logins = 0  # how many times a token was fetched (for tests and diagnostics)

    def __repr__(self) -> str:
        return f"IamPasswordAuth(user={self._user!r}, domain={self._domain!r})"

    def _login_request(self) -> httpx.Request:
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {
                            "name": self._user,
                            "password": self._password,
                            "domain": {"name": self._domain},
                        }
                    },
                },
                "scope": {"project": {"id": self._project_id}},
            }
        }
        return httpx.Request("POST", self._url, json=body)

    def _stale(self) -> bool:
        return self._token is None or self._clock() > self._expires_at - REFRESH_AHEAD

    def _take_token(self, response: httpx.Response, content: bytes) -> None:
        token = response.headers.get("X-Subject-Token")
        status = response.status_code
        if 200 <= status < 300 and not token:  # a truncated or foreign answer: retryable, like any 502
            raise DevEnvError(
                UPSTREAM_MALFORMED,
                "IAM answered the login without a token. Try again; if it persists, check iam_endpoint.",
                status=502,
            )
        if status != 201 or not token:
            err = error_from_response(status, content, response.headers.get("Retry-After"))
            if status == 429 or status >= 500:  # IAM busy or down: keep the status, so the call is retried
                raise DevEnvError(
                    err.error_code,
                    f"IAM login failed: {err.error_msg} IAM is busy or unavailable; try again in a moment.",
                    status=status,
                    retry_after=err.retry_after,
                )
            raise DevEnvError(
                err.error_code,
                f"IAM login failed: {err.error_msg} Check the IAM user, password, domain and project.",
                status=401,
            )
        self._token = token
        self._expires_at = self._clock() + 24 * 3600
        try:
            expires = json.loads(content)["token"]["expires_at"]
            self._expires_at = iso_epoch(expires)
        except (ValueError, KeyError, TypeError):
            pass
        self.logins += 1

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._login_lock is None:
            self._login_lock = asyncio.Lock()
        if self._stale():
            async with self._login_lock:
                if self._stale():  # not already renewed by the call this one waited for
                    response = yield self._login_request()
                    self._take_token(response, await read_capped(response))
        used = self._token
        request.headers["X-Auth-Token"] = used or ""
        response = yield request
        if response.status_code != 401:
            return
        if _error_code(await read_capped(response)) not in TOKEN_EXPIRED_CODES:
            return
        async with self._login_lock:
            if self._token == used:  # nobody renewed it meanwhile
                response = yield self._login_request()
                self._take_token(response, await read_capped(response))
        request.headers["X-Auth-Token"] = self._token or ""
        yield request

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError(
            "IamPasswordAuth is async only: use it with AsyncModelArtsClient or ModelArtsClient."
        )
