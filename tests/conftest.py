"""Shared pytest fixtures."""
from __future__ import annotations

import os

import pytest

from jupyter_devenv.emulator import EmulatorThread

# With no credentials configured the product asks the metadata service, which off ModelArts is
# nobody's: tests (and the servers they start, which inherit this) ask a closed loopback port instead.
os.environ["JUPYTER_DEVENV_METADATA_ENDPOINT"] = "http://127.0.0.1:9"


@pytest.fixture
def emulator():
    """A ModelArts emulator on a free loopback port, in its own thread and event loop.

    Works from sync tests and from async (pytest-jupyter) tests alike; yields the
    ``EmulatorThread`` (``.url``, ``.emulator``, ``.stop()``).
    """
    with EmulatorThread() as running:
        yield running
