"""The ``prompt`` preference for instances whose API has no such field (the notebooks API)."""
from __future__ import annotations

import json
import os
import tempfile
from typing import Dict


class PromptStore:
    """Per-instance ``prompt`` flags in a small JSON file, so they survive a server restart."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._flags: Dict[str, bool] = {}
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            self._flags = {str(k): bool(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self._flags = {}

    def get(self, instance_id: str) -> bool:
        return self._flags.get(instance_id, True)

    def set(self, instance_id: str, value: bool) -> None:
        self._flags[instance_id] = bool(value)
        folder = os.path.dirname(self.path) or "."
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".prompts-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self._flags, f)
        os.replace(tmp, self.path)
