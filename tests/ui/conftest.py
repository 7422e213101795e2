"""Browser tests: Playwright (sync) driving Debian's Chromium against a real stack.

Run separately from the other tests: ``.venv/bin/pytest tests/ui -p no:cacheprovider``.
"""

from __future__ import annotations

import ast
import inspect
import os
import textwrap
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

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


def _same(value):
    """30 and 30.0 are the same setting."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _server_options(options: Dict[str, Any]) -> Tuple[str, Dict[str, Any], Dict[str, Any]]:
    """A stack's options → (the key of its server's, its server's, this test's: ``PER_TEST``)."""
    given = inspect.signature(Stack).bind(None, **options)
    given.apply_defaults()  # the same stack whether a default is said or not
    server = {k: v for k, v in given.arguments.items() if k != "tmp" and k not in PER_TEST}
    key = repr(sorted((k, _same(v)) for k, v in server.items()))
    return key, server, {k: given.arguments[k] for k in PER_TEST}


def _stack_calls(item) -> List[Tuple[str, Dict[str, Any]]]:
    """The ``shared_stack(...)`` and ``make_stack(...)`` calls in a test's source, with their
    options where they can be worked out from its module and parameters (others left out)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(item.function)))
    except (OSError, TypeError, SyntaxError):
        return []
    params = dict(getattr(getattr(item, "callspec", None), "params", {}))
    found = []
    for node in ast.walk(tree):
        kind = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
        if kind in ("shared_stack", "make_stack"):
            try:
                options = {
                    kw.arg: eval(
                        compile(ast.Expression(kw.value), "<options>", "eval"), item.module.__dict__, params
                    )
                    for kw in node.keywords
                }
                found.append((kind, _server_options(options)[1]))
            except Exception:
                continue
    return found


_AHEAD = pytest.StashKey[List[Tuple[str, Dict[str, Any]]]]()


def pytest_collection_finish(session):
    """The servers the selected tests will ask for, in the order they ask: each shared one
    once, one per ``make_stack`` call."""
    ahead, shared = [], set()
    for item in session.items:
        for kind, server in _stack_calls(item):
            key = _server_options(server)[0]
            if kind == "make_stack" or key not in shared:
                shared.add(key) if kind == "shared_stack" else None
                ahead.append((kind, server))
    session.config.stash[_AHEAD] = ahead


class StackPool:
    """The shared stacks by the key of their server's options, and stacks started ahead.

    The servers the selected tests will ask for (``pytest_collection_finish``) are started in a
    background thread, one after the other in the order the tests ask for them and at most
    ``AHEAD`` not yet taken, while the tests before them run: a test then finds its server
    started (or waits for the start under way) instead of starting it. A stack started ahead
    for ``make_stack`` is used once, by one test, and gets the same ``Stack.reset`` as a
    shared one before it (this test's ``PER_TEST`` options)."""

    AHEAD = 2

    def __init__(self, tmp_path_factory, ahead: List[Tuple[str, Dict[str, Any]]]) -> None:
        self.tmp_path_factory = tmp_path_factory
        self.stacks: Dict[str, Stack] = {}  # shared, by key
        self.queued: Dict[Tuple[str, str], List[Future]] = {}  # started ahead, by (kind, key)
        self._untaken = threading.Semaphore(self.AHEAD)
        self._done = threading.Event()
        work = []
        for kind, server in ahead:
            future: Future = Future()
            self.queued.setdefault((kind, _server_options(server)[0]), []).append(future)
            work.append((future, server))
        # One long-lived thread: the servers die with the thread that started them (PDEATHSIG).
        self._thread = threading.Thread(
            target=self._start_ahead, args=(work,), name="stack-pool", daemon=True
        )
        self._thread.start()

    def _start_ahead(self, work) -> None:
        for future, server in work:
            while not self._untaken.acquire(timeout=0.5):
                if self._done.is_set():
                    break
            if self._done.is_set() or not future.set_running_or_notify_cancel():
                self._untaken.release()
                continue
            try:
                future.set_result(Stack(self.tmp_path_factory.mktemp("stack-ahead"), **server))
            except BaseException as e:  # the test that asks for it starts one itself
                future.set_exception(e)
        self._done.wait()

    def take(self, kind: str, key: str) -> Optional[Stack]:
        """A stack for ``key``: the shared one, or one started ahead (waiting for its start if
        it is under way); None if there is none (one not yet begun is not waited for)."""
        if kind == "shared_stack" and key in self.stacks:
            return self.stacks.pop(key)
        futures = self.queued.get((kind, key))
        if not futures:
            return None
        future = futures.pop(0)
        if future.cancel():
            return None
        try:
            stack = future.result()
        except Exception:
            return None
        finally:
            self._untaken.release()
        return stack

    def close(self) -> None:
        self._done.set()
        started = list(self.stacks.values())
        for futures in self.queued.values():
            for future in futures:
                if not future.cancel():
                    try:
                        started.append(future.result())
                    except Exception:
                        pass
        for stack in started:  # all at once: a server can take a while to stop
            stack.server.proc.terminate()
        for stack in started:
            stack.close()
        self._thread.join(timeout=30)

    def get(self, kind: str, tmp: Callable[[], Path], options: Dict[str, Any]) -> Stack:
        """A stack as ``options`` say, ready for a test: taken (and reset) or started."""
        key, _, per_test = _server_options(options)
        stack = self.take(kind, key)
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


@pytest.fixture(scope="session")
def stack_pool(request, tmp_path_factory):
    """The shared stacks and those started ahead (``StackPool``); closed at the end."""
    pool = StackPool(tmp_path_factory, request.config.stash.get(_AHEAD, []))
    yield pool
    pool.close()


@pytest.fixture
def make_stack(tmp_path, stack_pool):
    """``make_stack(backend=..., stop_in=..., ...)`` → a running ``Stack`` of the test's own
    (started ahead, or now), closed after the test."""
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
