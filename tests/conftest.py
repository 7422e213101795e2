"""Shared pytest fixtures."""
from __future__ import annotations

import pytest

from jupyter_devenv.emulator import EmulatorThread


@pytest.fixture
def emulator():
    """A ModelArts emulator on a free loopback port, in its own thread and event loop.

    Works from sync tests and from async (pytest-jupyter) tests alike; yields the
    ``EmulatorThread`` (``.url``, ``.emulator``, ``.stop()``).
    """
    with EmulatorThread() as running:
        yield running
