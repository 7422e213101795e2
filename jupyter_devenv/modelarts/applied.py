"""Was a write applied? Checks on a fresh read, for a write whose answer never came.

A PUT or a lease renewal that timed out may or may not have reached ModelArts. Sending
it again blindly applies it twice (a renewal counts from now, so twice is not the same
as once); the client reads the instance first and re-sends only when these say no.
"""

from __future__ import annotations

from typing import Any, Mapping

SLACK_MS = 1500  # the Date header has 1 s resolution (taken at mid-second), plus clock steps


def update_applied(instance: Mapping[str, Any], body: Mapping[str, Any]) -> bool:
    """True when every field of a demanager update ``body`` already holds in ``instance``."""
    if "description" in body and instance.get("description") != body["description"]:
        return False
    wanted = body.get("spec", {}).get("auto_stop", {})
    have = (instance.get("spec") or {}).get("auto_stop") or {}
    return all(have.get(name) == value for name, value in wanted.items())


def renewal_applied(instance: Mapping[str, Any], seconds: int, sent_ms: int, read_ms: int) -> bool:
    """True when the lease ends ``seconds`` after some moment between sending and reading.

    ``sent_ms`` and ``read_ms`` are upstream-clock times of the renewal's send and of the
    read that ``instance`` comes from. A renewal ends the lease ``seconds`` from when it
    was applied, which lies between the two.
    """
    lease = instance.get("lease") or {}
    try:
        end = int(lease["create_at"]) + int(lease["duration"])
    except (KeyError, TypeError, ValueError):
        return False
    return sent_ms + seconds * 1000 - SLACK_MS <= end <= read_ms + seconds * 1000 + SLACK_MS
