"""jupyter-devenv: a ModelArts notebook instance's auto-stop, in view and under control."""

from __future__ import annotations

from ._version import __version__  # written at install from labextension/package.json's version

# Bound after the submodule is imported, so ``jupyter_devenv.keep_alive`` is the function (it is light).
from .keep_alive import keep_alive  # noqa: E402

__all__ = ["__version__", "keep_alive"]


def __getattr__(name):
    """``AutoStopPanel`` is imported on first use: ``import jupyter_devenv`` stays light."""
    if name == "AutoStopPanel":
        from .widget import AutoStopPanel

        return AutoStopPanel
    raise AttributeError(name)


def load_ipython_extension(ipython):
    """``%load_ext jupyter_devenv`` adds the ``%devenv`` line magic (the panel; ``hold``, ``release``)."""
    from .magic import register

    register(ipython)


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyter-devenv"}]


def _jupyter_server_extension_points():
    from .server.app import DevEnvApp

    return [{"module": "jupyter_devenv", "app": DevEnvApp}]
