"""Browser tests: Playwright (sync) driving Debian's Chromium against a real stack.

Run separately from the other tests: ``.venv/bin/pytest tests/ui -p no:cacheprovider``.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Dict

import pytest
from jupyter_stack import CHROMIUM, CHROMIUM_ARGS
from stack import PER_TEST, Stack

import jupyter_devenv

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


def _same(value):
    """30 and 30.0 are the same setting."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


@pytest.fixture(scope="session")
def stack_pool(tmp_path_factory):
    """The shared stacks, by their options; closed at the end of the session."""
    pool: Dict[str, Stack] = {}
    yield pool, tmp_path_factory
    for stack in pool.values():  # all at once: a server can take a while to stop
        stack.server.proc.terminate()
    for stack in pool.values():
        stack.close()


@pytest.fixture
def shared_stack(stack_pool):
    """``shared_stack(**options)``: as ``make_stack``, but one stack per set of server options
    for the whole session, reset before each test that asks for it (``Stack.reset``: no
    kernels, the notebooks as written, a fresh emulator with this test's ``stop_in``, this
    test's JupyterLab settings), so a test sees what a new stack would show. Each
    test opens its own JupyterLab workspace. A test may stop the emulator (the reset makes a
    new one), not the server, nor change its configuration (the chosen instance): those
    take ``make_stack``."""
    pool, tmp_path_factory = stack_pool

    def get(**options) -> Stack:
        given = inspect.signature(Stack).bind(None, **options)
        given.apply_defaults()  # the same stack whether a default is said or not
        key = repr(
            sorted((k, _same(v)) for k, v in given.arguments.items() if k != "tmp" and k not in PER_TEST)
        )
        stack = pool.pop(key, None)
        if stack is not None:
            try:
                stack.reset(**{k: given.arguments[k] for k in PER_TEST})
            except Exception:  # not as it should be: a new one instead
                stack.close()
                stack = None
        if stack is None:
            stack = Stack(tmp_path_factory.mktemp("shared-stack"), **options)
        pool[key] = stack
        return stack

    return get


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
