"""The ``prompt`` preference for instances whose API has no such field (the notebooks API)."""

from __future__ import annotations

from typing import Dict

from ..modelarts.codes import STATE_NOT_SAVED
from ..modelarts.errors import DevEnvError
from .state_files import read_json, write_json


class PromptStore:
    """Per-instance ``prompt`` flags in a small JSON file, so they survive a server restart."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._flags: Dict[str, bool] = {}
        try:
            data = read_json(path)
            self._flags = {str(k): bool(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self._flags = {}

    def get(self, instance_id: str) -> bool:
        return self._flags.get(instance_id, True)

    def set(self, instance_id: str, value: bool) -> None:
        """Write the file first; memory changes only once the file holds the new value."""
        flags = {**self._flags, instance_id: bool(value)}
        self._write(flags)
        self._flags = flags

    def _write(self, flags: Dict[str, bool]) -> None:
        """Replace the file atomically (a temporary file, then ``os.replace``); on failure none is left."""
        try:
            write_json(self.path, flags, prefix=".prompts-")
        except OSError as exc:
            raise DevEnvError(
                STATE_NOT_SAVED,
                f"The prompt preference could not be saved to {self.path}: "
                f"{exc.strerror or type(exc).__name__}. Make the Jupyter data directory "
                "writable, or set JUPYTER_DATA_DIR (or c.DevEnvApp.state_file) to a writable "
                "place, and try again.",
                status=500,
            ) from None
