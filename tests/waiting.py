"""Waiting on a condition instead of for a fixed time: ``wait_until`` (threads, processes) and
``until`` (inside an event loop). Both poll ``check`` and give its last value; the caller asserts it.

``tests/ui/pages.py`` has the browser suite's own ``wait_until``, with the same contract.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable


def wait_until(check: Callable[[], Any], timeout: float = 10.0, step: float = 0.1) -> Any:
    """Poll ``check()`` until it is truthy or ``timeout`` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return check()


async def until(check: Callable[[], Any], timeout: float = 10.0, step: float = 0.01) -> Any:
    """``wait_until`` for a coroutine: the event loop keeps running while it waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        await asyncio.sleep(step)
    return check()
