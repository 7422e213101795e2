"""Durations as people write and read them: ``2h``, ``90m``, ``1h30m`` or ``7200`` in; ``1 h 30 min`` or
``H:MM:SS`` out. Shared by the CLI, the kernel API and the server's messages.
"""

from __future__ import annotations

import re
from typing import Optional

from .codes import INCORRECT_PROPERTY
from .errors import DevEnvError

_TEXT = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.IGNORECASE | re.ASCII)


def parse_duration_text(text: str, field: str = "duration") -> int:
    """Seconds of ``"2h"``, ``"90m"``, ``"1h30m"`` or ``"7200"``."""
    text = str(text).strip()
    if text.isascii() and text.isdigit():  # not "²" (int() fails) nor other scripts' digits
        return int(text)
    m = _TEXT.match(text)
    if not text or not m or not any(m.groups()):
        raise DevEnvError(
            INCORRECT_PROPERTY,
            f"{text!r} is not a duration: write it like 2h, 90m, 1h30m or 7200 (seconds).",
            field=field,
        )
    h, mi, s = (int(g or 0) for g in m.groups())
    return h * 3600 + mi * 60 + s


def format_hms(seconds: Optional[float]) -> str:
    """``H:MM:SS`` for a number of seconds (negative shown as 0:00:00)."""
    if seconds is None:
        return "--:--:--"
    s = max(0, int(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def spoken(seconds: float) -> str:
    """``1 h 30 min``, ``45 min``, ``20 s``: a span in words, to the nearest minute from a minute up."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    hours, minutes = divmod(int(round(s / 60)), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not minutes else f"{hours} h {minutes} min"
