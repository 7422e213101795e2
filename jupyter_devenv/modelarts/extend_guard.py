"""An extension that would end the lease earlier than it ends now is refused unless asked for.

A renewal counts from now: "Extend 1 h" on an instance with 3 h left moves the stop 2 h
earlier. The server, the kernel API and the CLI all ask first (``allow_earlier``).
"""

from __future__ import annotations

from typing import Any, Mapping

from .codes import EXTEND_EARLIER
from .durations import spoken
from .errors import DevEnvError

SLACK_MS = 60_000  # renewing to about the same stop is not a surprise


def refuse_earlier(state: Mapping[str, Any], seconds: int, allow_earlier: bool) -> None:
    """Raise 409 ``DEVENV.EXTEND_EARLIER`` when ``seconds`` from now ends before the current stop."""
    stop = state["auto_stop"].get("stop_timestamp")
    if allow_earlier or stop is None:
        return
    left_ms = int(stop) - int(state["server_time"])
    if seconds * 1000 >= left_ms - SLACK_MS:
        return
    raise DevEnvError(
        EXTEND_EARLIER,
        f"Extending by {spoken(seconds)} counts from now, so the instance would "
        f"stop in {spoken(seconds)} instead of in {spoken(left_ms / 1000)}: earlier, not later. "
        "Choose a longer time, or confirm that it should stop earlier (allow_earlier, "
        "or --allow-earlier).",
        status=409,
        field="seconds",
    )
