"""jupyter-devenv: a ModelArts notebook instance's auto-stop, in view and under control."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name):
    """``AutoStopPanel`` is imported on first use: ``import jupyter_devenv`` stays light."""
    if name == "AutoStopPanel":
        from .widget import AutoStopPanel

        return AutoStopPanel
    raise AttributeError(name)


def load_ipython_extension(ipython):
    """``%load_ext jupyter_devenv`` adds the ``%devenv`` line magic (shows the panel)."""
    from .magic import register

    register(ipython)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyter-devenv"}]


def _jupyter_server_extension_points():
    from .server.app import DevEnvApp

    return [{"module": "jupyter_devenv", "app": DevEnvApp}]
