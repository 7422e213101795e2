"""The metadata service's session tokens (``PUT /meta-data/latest/api/token``), on the emulator clock."""

from __future__ import annotations

import secrets
import threading
from typing import Dict

from .clock import Clock

TOKEN_TTL_MAX = 21600  # seconds


class MetadataTokens:
    """Issues tokens valid for a TTL of 1..21600 s and tells whether one is still valid."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._expiry: Dict[str, int] = {}
        self._lock = threading.Lock()

    @property
    def issued(self) -> int:
        with self._lock:
            return len(self._expiry)

    def issue(self, ttl_seconds: int) -> str:
        value = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[value] = self.clock.now_ms() + ttl_seconds * 1000
        return value

    def valid(self, value: str) -> bool:
        with self._lock:
            expires = self._expiry.get(value)
        return expires is not None and self.clock.now_ms() < expires
