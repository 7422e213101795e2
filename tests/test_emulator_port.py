"""``jupyter-devenv emulator --port N`` on a port another process listens on: one plain line, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_devenv.emulator.server import HOST, serve
from jupyter_devenv.modelarts.errors import DevEnvError


@pytest.fixture
def taken_port():
    with socket.socket() as occupant:
        occupant.bind((HOST, 0))
        occupant.listen()
        yield occupant.getsockname()[1]


def test_serve_raises_port_in_use(taken_port):
    with pytest.raises(DevEnvError) as caught:
        serve(port=taken_port)
    assert caught.value.error_code == "EMULATOR.PORT_IN_USE"
    assert caught.value.error_msg == f"port {taken_port} is in use: pass --port"


def test_the_cli_says_so_in_one_line_and_fails(taken_port):
    command = Path(sys.executable).with_name("jupyter-devenv")
    run = subprocess.run(
        [str(command), "emulator", "--port", str(taken_port)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert f"port {taken_port} is in use: pass --port" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr + run.stdout, run.stderr
