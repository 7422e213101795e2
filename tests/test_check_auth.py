"""Every handler requires authentication, and the installed extension loads."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from tornado import web

from jupyter_devenv.server.handlers import ROUTES

_AUTHENTICATED = web.authenticated(lambda self: None).__code__
METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


@pytest.mark.parametrize("pattern,handler", ROUTES)
def test_every_handler_method_is_authenticated(pattern, handler):
    methods = [m for m in METHODS if m in vars(handler)]
    assert methods, pattern
    for name in methods:
        method = vars(handler)[name]
        assert method.__code__ is _AUTHENTICATED, f"{handler.__name__}.{name} lacks @web.authenticated"
        assert not getattr(method, "__allow_unauthenticated", False)


def _jupyter(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_CONFIG")}
    run = subprocess.run(
        [sys.executable, "-m", "jupyter", *args], capture_output=True, text=True, env=env, timeout=120
    )
    return re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)


def test_server_extension_is_enabled_and_ok():
    out = _jupyter("server", "extension", "list")
    assert re.search(r"^\s*jupyter_devenv enabled\s*$", out, re.M), out
    assert re.search(r"^\s*jupyter_devenv [0-9.]+ OK\s*$", out, re.M), out


def test_labextension_is_installed():
    out = _jupyter("labextension", "list")
    line = next((ln for ln in out.splitlines() if "jupyter-devenv" in ln), "")
    assert "enabled" in line and "OK" in line, out
