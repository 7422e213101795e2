"""Browser tests: Playwright (sync) driving Debian's Chromium against a real stack.

Run separately from the other tests, on two workers (pytest-xdist; a test spends most of its
time waiting for a page, so two at once nearly halve the suite on two CPUs), each module on one
worker so that its tests share their stacks: ``make test-ui``.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any, Callable, Dict, Tuple

import pytest
from jupyter_stack import CHROMIUM, CHROMIUM_ARGS
from pages import ARTIFACTS
from stack import PER_TEST, Stack

import jupyter_devenv

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


def _same(value):
    """30 and 30.0 are the same setting."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _server_options(options: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    """A stack's options → (the key of its server's, this test's: ``PER_TEST``)."""
    given = inspect.signature(Stack).bind(None, **options)
    given.apply_defaults()  # the same stack whether a default is said or not
    server = {k: v for k, v in given.arguments.items() if k != "tmp" and k not in PER_TEST}
    key = repr(sorted((k, _same(v)) for k, v in server.items()))
    return key, {k: given.arguments[k] for k in PER_TEST}


class StackPool:
    """The shared stacks, by the key of their server's options; closed all at once at the end."""

    def __init__(self, tmp_path_factory) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.stacks: Dict[str, Stack] = {}

    def get(self, kind: str, tmp: Callable[[], Path], options: Dict[str, Any]) -> Stack:
        """A stack as ``options`` say, ready for a test: the shared one, reset, or a new one."""
        key, per_test = _server_options(options)
        stack = self.stacks.pop(key, None) if kind == "shared_stack" else None
        if stack is not None:
            try:
                stack.reset(**per_test)
            except Exception:  # not as it should be: a new one instead
                stack.close()
                stack = None
        if stack is None:
            stack = Stack(tmp(), **options)
        if kind == "shared_stack":
            self.stacks[key] = stack
        return stack

    def close(self) -> None:
        for stack in self.stacks.values():  # all at once: a server can take a while to stop
            stack.server.proc.terminate()
        for stack in self.stacks.values():
            stack.close()


@pytest.fixture(scope="session")
def stack_pool(tmp_path_factory):
    """The shared stacks (``StackPool``); closed at the end."""
    pool = StackPool(tmp_path_factory)
    yield pool
    pool.close()


@pytest.fixture
def make_stack(tmp_path, stack_pool):
    """``make_stack(backend=..., stop_in=..., ...)`` → a running ``Stack`` of the test's own,
    closed after the test."""
    made = []

    def make(**options) -> Stack:
        stack = stack_pool.get("make_stack", lambda: tmp_path / f"stack{len(made)}", options)
        made.append(stack)
        return stack

    yield make
    for stack in made:
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

    def get(**options) -> Stack:
        return stack_pool.get(
            "shared_stack", lambda: stack_pool.tmp_path_factory.mktemp("shared-stack"), options
        )

    return get


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
