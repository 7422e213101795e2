"""Browser tests: Playwright (sync) driving Debian's Chromium against a real stack.

Run separately from the other tests: ``.venv/bin/pytest tests/ui -p no:cacheprovider``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from stack import Stack

CHROMIUM = os.environ.get("JUPYTER_DEVENV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "headless": True}


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
