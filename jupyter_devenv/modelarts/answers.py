"""Upstream answers: read with a size cap, decoded into an ``Answer`` or a ``DevEnvError``.

Everything ModelArts and IAM answer on success is a JSON object of a few KB. Anything
else (a list, ``null``, a string, ``NaN``, a body that inflates past ``MAX_ANSWER``) is
not an answer the product can show: it becomes 502 ``DEVENV.UPSTREAM_MALFORMED``, so a
proxy never answers 500 for it and the service never caches it.
"""

from __future__ import annotations

import json
import time
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple, Optional

import httpx

from .codes import UPSTREAM_MALFORMED
from .errors import DevEnvError, error_from_response

MAX_ANSWER = 1024 * 1024  # decoded bytes; a ListNotebooks page of 100 instances is well under this
BODY = "jupyter_devenv.body"  # where read_capped keeps a body it read
EMULATOR = "jupyter-devenv"  # the X-Emulator header of this project's emulator


class Answer(NamedTuple):
    """A decoded answer, the upstream clock (ms) when it was given, and whether the emulator gave it."""

    data: Any
    server_time: int
    emulated: bool = False


def malformed(what: str) -> DevEnvError:
    return DevEnvError(
        UPSTREAM_MALFORMED,
        f"ModelArts answered with {what}. Try again; if it persists, "
        "the endpoint may not be a ModelArts API (check the endpoint setting) or a proxy may "
        "be in between.",
        status=502,
    )


def http_date_ms(value: Optional[str]) -> Optional[int]:
    """Milliseconds of an HTTP ``Date`` header, at the middle of its one-second resolution."""
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp() * 1000) + 500
    except (TypeError, ValueError):
        return None


async def read_capped(response: httpx.Response, cap: int = MAX_ANSWER) -> bytes:
    """The decoded body of a streamed ``response``, refused once it passes ``cap`` bytes.

    The cap applies after ``Content-Encoding`` is undone, so a small gzip bomb stops at
    the cap instead of filling memory; reading stops there and the connection is closed.
    The body is kept in ``response.extensions``, so an auth flow and the client can both
    read one answer.
    """
    if BODY in response.extensions:
        return response.extensions[BODY]
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > cap:
            await response.aclose()
            raise malformed(f"more than {cap // 1024} KiB of data")
    response.extensions[BODY] = bytes(body)
    return response.extensions[BODY]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_answer(response: httpx.Response) -> Answer:
    """``decode_body`` of a response whose body is read."""
    return decode_body(response.status_code, response.content, response.headers)


def decode_body(status: int, content: bytes, headers: httpx.Headers) -> Answer:
    """An Answer for a 2xx answer that is a JSON object (an empty body is ``{}``); raise otherwise."""
    now = http_date_ms(headers.get("Date")) or int(time.time() * 1000)
    emulated = headers.get("X-Emulator") == EMULATOR
    if status >= 300:
        raise error_from_response(status, content, headers.get("Retry-After"))
    if not content:
        return Answer({}, now, emulated)
    try:
        data = json.loads(content, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise malformed("a body that is not JSON") from None
    if not isinstance(data, dict):
        raise malformed(f"JSON {type(data).__name__} where an object was expected")
    return Answer(data, now, emulated)
