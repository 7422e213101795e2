"""Fault switches applied to ModelArts and IAM requests before they are handled.

``latency`` (seconds added to every answer) and ``error_rate`` (0..1, random 500
ModelArts.6200, reproducible with ``seed``) stay until cleared. The counted faults
answer the next N requests: ``rate_limit {"count", "retry_after"}`` (429
APIGW.0308 with Retry-After), ``unavailable`` (503), ``malformed`` (200 with a
truncated non-JSON body), ``drop`` (connection closed without an answer).
When several are armed, the first of drop, rate_limit, unavailable, malformed,
error_rate applies. (``expire_tokens`` is an event, not a switch: see ``Emulator.set_faults``.)
"""
from __future__ import annotations

import random
import threading
from typing import Any, Dict, Mapping, Optional

from ..modelarts.errors import DevEnvError

COUNTED = ("drop", "rate_limit", "unavailable", "malformed")
KEYS = ("latency", "error_rate", "seed") + COUNTED


def _bad(msg: str) -> DevEnvError:
    return DevEnvError("EMULATOR.BAD_REQUEST", msg, status=400)


def _count(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _bad(f"{name} must be a whole number >= 0.")
    return value


def _number(value: Any, name: str, high: Optional[float] = None) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 or \
            (high is not None and value > high):
        raise _bad(f"{name} must be a number >= 0" + (f" and <= {high}." if high is not None else "."))
    return float(value)


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

    def snapshot(self) -> Dict[str, Any]:
        with self._lock:
            return {
                "latency": self.latency,
                "error_rate": self.error_rate,
                "rate_limit": {"count": self.remaining["rate_limit"], "retry_after": self.retry_after},
                "unavailable": self.remaining["unavailable"],
                "malformed": self.remaining["malformed"],
                "drop": self.remaining["drop"],
            }
