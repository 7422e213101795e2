"""``keep_alive``: keep this instance running while a block or a function runs, from a notebook.

    from jupyter_devenv import keep_alive

    with keep_alive(hours=6, reason="training"):
        train()

    @keep_alive(hours=6, reason="training")
    def train(): ...

It makes a hold (``POST devenv/api/holds``) through the Jupyter server, with the kernel
token the server gives its kernels, and releases it on the way out (an exception
included). The hold is tied to this kernel: its id is read from the kernel's connection
file (``kernel-<id>.json``), so the hold also ends when the kernel is shut down or dies,
and at the latest after ``hours``. The server keeps the instance running meanwhile: no
page needs to be open. Outside a kernel of such a server there is no one to keep it.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from typing import Any, Dict, Optional

from .kernel_access import TOKEN_ENV, URL_ENV
from .modelarts.codes import HOLD_NOT_FOUND, HOLDS_NEED_SERVER
from .modelarts.durations import spoken
from .modelarts.errors import DevEnvError

_KERNEL_FILE = re.compile(r"^kernel-(.+)\.json$")


def kernel_id() -> Optional[str]:
    """This kernel's id, from its connection file's name; None outside an IPython kernel."""
    try:
        from ipykernel import get_connection_file

        name = os.path.basename(get_connection_file())
    except Exception:  # not in a kernel (no ipykernel, or no kernel app running)
        return None
    found = _KERNEL_FILE.match(name)
    return found.group(1) if found else None


def _server() -> Any:
    """A connection to the Jupyter server's REST API, or the error saying holds need one."""
    url, token = os.environ.get(URL_ENV), os.environ.get(TOKEN_ENV)
    if not (url and token):
        raise DevEnvError(
            HOLDS_NEED_SERVER,
            "Holds need the Jupyter server: it keeps the instance running, "
            "and this process was not started by a Jupyter server with jupyter-devenv "
            f"({URL_ENV} and {TOKEN_ENV} are not set). Run this in a notebook of that server; "
            "elsewhere, extend the lease (`jupyter devenv extend`) or turn auto-stop off.",
            status=503,
        )
    from .connection import ProxyConnection

    return ProxyConnection(url, token)


def hold(hours: float, reason: str) -> Dict[str, Any]:
    """Make a hold tied to this kernel; the hold as the server answers it (``id``, ``ends_at``...)."""
    body: Dict[str, Any] = {"reason": reason, "max_seconds": int(round(hours * 3600))}
    found = kernel_id()
    if found:
        body["kernel_id"] = found
    from .server.holds import validate_hold_body

    validate_hold_body(body)  # nothing invalid is sent
    server = _server()
    try:
        return server.hold(body)
    finally:
        server.close()


def release(hold_id: str) -> None:
    """End a hold; one that has ended already is not an error."""
    server = _server()
    try:
        server.release(hold_id)
    except DevEnvError as error:
        if error.error_code != HOLD_NOT_FOUND:
            raise
    finally:
        server.close()


class keep_alive(contextlib.ContextDecorator):
    """Keep the instance running for at most ``hours`` while the block (or decorated function) runs."""

    def __init__(self, hours: float = 6, reason: str = "keep_alive") -> None:
        self.hours, self.reason = hours, reason
        self.hold: Optional[Dict[str, Any]] = None

    def __enter__(self) -> "keep_alive":
        self.hold = hold(self.hours, self.reason)
        if self.hold.get("note"):
            warnings.warn(f"jupyter-devenv: {self.hold['note']}", stacklevel=2)
        return self

    def __exit__(self, *exc: Any) -> bool:
        made, self.hold = self.hold, None
        if made is None:
            return False
        try:
            release(made["id"])
        except DevEnvError as error:  # never hide the block's own exception; the hold ends by itself
            warnings.warn(
                f"jupyter-devenv: the hold could not be released ({error.error_msg}); it ends by "
                f"itself within {spoken(self.hours * 3600)} of its start.",
                stacklevel=2,
            )
        return False
