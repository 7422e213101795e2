"""The one error type of the cloud side, and parsing of ModelArts error bodies."""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Optional

from .codes import UPSTREAM_HTTP_PREFIX


class DevEnvError(Exception):
    """An error with a ModelArts (or ``DEVENV.*``) code, a message and an HTTP status.

    ``field`` names the request field to blame, when there is one. The message never
    carries a secret: callers build it from rules and field names, not from values.
    """

    def __init__(
        self,
        error_code: str,
        error_msg: str,
        status: int = 400,
        field: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(f"{error_code}: {error_msg}")
        self.error_code = error_code
        self.error_msg = error_msg
        self.status = status
        self.field = field
        self.retry_after = retry_after

    def to_dict(self) -> Dict[str, Any]:
        """The JSON error body of the REST contract."""
        body: Dict[str, Any] = {"error_code": self.error_code, "error_msg": self.error_msg}
        if self.field:
            body["field"] = self.field
        return body

    def __repr__(self) -> str:
        return f"DevEnvError({self.error_code!r}, {self.error_msg!r}, status={self.status})"


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header given in seconds; None when absent or a date."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if not math.isfinite(seconds):  # "inf" / "nan" would overflow int() or a sleep
        return None
    return max(0.0, seconds)


def error_from_response(status: int, content: bytes, retry_after: Optional[str] = None) -> DevEnvError:
    """Build a DevEnvError from an upstream error answer.

    Accepts ``error_msg`` and ``error_message`` bodies, IAM's ``{"error": {...}}``, and bodies
    that are not JSON at all (a gateway's HTML page, a truncated answer) without failing.
    """
    code = f"{UPSTREAM_HTTP_PREFIX}{status}"
    msg = ""
    try:
        body = json.loads(content.decode("utf-8")) if content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):  # IAM: {"error": {"code", "message"}}
        body = {"error_code": body["error"].get("code"), "error_msg": body["error"].get("message")}
    if isinstance(body, dict):
        code = str(body.get("error_code") or code)
        msg = str(body.get("error_msg") or body.get("error_message") or "")
    if not msg:
        msg = f"ModelArts answered HTTP {status} without an error message."
    return DevEnvError(code, msg, status=status, retry_after=parse_retry_after(retry_after))
