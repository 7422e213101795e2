"""``AsyncDevEnvClient`` and its sync face ``DevEnvClient``: the ModelArts calls the product uses.

Every call has a timeout and bounded retries with exponential backoff (``Retry-After``
honoured) for the retryable cases of the API (429, 6101, 6357, APIGW.0308, 502/503/504,
connection errors, timeouts); validation errors are never retried.

Requests are httpx ``Request`` objects authenticated by an ``httpx.Auth`` flow and sent
on a transport that pools keep-alive connections (``transport.for_endpoint``). There is
no ``httpx.AsyncClient`` in between: its URL merging, cookie jar and hooks cost more CPU
per call than everything else here, and the proxy needs none of them.
"""
from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Coroutine, Dict, NamedTuple, Optional, TypeVar

import httpx

from .. import __version__
from .errors import DevEnvError, error_from_response
from .models import LEASE_MAX, LEASE_MIN, validate_duration, validate_instance_id, validate_update_body
from .transport import for_endpoint

RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_CODES = frozenset({"ModelArts.6101", "ModelArts.6357", "APIGW.0308"})
UNREACHABLE = "DEVENV.UPSTREAM_UNREACHABLE"
TIMEOUT = "DEVENV.UPSTREAM_TIMEOUT"
MALFORMED = "DEVENV.UPSTREAM_MALFORMED"
T = TypeVar("T")
HEADERS = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate",
           "User-Agent": f"jupyter-devenv/{__version__}"}
URL_CACHE = 256  # distinct request paths whose parsed URL is kept


class Answer(NamedTuple):
    """A decoded answer and the upstream clock (ms) when it was given."""

    data: Any
    server_time: int


def http_date_ms(value: Optional[str]) -> Optional[int]:
    """Milliseconds of an HTTP ``Date`` header, at the middle of its one-second resolution."""
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp() * 1000) + 500
    except (TypeError, ValueError):
        return None


def _transport_error(exc: Exception) -> DevEnvError:
    if isinstance(exc, httpx.TimeoutException):
        return DevEnvError(TIMEOUT, "ModelArts did not answer in time. Try again in a moment; if it "
                           "persists, raise request_timeout or check the endpoint.", status=504)
    return DevEnvError(UNREACHABLE, f"ModelArts could not be reached ({type(exc).__name__}). Check the "
                       "endpoint setting and the network, then try again.", status=502)


def decode_answer(response: httpx.Response) -> Answer:
    """An Answer for a 2xx response; raise DevEnvError for anything else."""
    now = http_date_ms(response.headers.get("Date")) or int(time.time() * 1000)
    if response.status_code >= 300:
        raise error_from_response(response.status_code, response.content, response.headers.get("Retry-After"))
    try:
        data = json.loads(response.content) if response.content else {}
    except ValueError:
        raise DevEnvError(MALFORMED, "ModelArts answered with a body that is not JSON. Try again; if it "
                          "persists, the endpoint may not be a ModelArts API.", status=502) from None
    return Answer(data, now)


class AsyncDevEnvClient:
    """Async client for one project's instances, on either API generation.

    ``sleep`` and ``rand`` are injectable so tests need not wait for real backoff.
    """

    def __init__(self, endpoint: str, project_id: str, auth: httpx.Auth, *, timeout: float = 10.0,
                 retries: int = 3, backoff: float = 0.25, max_backoff: float = 8.0,
                 sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
                 rand: Callable[[], float] = random.random, max_connections: int = 20,
                 transport: Optional[httpx.AsyncBaseTransport] = None) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.retries = retries
        self._backoff, self._max_backoff = backoff, max_backoff
        self._sleep, self._rand = sleep, rand
        self._auth = auth
        self._timeout = httpx.Timeout(timeout).as_dict()
        self.transport = transport or for_endpoint(self.endpoint, max_connections)
        self._urls: Dict[str, httpx.URL] = {}

    def retry_delay(self, attempt: int, error: DevEnvError) -> Optional[float]:
        """Seconds to wait before attempt ``attempt + 1``, or None when not to retry."""
        if attempt >= self.retries:
            return None
        if error.status not in RETRY_STATUSES and error.error_code not in RETRY_CODES:
            return None
        delay = min(self._max_backoff, self._backoff * (2 ** attempt)) * (0.5 + self._rand() / 2)
        if error.retry_after is not None:
            delay = min(max(delay, error.retry_after), self._max_backoff)
        return delay

    async def request(self, method: str, path: str, body: Any = None,
                      params: Optional[Dict[str, str]] = None) -> Answer:
        attempt = 0
        while True:
            try:
                return decode_answer(await self.send(self.build(method, path, body, params)))
            except httpx.HTTPError as exc:
                error = _transport_error(exc)
            except DevEnvError as exc:
                error = exc
            delay = self.retry_delay(attempt, error)
            if delay is None:
                raise error
            attempt += 1
            await self._sleep(delay)

    def build(self, method: str, path: str, body: Any = None,
              params: Optional[Dict[str, str]] = None) -> httpx.Request:
        """The unsigned request for ``path`` under the endpoint, with ``body`` as JSON."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= URL_CACHE:
                self._urls.clear()
            url = self._urls[path] = httpx.URL(self.endpoint + path)
        if params:
            url = url.copy_merge_params(params)
        return httpx.Request(method, url, headers=HEADERS, json=body,
                             extensions={"timeout": self._timeout})

    async def send(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through the auth flow (which may add requests, e.g. an IAM login)."""
        flow = self._auth.async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                request.extensions.setdefault("timeout", self._timeout)  # an auth flow's own requests too
                response = await self.transport.handle_async_request(request)
                response.request = request
                await response.aread()
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
        finally:
            await flow.aclose()

    def _de(self, instance_id: str, tail: str = "") -> str:
        return f"/v1/{self.project_id}/demanager/instances/{validate_instance_id(instance_id)}{tail}"

    def _nb(self, instance_id: str, tail: str = "") -> str:
        return f"/v1/{self.project_id}/notebooks/{validate_instance_id(instance_id)}{tail}"

    # demanager: the seed's API family
    async def get_instance(self, instance_id: str) -> Answer:
        return await self.request("GET", self._de(instance_id))

    async def update_instance(self, instance_id: str, body: Any) -> Answer:
        """The seed's PUT; the body is validated first, so nothing invalid is sent."""
        return await self.request("PUT", self._de(instance_id), validate_update_body(body))

    async def instance_action(self, instance_id: str, action: str) -> Answer:
        if action not in ("start", "stop", "restart"):
            raise DevEnvError("ModelArts.6336", "action must be one of start, stop, restart.", field="action")
        return await self.request("POST", self._de(instance_id, "/action"), {"action": action})

    async def list_instances(self, limit: int = 100, offset: int = 0) -> Answer:
        params = {"de_type": "Notebook", "limit": str(limit), "offset": str(offset)}
        return await self.request("GET", f"/v1/{self.project_id}/demanager/instances", params=params)

    # notebooks: the current API, auto-stop as a lease
    async def get_notebook(self, instance_id: str) -> Answer:
        return await self.request("GET", self._nb(instance_id))

    async def get_lease(self, instance_id: str) -> Answer:
        return await self.request("GET", self._nb(instance_id, "/lease"))

    async def renew_lease(self, instance_id: str, seconds: int) -> Answer:
        """Renew the lease by ``seconds`` (3600..259200) counted from now."""
        seconds = validate_duration(seconds, field="seconds", low=LEASE_MIN, high=LEASE_MAX)
        return await self.request("PATCH", self._nb(instance_id, "/lease"),
                                  {"duration": seconds * 1000, "type": "TIMING"})

    async def aclose(self) -> None:
        await self.transport.aclose()


class DevEnvClient:
    """The sync face: the same calls, run on a private event loop in a daemon thread.

    Usable anywhere, including inside a Jupyter kernel whose own loop is already running.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="devenv-client", daemon=True)
        self._thread.start()
        self.aio: AsyncDevEnvClient = self.run(self._make(args, kwargs))

    @staticmethod
    async def _make(args: Any, kwargs: Any) -> AsyncDevEnvClient:
        return AsyncDevEnvClient(*args, **kwargs)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine of ``self.aio`` on the client's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def get_instance(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_instance(instance_id))

    def update_instance(self, instance_id: str, body: Any) -> Answer:
        return self.run(self.aio.update_instance(instance_id, body))

    def instance_action(self, instance_id: str, action: str) -> Answer:
        return self.run(self.aio.instance_action(instance_id, action))

    def list_instances(self, limit: int = 100, offset: int = 0) -> Answer:
        return self.run(self.aio.list_instances(limit, offset))

    def get_notebook(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_notebook(instance_id))

    def get_lease(self, instance_id: str) -> Answer:
        return self.run(self.aio.get_lease(instance_id))

    def renew_lease(self, instance_id: str, seconds: int) -> Answer:
        return self.run(self.aio.renew_lease(instance_id, seconds))

    def close(self) -> None:
        if self._loop.is_running():
            self.run(self.aio.aclose())
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def __enter__(self) -> "DevEnvClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
