"""The front end's translations: ``jupyter_devenv/locale/<locale>/LC_MESSAGES/jupyter_devenv.json``.

The same files JupyterLab merges into an installed language pack (the ``jupyterlab.locale``
entry point), served on their own for pages without one. A UI language maps to a locale
folder by its exact name (case and ``-``/``_`` ignored), else to the first folder of the same
language: ``zh``, ``zh-CN``, ``zh_cn``, ``zh-Hans`` and ``zh-TW`` all get ``zh_CN``, the one
Chinese table (Simplified), as the front end has always shown every ``zh*`` language.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

DOMAIN = "jupyter_devenv"
LOCALE_DIR = Path(__file__).parents[1] / "locale"

# A language tag or POSIX locale name; nothing else (no dots, slashes, spaces) gets near a path.
_LOCALE_NAME = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")


def _key(name: str) -> str:
    return name.replace("-", "_").lower()


@lru_cache(maxsize=None)
def available() -> Dict[str, Path]:
    """Normalised locale name → its JSON file, for every locale folder that has one."""
    files = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.json"))
    return {_key(path.parents[1].name): path for path in files}


def resolve(locale: str) -> Optional[str]:
    """The normalised locale whose table serves the UI language ``locale``; None if there is none."""
    if not _LOCALE_NAME.fullmatch(locale):
        return None
    key = _key(locale)
    if key in available():
        return key
    language = key.split("_", 1)[0]
    return next((name for name in available() if name.split("_", 1)[0] == language), None)


@lru_cache(maxsize=None)
def table(name: str) -> bytes:
    """The JSON file of a locale ``resolve`` returned, read once."""
    return available()[name].read_bytes()


def names() -> str:
    """The folder names of the available locales, for messages: ``zh_CN``."""
    return ", ".join(path.parents[1].name for path in available().values()) or "none"
