"""Small JSON state files, replaced atomically: a reader sees the old file or the new one, never half.

No Jupyter server imports: the CLI writes the same files.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from typing import Any


def write_json(path: str, data: Any, prefix: str = ".state-") -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, then ``os.replace`` it onto ``path``.

    Raises ``OSError`` (the caller words the error) after removing the temporary file.
    ``prefix`` names the temporary file, so a leftover says whose it was.
    """
    folder = os.path.dirname(path) or "."
    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=prefix)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise


def read_json(path: str) -> Any:
    """The file's JSON; ``FileNotFoundError``, another ``OSError`` or ``ValueError`` as they come."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
