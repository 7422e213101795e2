"""What ``jupyter devenv`` says: a State in plain lines, errors in a data scientist's words, and the
checks of what a user typed, answered with what they typed.

Local checks name no ModelArts code (the code stays in ``--json`` and the REST answers);
an error ModelArts gave keeps its code at the end, for a bug report.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any, Dict

from .modelarts.durations import format_hms, parse_duration_text, spoken
from .modelarts.errors import DevEnvError
from .modelarts.models import (
    DURATION_MAX,
    DURATION_MIN,
    DURATION_OUT_OF_RANGE,
    INCORRECT_PROPERTY,
    LEASE_MAX,
    LEASE_MIN,
)

API_NAMES = {"demanager": "ModelArts notebook (older API)", "notebooks": "ModelArts notebook (current API)"}
PHASE_WORDS = {
    "running": "running",
    "starting": "starting: wait until it runs",
    "stopping": "stopping",
    "saving": "saving an image: wait until it is done",
    "stopped": "stopped",
    "failed": "failed ({status}): see the instance in the ModelArts console",
    "frozen": "frozen: the account is frozen (in arrears); top it up in the Huawei Cloud console",
    "deleted": "deleted",
    "unknown": "{status}",
}
OFF_WORDS = "off: the instance keeps running, and billing, until you stop it"
FREE_WORDS = "Free instance: it stops after an hour, and is deleted if not started again within 72 h."


def _stop_words(state: Dict[str, Any]) -> str:
    auto = state["auto_stop"]
    kind = auto.get("kind")
    if kind == "off":
        return OFF_WORDS
    if kind == "idle":
        return "stops when idle (after a while of low use), not at a set time"
    if kind == "unknown":
        return "on, but ModelArts did not say when it stops: try again in a moment"
    if kind == "countdown":
        at = datetime.fromtimestamp(auto["stop_timestamp"] / 1000).strftime("%Y-%m-%d %H:%M:%S")
        return f"stops in {format_hms(auto.get('remain_time'))} (at {at} local time)"
    return f"on, {spoken(auto['duration'])} from the next start" if auto.get("duration") else "on"


def summary(state: Dict[str, Any]) -> str:
    """A few human lines for a ``State``: which instance, its status, and when it stops."""
    inst = state.get("instance", {})
    status = PHASE_WORDS.get(state.get("phase", "unknown"), "{status}").format(status=inst.get("status", "?"))
    lines = [
        f"Instance     {inst.get('name', '?')} ({inst.get('id', '?')})",
        f"Kind         {API_NAMES.get(state.get('backend', ''), state.get('backend'))}",
        f"Status       {status}",
        f"Auto-stop    {_stop_words(state)}",
    ]
    if state["auto_stop"].get("enable"):
        lines.append(f"Reminders    {'on' if state['auto_stop'].get('prompt') else 'off'}")
    if inst.get("description"):
        lines.append(f"Description  {inst['description']}")
    if state.get("free"):
        lines.append(FREE_WORDS)
    return "\n".join(lines)


def typed_duration(text: str, low: int, high: int) -> int:
    """Seconds of ``text``, or an error in terms of what was typed (``30m is too short: ...``)."""
    seconds = parse_duration_text(text)
    if not low <= seconds <= high:
        word = "short" if seconds < low else "long"
        raise DevEnvError(
            DURATION_OUT_OF_RANGE,
            f"{text.strip()} is too {word}: the duration must be between {spoken(low)} and {spoken(high)}.",
            field="duration",
        )
    return seconds


def update_duration(text: str) -> int:
    return typed_duration(text, DURATION_MIN, DURATION_MAX)


def extend_duration(text: str) -> int:
    return typed_duration(text, LEASE_MIN, LEASE_MAX)


def nothing_to_change() -> DevEnvError:
    return DevEnvError(
        INCORRECT_PROPERTY,
        "Nothing to change: give --description, --enable or --disable, "
        "--duration, or --prompt or --no-prompt.",
        field="body",
    )


def report(error: DevEnvError, local: bool, as_json: bool) -> None:
    """Print ``error`` on stderr: JSON with its code, else words (ModelArts' own code kept at the end)."""
    if as_json:
        print(json.dumps(error.to_dict()), file=sys.stderr)
        return
    own = local or error.error_code.startswith(("DEVENV.", "EMULATOR."))
    code = "" if own else f" ({error.error_code})"
    print(f"error: {error.error_msg}{code}", file=sys.stderr)
