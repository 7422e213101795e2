"""Which status allows which operation, and the error ModelArts gives when it does not."""

from __future__ import annotations

from typing import Iterable

from ..modelarts.errors import DevEnvError

_REFUSALS = {
    ("start", "RUNNING"): ("ModelArts.6305", "The instance is already running."),
    ("start", "STARTING"): ("ModelArts.6306", "The instance is already starting."),
    ("start", "RESTARTING"): ("ModelArts.6306", "The instance is already starting."),
    ("stop", "STOPPED"): ("ModelArts.6307", "The instance is already stopped."),
    ("stop", "STOPPING"): ("ModelArts.6308", "The instance is already stopping."),
}


def require(action: str, status: str, allowed: Iterable[str], in_progress: Iterable[str]) -> None:
    """Raise the 400 error for ``action`` unless ``status`` is one of ``allowed``.

    Already running/starting/stopped/stopping: 6305-6308; FROZEN: 6326; a status
    that is itself an operation under way: 6357; otherwise 6347 for start and 6327
    (not running) for the rest.
    """
    if status in allowed:
        return
    if (action, status) in _REFUSALS:
        code, msg = _REFUSALS[(action, status)]
    elif status == "FROZEN":
        code, msg = "ModelArts.6326", "The instance is frozen: the account is in arrears."
    elif status in in_progress:
        code, msg = "ModelArts.6357", f"Another operation is in progress: the instance is {status}."
    elif action == "start":
        code, msg = "ModelArts.6347", f"The instance cannot be started while it is {status}."
    else:
        code, msg = "ModelArts.6327", "The instance is not running."
    raise DevEnvError(code, msg, status=400)
