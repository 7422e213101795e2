"""``single_flight``: concurrent callers for one key share one call."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Dict, TypeVar

T = TypeVar("T")


async def single_flight(
    inflight: "Dict[str, asyncio.Future[T]]", key: str, call: Callable[[], Awaitable[T]]
) -> T:
    """``await call()``, unless a call for ``key`` is in flight: then its outcome, shared.

    ``inflight`` is the caller's table of calls in flight; a caller that is cancelled
    does not cancel the call the others wait for.
    """
    pending = inflight.get(key)
    if pending is not None:
        return await asyncio.shield(pending)
    future: "asyncio.Future[T]" = asyncio.get_running_loop().create_future()
    inflight[key] = future
    try:
        result = await call()
        future.set_result(result)
        return result
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # mark retrieved: callers that wait re-raise it themselves
        raise
    finally:
        del inflight[key]
