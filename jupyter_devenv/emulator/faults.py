"""Fault switches applied to ModelArts and IAM requests before they are handled.

``latency`` (seconds added to every answer) and ``error_rate`` (0..1, random 500
ModelArts.6200, reproducible with ``seed``) stay until cleared. The counted faults
answer the next N requests: ``rate_limit {"count", "retry_after"}`` (429
APIGW.0308 with Retry-After), ``unavailable`` (503), ``malformed`` (200 with a
truncated non-JSON body), ``drop`` (connection closed without an answer).
When several are armed, the first of drop, rate_limit, unavailable, malformed,
error_rate applies. ``deny`` (a list of call names, see ``permissions.IAM_ACTIONS``)
replaces the set of calls refused with 403 until changed or cleared. (``expire_tokens``
is an event, not a switch: see ``Emulator.set_faults``.)
"""

from __future__ import annotations

import random
import threading
from typing import Any, Dict, FrozenSet, Mapping, Optional

from ..modelarts.errors import DevEnvError
from .permissions import IAM_ACTIONS

COUNTED = ("drop", "rate_limit", "unavailable", "malformed")
KEYS = ("latency", "error_rate", "seed", "deny") + COUNTED


def _bad(msg: str) -> DevEnvError:
    return DevEnvError("EMULATOR.BAD_REQUEST", msg, status=400)


def _count(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(f"{name} must be a whole number >= 0.")
    return value


def _number(value: Any, name: str, high: Optional[float] = None) -> float:
    if (
        not isinstance(value, (int, float))
        or isinstance(value, bool)
        or value < 0
        or (high is not None and value > high)
    ):
        raise _bad(f"{name} must be a number >= 0" + (f" and <= {high}." if high is not None else "."))
    return float(value)


def _deny(value: Any) -> FrozenSet[str]:
    if not isinstance(value, list) or any(not isinstance(n, str) or n not in IAM_ACTIONS for n in value):
        raise _bad(f"deny must be a list of call names among {', '.join(IAM_ACTIONS)}.")
    return frozenset(value)


class Faults:
    """The armed faults; ``take()`` picks (and consumes) the fault for one request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self.latency = 0.0
            self.error_rate = 0.0
            self.retry_after = 1.0
            self.remaining = {name: 0 for name in COUNTED}
            self.denied: FrozenSet[str] = frozenset()
            self._random = random.Random(0)

    def configure(self, body: Any) -> None:
        """Merge a ``POST /_emulator/faults`` body (all checked before any is applied)."""
        if not isinstance(body, Mapping):
            raise _bad("The body must be a JSON object.")
        unknown = [k for k in body if k not in KEYS]
        if unknown:
            raise _bad(f"Unknown fault {unknown[0]}; known: {', '.join(KEYS)}.")
        changes: Dict[str, Any] = {}
        if "latency" in body:
            changes["latency"] = _number(body["latency"], "latency")
        if "error_rate" in body:
            changes["error_rate"] = _number(body["error_rate"], "error_rate", 1.0)
        if "seed" in body:
            changes["seed"] = _count(body["seed"], "seed")
        if "deny" in body:
            changes["denied"] = _deny(body["deny"])
        counts = {n: _count(body[n], n) for n in ("drop", "unavailable", "malformed") if n in body}
        if "rate_limit" in body:
            limit = body["rate_limit"]
            if not isinstance(limit, Mapping) or set(limit) - {"count", "retry_after"}:
                raise _bad('rate_limit must be {"count": N, "retry_after": seconds}.')
            counts["rate_limit"] = _count(limit.get("count", 1), "rate_limit.count")
            changes["retry_after"] = _number(limit.get("retry_after", 1), "rate_limit.retry_after")
        with self._lock:
            if "seed" in changes:
                self._random = random.Random(changes.pop("seed"))
            for key, value in changes.items():
                setattr(self, key, value)
            self.remaining.update(counts)

    def take(self) -> Optional[str]:
        """The fault for the next request, if any: one of COUNTED or ``"error"``."""
        with self._lock:
            for name in COUNTED:
                if self.remaining[name] > 0:
                    self.remaining[name] -= 1
                    return name
            if self.error_rate and self._random.random() < self.error_rate:
                return "error"
        return None

    def denies(self, call: str) -> bool:
        """Whether ``call`` (a key of ``permissions.IAM_ACTIONS``) is switched to 403."""
        with self._lock:
            return call in self.denied

    def snapshot(self) -> Dict[str, Any]:
        with self._lock:
            return {
                "latency": self.latency,
                "error_rate": self.error_rate,
                "rate_limit": {"count": self.remaining["rate_limit"], "retry_after": self.retry_after},
                "unavailable": self.remaining["unavailable"],
                "malformed": self.remaining["malformed"],
                "drop": self.remaining["drop"],
                "deny": sorted(self.denied),
            }
