"""jupyter-devenv: a ModelArts notebook instance's auto-stop, in view and under control."""
from __future__ import annotations

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyter-devenv"}]


def _jupyter_server_extension_points():
    from .server.app import DevEnvApp

    return [{"module": "jupyter_devenv", "app": DevEnvApp}]
