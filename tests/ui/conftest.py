"""Browser tests: Playwright (sync) driving Debian's Chromium against a real stack.

Run separately from the other tests: ``.venv/bin/pytest tests/ui -p no:cacheprovider``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from stack import Stack

import jupyter_devenv

CHROMIUM = os.environ.get("JUPYTER_DEVENV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
# The labextension as last built in this tree (`jlpm build:prod`), not the copy pip installed.
BUILT = Path(jupyter_devenv.__file__).parent / "labextension"


@pytest.fixture(scope="session", autouse=True)
def serve_built_labextension(tmp_path_factory):
    """Put the built labextension first on JUPYTER_PATH, which every Jupyter the tests start
    inherits and searches before its environment: pages run the current build, no reinstall."""
    if not (BUILT / "package.json").exists():
        yield
        return
    path = tmp_path_factory.mktemp("jupyter-path")
    (path / "labextensions").mkdir()
    (path / "labextensions" / "jupyter-devenv").symlink_to(BUILT, target_is_directory=True)
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(path), before) if p)
    yield
    if before is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = before


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def make_stack(tmp_path):
    """``make_stack(backend=..., stop_in=..., ...)`` → a running ``Stack``, closed after the test."""
    made = []

    def make(**options) -> Stack:
        stack = Stack(tmp_path / f"stack{len(made)}", **options)
        made.append(stack)
        return stack

    yield make
    for stack in made:
        stack.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
