"""The ``%devenv`` line magic: display the auto-stop panel."""
from __future__ import annotations

from typing import Any


def register(ipython: Any) -> None:
    def devenv(line: str = "") -> Any:
        """Show the auto-stop panel of this instance."""
        from .widget import AutoStopPanel

        return AutoStopPanel()

    ipython.register_magic_function(devenv, magic_kind="line", magic_name="devenv")
