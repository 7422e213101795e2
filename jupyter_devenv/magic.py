"""The ``%devenv`` line magic: the auto-stop panel, and holds.

%devenv                     the panel
%devenv hold 6h [reason]    keep this instance running for at most 6 h (a hold tied to this kernel)
%devenv release             end the holds made with %devenv hold in this kernel
"""

from __future__ import annotations

import time
from typing import Any, List

from .modelarts.codes import BAD_MAGIC
from .modelarts.durations import parse_duration_text, spoken
from .modelarts.errors import DevEnvError

USAGE = "Use %devenv (the panel), %devenv hold 6h [reason] or %devenv release."
_held: List[str] = []  # ids of the holds %devenv hold made in this kernel


def _hold(args: List[str]) -> str:
    from .keep_alive import hold

    if not args:
        raise DevEnvError(
            BAD_MAGIC,
            "%devenv hold needs a duration, e.g. %devenv hold 6h training (at most 72h).",
            field="duration",
        )
    seconds = parse_duration_text(args[0])
    made = hold(seconds / 3600, " ".join(args[1:]) or "%devenv hold")
    _held.append(made["id"])
    until = time.strftime("%H:%M UTC", time.gmtime(made["ends_at"] / 1000))
    words = (
        f"Holding this instance running for at most {spoken(seconds)} (until {until}): "
        f"{made['reason']}. It ends with this kernel or with %devenv release."
    )
    return words + (f"\n{made['note']}" if made.get("note") else "")


def _release() -> str:
    from .keep_alive import release

    if not _held:
        return "No hold made with %devenv hold in this kernel is active."
    count = len(_held)
    while _held:
        release(_held[-1])
        _held.pop()
    return f"Released {count} hold(s) made with %devenv hold: without other holds, auto-stop applies again."


def register(ipython: Any) -> None:
    def devenv(line: str = "") -> Any:
        """Show the auto-stop panel, or ``hold 6h [reason]`` / ``release`` a hold on this instance."""
        args = line.split()
        if not args:
            from .widget import AutoStopPanel

            return AutoStopPanel()
        if args[0] == "hold":
            print(_hold(args[1:]))
        elif args[0] == "release" and len(args) == 1:
            print(_release())
        else:
            raise DevEnvError(BAD_MAGIC, f"%devenv {line.strip()[:40]} is not known. {USAGE}", field="line")
        return None

    ipython.register_magic_function(devenv, magic_kind="line", magic_name="devenv")
