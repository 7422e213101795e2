"""Where AK/SK credentials come from, after configuration and the environment: the official
SDK's credentials file, ``modelarts.session.Session()`` and the metadata service.

Each source is a ``fetch`` (a coroutine giving ``Credentials``) that can be called again
to renew temporary credentials, and each says in plain words why it has none
(``NoCredentials``), so a user is told what was tried.
"""

from __future__ import annotations

import configparser
import os
from datetime import datetime
from typing import Any, List, Optional, Tuple

import httpx

from .credentials import Credentials, Fetch

FILE_ENV = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
FILE_DEFAULT = os.path.join("~", ".huaweicloud", "credentials")
METADATA_TOKEN_PATH = "/meta-data/latest/api/token"
METADATA_KEY_PATH = "/openstack/latest/securitykey"
METADATA_TTL = "21600"  # seconds a metadata token is asked for, as the SDK does
METADATA_TIMEOUT = 3.0  # off an instance nothing answers at the metadata address: give up soon


class NoCredentials(Exception):
    """A source that has no credentials to give; the message says why, never a value."""


def credentials_file_path() -> str:
    return os.path.expanduser(os.environ.get(FILE_ENV) or FILE_DEFAULT)


def read_credentials_file(path: str) -> configparser.SectionProxy:
    """The ``basic`` section of the SDK's INI credentials file."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except FileNotFoundError:
        raise NoCredentials(f"no credentials file at {path}") from None
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        raise NoCredentials(f"the credentials file {path} cannot be read ({type(exc).__name__})") from None
    if not parser.has_section("basic"):
        raise NoCredentials(f"the credentials file {path} has no [basic] section")
    return parser["basic"]


def file_fetch(path: str) -> Fetch:
    """The file's ``ak``, ``sk`` and ``security_token``, read again at each fetch."""

    async def fetch() -> Credentials:
        basic = read_credentials_file(path)
        ak, sk = basic.get("ak", "").strip(), basic.get("sk", "").strip()
        if not (ak and sk):
            raise NoCredentials(f"the credentials file {path} has no ak and sk in [basic]")
        return Credentials(ak, sk, basic.get("security_token", "").strip())

    return fetch


def modelarts_session() -> Any:
    """``modelarts.session.Session()``, or NoCredentials when the ModelArts SDK is not here."""
    try:
        from modelarts.session import Session  # type: ignore[import-not-found]
    except ImportError:
        raise NoCredentials("the ModelArts SDK (modelarts.session) is not installed") from None
    try:
        return Session()
    except Exception as exc:  # the SDK's own failure outside ModelArts
        raise NoCredentials(f"modelarts.session.Session() failed ({type(exc).__name__})") from None


async def session_fetch() -> Credentials:
    session = modelarts_session()
    ak, sk = getattr(session, "access_key", None), getattr(session, "secret_key", None)
    if not (ak and sk):
        raise NoCredentials("modelarts.session.Session() has no access_key and secret_key")
    return Credentials(str(ak), str(sk), str(getattr(session, "security_token", None) or ""))


def iso_epoch(text: str) -> float:
    """Epoch seconds of an ISO-8601 time such as ``2026-11-30T12:00:00.000000Z``."""
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")).timestamp()


def metadata_fetch(base_url: str) -> Fetch:
    """Temporary credentials from the metadata service at ``base_url`` (token step optional)."""
    base = base_url.rstrip("/")

    async def fetch() -> Credentials:
        async with httpx.AsyncClient(timeout=METADATA_TIMEOUT, trust_env=True) as http:
            try:
                headers = {}
                token = await http.put(
                    base + METADATA_TOKEN_PATH, headers={"X-Metadata-Token-Ttl-Seconds": METADATA_TTL}
                )
                if token.status_code == 200 and token.text.strip():
                    headers["X-Metadata-Token"] = token.text.strip()
                answer = await http.get(base + METADATA_KEY_PATH, headers=headers)
            except httpx.HTTPError as exc:
                raise NoCredentials(
                    f"the metadata service at {base} did not answer ({type(exc).__name__})"
                ) from None
        return parse_securitykey(answer, base)

    return fetch


def parse_securitykey(answer: httpx.Response, base: str) -> Credentials:
    if answer.status_code != 200:
        raise NoCredentials(f"the metadata service at {base} answered HTTP {answer.status_code}")
    try:
        credential = answer.json()["credential"]
        expires: Optional[float] = (
            iso_epoch(credential["expires_at"]) if credential.get("expires_at") else None
        )
        return Credentials(
            str(credential["access"]),
            str(credential["secret"]),
            str(credential.get("securitytoken") or ""),
            expires,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise NoCredentials(f"the metadata service at {base} answered without a usable credential") from None


class Chain:
    """A fetch that tries ``sources`` (name, fetch) in order and keeps to the first that gives.

    ``source`` names it once found; until then, and when none gives, ``NoCredentials``
    says what each source lacked.
    """

    def __init__(self, sources: List[Tuple[str, Fetch]]) -> None:
        self._sources = sources
        self.source: Optional[str] = None
        self._found: Optional[Fetch] = None

    async def __call__(self) -> Credentials:
        if self._found is not None:
            return await self._found()
        reasons = []
        for name, fetch in self._sources:
            try:
                creds = await fetch()
            except NoCredentials as exc:
                reasons.append(str(exc))
                continue
            self.source, self._found = name, fetch
            return creds
        raise NoCredentials("; ".join(reasons) or "no source to try")
