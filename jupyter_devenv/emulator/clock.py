"""The emulator's clock: real time plus an offset that tests and the demo can advance."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    """``now_ms()`` is the wall clock plus every ``advance()`` made so far."""

    def __init__(self, offset_seconds: float = 0.0) -> None:
        self._offset_ms = int(offset_seconds * 1000)
        self._lock = threading.Lock()

    def now_ms(self) -> int:
        with self._lock:
            return int(time.time() * 1000) + self._offset_ms

    def advance(self, seconds: float) -> int:
        """Move the clock forward; returns the new time in ms."""
        with self._lock:
            self._offset_ms += int(seconds * 1000)
        return self.now_ms()


def iso8601(ms: int) -> str:
    """``2020-07-16T08:23:28.723000Z``, the form IAM gives ``expires_at`` in."""
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
