"""``AutoStopPanel``: the instance's auto-stop as a widget in a notebook cell.

The view (in the jupyter-devenv labextension) renders from the page's countdown model
and calls the REST API itself, so it works while the kernel runs a long cell. The
kernel side mirrors the last known state in traits and offers the same actions as
methods, through the server extension with the kernel token.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import ipywidgets as widgets
from traitlets import Bool, Int, Unicode

from .. import __version__
from ..connection import Connection, connect
from ..modelarts.codes import INCORRECT_PROPERTY
from ..modelarts.errors import DevEnvError
from ..modelarts.models import validate_duration

MODULE = "jupyter-devenv"
MODULE_VERSION = f"^{__version__}"
NEEDS_EXTENSION = (
    "This auto-stop panel needs the jupyter-devenv JupyterLab extension: "
    "pip install jupyter-devenv, then reload the page."
)


class AutoStopPanel(widgets.DOMWidget):
    """Countdown, extend, turn off/on, remind me and description for the current instance."""

    _model_name = Unicode("AutoStopPanelModel").tag(sync=True)
    _model_module = Unicode(MODULE).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)
    _view_name = Unicode("AutoStopPanelView").tag(sync=True)
    _view_module = Unicode(MODULE).tag(sync=True)
    _view_module_version = Unicode(MODULE_VERSION).tag(sync=True)

    instance_id = Unicode("", help="Instance id (never a secret).").tag(sync=True)
    name = Unicode("").tag(sync=True)
    status = Unicode("").tag(sync=True)
    flavor = Unicode("").tag(sync=True)
    backend = Unicode("").tag(sync=True)
    description = Unicode("").tag(sync=True)
    enable = Bool(False).tag(sync=True)
    prompt = Bool(True).tag(sync=True)
    duration = Int(None, allow_none=True).tag(sync=True)
    stop_timestamp = Int(None, allow_none=True, help="ms since the epoch, as the API gave it").tag(sync=True)
    remain_time = Int(None, allow_none=True, help="seconds left when last read").tag(sync=True)
    can_extend = Bool(False).tag(sync=True)
    error = Unicode("", help="The last error, with its code and what to do next.").tag(sync=True)

    def __init__(self, connection: Optional[Connection] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connection = connection
        try:
            self.refresh()
        except DevEnvError as exc:  # shown in the panel; the methods raise
            self.error = f"{exc.error_code}: {exc.error_msg}"

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            self._connection = connect()
        return self._connection

    def _apply(self, state: Dict[str, Any]) -> Dict[str, Any]:
        inst, auto = state.get("instance", {}), state.get("auto_stop", {})
        with self.hold_sync():
            self.instance_id = str(inst.get("id", ""))
            self.name = str(inst.get("name", ""))
            self.status = str(inst.get("status", ""))
            self.flavor = str(inst.get("flavor", ""))
            self.description = str(inst.get("description", "") or "")
            self.backend = str(state.get("backend", ""))
            self.enable = bool(auto.get("enable"))
            self.prompt = bool(auto.get("prompt", True))
            self.duration = auto.get("duration")
            self.stop_timestamp = auto.get("stop_timestamp")
            self.remain_time = auto.get("remain_time")
            self.can_extend = bool(auto.get("can_extend"))
            self.error = ""
        return state

    def _do(self, call: Any) -> Dict[str, Any]:
        try:
            return self._apply(call())
        except DevEnvError as exc:
            self.error = f"{exc.error_code}: {exc.error_msg}"
            raise

    def refresh(self) -> Dict[str, Any]:
        """Read the instance again; returns the ``State``."""
        return self._do(lambda: self.connection.get())

    def disable(self) -> Dict[str, Any]:
        """Turn auto-stop off."""
        return self._do(lambda: self.connection.disable())

    def enable_auto_stop(self, duration: int = 3600) -> Dict[str, Any]:
        """Turn auto-stop on with ``duration`` seconds (3600..86400).

        On the old (demanager) API a running instance keeps its current deadline: the
        duration applies from the next start.
        """
        duration = validate_duration(duration)
        return self._do(lambda: self.connection.enable(duration))

    def extend(self, hours: float = 1) -> Dict[str, Any]:
        """Move the stop to ``hours`` from now (1-72), where the API can (notebooks)."""
        seconds = hours * 3600
        if isinstance(hours, bool) or not float(seconds).is_integer():
            raise DevEnvError(
                INCORRECT_PROPERTY,
                "hours must be a whole number of seconds' worth, e.g. 1, 2 or 1.5.",
                field="hours",
            )
        return self._do(lambda: self.connection.extend(int(seconds)))

    def set_prompt(self, prompt: bool) -> Dict[str, Any]:
        """Whether to be reminded before the stop."""
        return self._do(lambda: self.connection.set_prompt(prompt))

    def set_description(self, description: str) -> Dict[str, Any]:
        """Change the description (at most 512 characters, none of & < > \" ' /)."""
        return self._do(lambda: self.connection.set_description(description))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/plain"] = NEEDS_EXTENSION
            bundle["text/html"] = f"<p>{NEEDS_EXTENSION}</p>"
        return bundle
