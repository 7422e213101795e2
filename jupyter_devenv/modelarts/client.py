"""``AsyncModelArtsClient`` and its sync face ``ModelArtsClient``: the ModelArts calls the product makes.

Requests are ``httpx.Request`` objects authenticated by an ``httpx.Auth`` flow and sent
on httpx's own transport (httpcore and h11: strict HTTP/1.1 framing, keep-alive pools,
TLS), one route per origin (``transports.Routes``: direct or through the environment's
proxy for that origin). No ``httpx.AsyncClient`` in between: the API is signed per
request and keeps no session, so its cookie jar, redirects and hooks have nothing to do.

``timeout`` bounds a whole call, retries included: an attempt that may be followed by
another gets half of what is left, so a slow upstream cannot multiply the wait and a
stalled attempt still leaves time for the next. Retryable cases of the API (429,
6101, 6357, APIGW.0308, 502/503/504, connection errors, timeouts) back off
exponentially (``Retry-After`` honoured); validation errors are never retried. A write
whose answer was lost (a timeout, a broken connection, a gateway's 502/504) is not sent
again blindly: the instance is read first, and the write re-sent only if it is not there.

The client sends the bodies and durations it is given: each is validated once where it
enters the product (``InstanceService`` in the server, ``DirectConnection`` in a script,
``ProxyConnection`` before a kernel sends it), so this client checks only the instance
ids it puts into a URL.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import threading
import time
from typing import Any, Awaitable, Callable, Coroutine, Dict, NamedTuple, Optional, Set, TypeVar, Union

import httpx

from .. import __version__
from .answers import Answer, decode_body, read_capped
from .applied import renewal_applied, update_applied
from .codes import (
    INCORRECT_PROPERTY,
    NOT_CONFIGURED,
    RETRY_CODES,
    UPSTREAM_MALFORMED,
    UPSTREAM_TIMEOUT,
    UPSTREAM_UNREACHABLE,
)
from .errors import DevEnvError
from .models import validate_instance_id
from .permissions import GET, LIST, RENEW, UPDATE, denied
from .single_flight import single_flight
from .transports import Routes

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAYBE_APPLIED_STATUSES = frozenset({502, 504})  # a gateway lost the answer, not the request
BROKEN_WORDS = ("disconnected", "peer closed")  # httpcore's words for a connection that broke mid-answer
T = TypeVar("T")
HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": f"jupyter-devenv/{__version__}",
}
Verify = Callable[[Answer, int], bool]  # (fresh read, upstream ms when the write was sent) -> applied?
FindProject = Callable[["AsyncModelArtsClient"], Awaitable[str]]
# Codes of the product's own that no retry can change (a retry would only repeat the same lookups).
FINAL_CODES = frozenset({NOT_CONFIGURED})


class NotSentError(DevEnvError):
    """The request never reached the server (no connection could be made): safe to send again."""


class TimedOut(DevEnvError):
    """No answer within the attempt's budget. ``pending`` is the exchange, left to finish on its
    own httpx timeouts: cancelling httpcore while it waits for a pooled connection leaks that
    connection's slot for good (encode/httpcore#1093), so attempts are never cancelled.
    """

    def __init__(self, pending: "asyncio.Future[Answer]") -> None:
        error = _timeout()
        super().__init__(error.error_code, error.error_msg, status=error.status)
        self.pending = pending


class Check(NamedTuple):
    """How to tell whether a write was applied: the path to read and the test on its answer."""

    path: str
    applied: Verify


def _transport_error(exc: httpx.HTTPError) -> DevEnvError:
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return NotSentError(
            UPSTREAM_UNREACHABLE,
            f"ModelArts could not be reached ({type(exc).__name__}). "
            "Check the endpoint setting and the network, then try again.",
            status=502,
        )
    if isinstance(exc, httpx.TimeoutException):
        return _timeout()
    if isinstance(exc, httpx.DecodingError) or (
        isinstance(exc, httpx.RemoteProtocolError) and not any(w in str(exc) for w in BROKEN_WORDS)
    ):
        return DevEnvError(
            UPSTREAM_MALFORMED,
            "ModelArts answered with a malformed HTTP message. Try again; "
            "if it persists, check the endpoint setting and any proxy in between.",
            status=502,
        )
    return DevEnvError(
        UPSTREAM_UNREACHABLE,
        f"The connection to ModelArts broke ({type(exc).__name__}). Try "
        "again in a moment; if it persists, check the network.",
        status=502,
    )


def _timeout() -> DevEnvError:
    return DevEnvError(
        UPSTREAM_TIMEOUT,
        "ModelArts did not answer in time. Try again in a moment; if it "
        "persists, raise request_timeout or check the endpoint.",
        status=504,
    )


def maybe_applied(error: DevEnvError) -> bool:
    """Whether a write that failed with ``error`` may have been applied all the same."""
    if isinstance(error, NotSentError):
        return False
    return (
        error.error_code in (UPSTREAM_TIMEOUT, UPSTREAM_UNREACHABLE, UPSTREAM_MALFORMED)
        or error.status in MAYBE_APPLIED_STATUSES
    )


def unconfirmed(error: DevEnvError) -> DevEnvError:
    return DevEnvError(
        error.error_code,
        f"{error.error_msg} The change may or may not have been applied: "
        "refresh to see the instance as it is now before trying again.",
        status=error.status,
    )


class AsyncModelArtsClient:
    """Async client for one project's instances, on either API generation.

    ``sleep``, ``rand`` and ``clock`` (monotonic seconds) are injectable so tests need not
    wait for real backoff. ``verify`` is httpx's: True, or an ``ssl.SSLContext``, or the
    path of a CA bundle.
    """

    def __init__(
        self,
        endpoint: str,
        project_id: str,
        auth: httpx.Auth,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.25,
        max_backoff: float = 8.0,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
        max_connections: int = 20,
        verify: Union[bool, str, ssl.SSLContext] = True,
        transport: Optional[httpx.AsyncBaseTransport] = None,
        find_project: Optional[FindProject] = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self._find_project = find_project
        self._finding: Dict[str, "asyncio.Future[str]"] = {}
        self._pending: Set["asyncio.Future[Answer]"] = set()  # timed-out exchanges still running
        self.timeout = timeout
        self.retries = retries
        self._backoff, self._max_backoff = backoff, max_backoff
        self._sleep, self._rand, self._clock = sleep, rand, clock
        self._auth = auth
        self.routes = Routes(verify, max_connections, transport)

    def retry_delay(self, attempt: int, error: DevEnvError) -> Optional[float]:
        """Seconds to wait before attempt ``attempt + 1``, or None when not to retry."""
        if attempt >= self.retries or error.error_code in FINAL_CODES:
            return None
        if error.status not in RETRY_STATUSES and error.error_code not in RETRY_CODES:
            return None
        delay = min(self._max_backoff, self._backoff * (2**attempt)) * (0.5 + self._rand() / 2)
        if error.retry_after is not None:
            delay = min(max(delay, error.retry_after), self._max_backoff)
        return delay

    def _share(self, deadline: float, attempt: int) -> float:
        """Attempt ``attempt``'s part of the time left: half while a retry may follow, else all of it.

        Retryable failures (429, 503, a refused connection) come fast; a slow answer is the
        one case that uses the share, and half leaves room to check a write and try again.
        """
        left = deadline - self._clock()
        return left / 2 if attempt < self.retries else left

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Optional[Dict[str, str]] = None,
        check: Optional[Check] = None,
        action: Optional[str] = None,
    ) -> Answer:
        """One call, retried within ``timeout``; ``check`` guards a write against being applied twice.

        ``action`` is the IAM action the call needs: a 403 then says which one is missing.
        """
        try:
            return await self._retried(method, path, body, params, check)
        except DevEnvError as error:
            if error.status == 403 and action:
                raise denied(error, action) from None
            raise

    async def _retried(
        self, method: str, path: str, body: Any, params: Optional[Dict[str, str]], check: Optional[Check]
    ) -> Answer:
        deadline = self._clock() + self.timeout
        attempt = 0
        while True:
            sent_at = self._clock()
            try:
                return await self.attempt(method, path, body, params, self._share(deadline, attempt))
            except DevEnvError as exc:
                error = exc
            if check is not None and maybe_applied(error):
                answer = await self._confirm(check, error, sent_at, self._share(deadline, attempt))
                if answer is not None:
                    return answer
            delay = self.retry_delay(attempt, error)
            if delay is None or self._clock() + delay >= deadline:
                raise error
            attempt += 1
            await self._sleep(delay)

    async def _confirm(
        self, check: Check, error: DevEnvError, sent_at: float, budget: float
    ) -> Optional[Answer]:
        """The write's answer or a fresh read if the write is there, None if it is not.

        A write still in flight is waited for (within ``budget``), never sent again beside
        it; when neither its answer nor a read tells, ``error`` is raised, unconfirmed.
        """
        if isinstance(error, TimedOut):
            try:
                return await self._wait(error.pending, budget)  # its answer came late: it was applied
            except TimedOut:
                raise unconfirmed(error) from None
            except DevEnvError as late:
                if not maybe_applied(late):
                    raise
        try:
            answer = await self.attempt("GET", check.path, None, None, budget)
        except DevEnvError:
            raise unconfirmed(error) from None
        sent_ms = answer.server_time - int((self._clock() - sent_at) * 1000)
        return answer if check.applied(answer, sent_ms) else None

    async def attempt(
        self, method: str, path: str, body: Any, params: Optional[Dict[str, str]], budget: float
    ) -> Answer:
        """One try of a call, all of it (auth flow included) within ``budget`` seconds."""
        if budget <= 0:
            raise _timeout()
        own = "://" not in path  # a path under the ModelArts endpoint, else a whole URL (IAM)
        url = httpx.URL(self.endpoint + path if own else path, params=params)
        headers = {**HEADERS, "X-Project-Id": self.project_id} if own and self.project_id else HEADERS
        request = httpx.Request(method, url, headers=headers, json=body)
        return await self._wait(asyncio.ensure_future(self._exchange(request, budget)), budget)

    async def _wait(self, exchange: "asyncio.Future[Answer]", budget: float) -> Answer:
        """``exchange``'s answer within ``budget``; past it, ``TimedOut`` and the exchange runs on."""
        try:
            return await asyncio.wait_for(asyncio.shield(exchange), budget)
        except (asyncio.TimeoutError, asyncio.CancelledError) as exc:
            if not exchange.done():
                self._pending.add(exchange)
                exchange.add_done_callback(self._settled)
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise TimedOut(exchange) from None
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from None

    def _settled(self, exchange: "asyncio.Future[Answer]") -> None:
        """A timed-out exchange ended: forget it, and take its outcome so nothing is left unretrieved."""
        self._pending.discard(exchange)
        if not exchange.cancelled():
            exchange.exception()

    async def _exchange(self, request: httpx.Request, budget: float) -> Answer:
        """Send ``request`` through the auth flow (which may add requests, e.g. an IAM login).

        The flow is driven here rather than by httpx so that every answer, the flow's own
        included, is read under the size cap.
        """
        flow = self._auth.async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                request.extensions["timeout"] = httpx.Timeout(budget).as_dict()
                response = await self.routes.for_url(request.url).handle_async_request(request)
                try:
                    content = await read_capped(response)
                finally:
                    await response.aclose()
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return decode_body(response.status_code, content, response.headers)
        finally:
            await flow.aclose()

    async def project(self) -> str:
        """The project id: as given, or found once (``find_project``, e.g. from the region)."""
        if not self.project_id:
            if self._find_project is None:
                raise DevEnvError(
                    NOT_CONFIGURED,
                    "No project id is set: set c.DevEnv.project_id "
                    "(HUAWEICLOUD_SDK_PROJECT_ID) or the region.",
                    status=503,
                )
            find = self._find_project
            self.project_id = await single_flight(self._finding, "project", lambda: find(self))
        return self.project_id

    async def _de(self, instance_id: str, tail: str = "") -> str:
        instance_id = validate_instance_id(instance_id)
        return f"/v1/{await self.project()}/demanager/instances/{instance_id}{tail}"

    async def _nb(self, instance_id: str, tail: str = "") -> str:
        instance_id = validate_instance_id(instance_id)
        return f"/v1/{await self.project()}/notebooks/{instance_id}{tail}"

    # demanager: the older API family
    async def get_instance(self, instance_id: str) -> Answer:
        return await self.request("GET", await self._de(instance_id), action=GET)

    async def update_instance(self, instance_id: str, body: Any) -> Answer:
        """The PUT of auto-stop settings, with a body already validated (``validate_update_body``)."""
        path = await self._de(instance_id)
        check = Check(path, lambda answer, _sent: update_applied(answer.data, body))
        return await self.request("PUT", path, body, check=check, action=UPDATE)

    async def instance_action(self, instance_id: str, action: str) -> Answer:
        if action not in ("start", "stop", "restart"):
            raise DevEnvError(
                INCORRECT_PROPERTY, "action must be one of start, stop, restart.", field="action"
            )
        return await self.request(
            "POST",
            await self._de(instance_id, "/action"),
            {"action": action},
            action=f"modelarts:notebook:{action}",
        )

    async def list_instances(self, limit: int = 100, offset: int = 0) -> Answer:
        params = {"de_type": "Notebook", "limit": str(limit), "offset": str(offset)}
        return await self.request(
            "GET", f"/v1/{await self.project()}/demanager/instances", params=params, action=LIST
        )

    async def list_notebooks(self, limit: int = 50, offset: int = 0) -> Answer:
        """ListNotebooks (current API): ``{"current", "data", "pages", "size", "total"}``; ``offset``
        counts instances."""
        params = {"limit": str(limit), "offset": str(offset)}
        return await self.request("GET", f"/v1/{await self.project()}/notebooks", params=params, action=LIST)

    # notebooks: the current API, auto-stop as a lease
    async def get_notebook(self, instance_id: str) -> Answer:
        return await self.request("GET", await self._nb(instance_id), action=GET)

    async def get_lease(self, instance_id: str) -> Answer:
        return await self.request("GET", await self._nb(instance_id, "/lease"))

    async def renew_lease(self, instance_id: str, seconds: int) -> Answer:
        """Renew the lease by ``seconds`` (3600..259200, already validated) counted from now."""
        check = Check(
            await self._nb(instance_id),
            lambda answer, sent: renewal_applied(answer.data, seconds, sent, answer.server_time),
        )
        return await self.request(
            "PATCH",
            await self._nb(instance_id, "/lease"),
            {"duration": seconds * 1000, "type": "TIMING"},
            check=check,
            action=RENEW,
        )

    async def aclose(self) -> None:
        for exchange in list(self._pending):
            exchange.cancel()  # closing: the pool goes too, so no slot can leak
        await self.routes.aclose()


class ModelArtsClient:
    """The sync face: the same calls, run on a private event loop in a daemon thread.

    Usable anywhere, including inside a Jupyter kernel whose own loop is already running.
    ``close()`` (or leaving a ``with`` block) ends the loop and its thread; a construction
    that fails starts no thread.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.aio = AsyncModelArtsClient(*args, **kwargs)  # raises before any thread exists
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="modelarts-client", daemon=True)
        self._thread.start()

    def run(self, coro: Awaitable[T]) -> T:
        """Run a coroutine of ``self.aio`` on the client's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()  # type: ignore[arg-type]

    def get_instance(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_instance(instance_id))

    def update_instance(self, instance_id: str, body: Any) -> Answer:
        return self.run(self.aio.update_instance(instance_id, body))

    def instance_action(self, instance_id: str, action: str) -> Answer:
        return self.run(self.aio.instance_action(instance_id, action))

    def list_instances(self, limit: int = 100, offset: int = 0) -> Answer:
        return self.run(self.aio.list_instances(limit, offset))

    def list_notebooks(self, limit: int = 50, offset: int = 0) -> Answer:
        return self.run(self.aio.list_notebooks(limit, offset))

    def get_notebook(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_notebook(instance_id))

    def get_lease(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_lease(instance_id))

    def renew_lease(self, instance_id: str, seconds: int) -> Answer:
        return self.run(self.aio.renew_lease(instance_id, seconds))

    def close(self) -> None:
        """Close the connections, stop the loop and join its thread; a second call does nothing."""
        if self._loop.is_closed():
            return
        try:
            self.run(self.aio.aclose())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()

    def __enter__(self) -> "ModelArtsClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
