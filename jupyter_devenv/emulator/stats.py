"""Counts of the ModelArts and IAM requests received, by ``METHOD path``."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any, Dict


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests: Counter = Counter()
            self._rejected = 0

    def received(self, method: str, path: str) -> None:
        with self._lock:
            self._requests[f"{method} {path}"] += 1

    def rejected(self) -> None:
        with self._lock:
            self._rejected += 1

    def snapshot(self) -> Dict[str, Any]:
        """``{"total", "rejected", "requests": {"METHOD path": n}}``."""
        with self._lock:
            return {
                "total": sum(self._requests.values()),
                "rejected": self._rejected,
                "requests": dict(self._requests),
            }
