"""httpx transports for upstream calls: one pool per route, and no answer read twice.

``Routes`` picks, per origin, a direct pool or one through the proxy the environment
sets for that origin (``HTTP(S)_PROXY``/``ALL_PROXY``, ``NO_PROXY`` honoured, as httpx
and urllib read them), so ModelArts, IAM and the metadata service each go their own way.

``KeepAliveTransport`` is httpx's own transport (httpcore, h11) with one guard httpcore
lacks: a connection whose server sent bytes beyond the answer (a second answer to one
request, say) goes back to the pool with those bytes buffered in h11, and the next
request on it would read them as its own answer. Go's net/http closes such a connection
("unsolicited response"); this does the same when the answer's stream is closed. The
check reads httpcore's connection internals, so when they are not where expected the
connection is closed: an httpcore upgrade can cost keep-alive, never correctness.
"""

from __future__ import annotations

import ssl
import urllib.request
from typing import Any, AsyncIterator, Dict, Optional, Tuple, Union

import httpx

Verify = Union[bool, str, ssl.SSLContext]


def _unsolicited(connection: Any) -> bool:
    """True unless the idle ``connection`` provably holds no bytes beyond its last answer.

    Pool entries wrap the HTTP/1.1 connection (one level direct, two through a proxy).
    """
    for _ in range(3):
        trailing = getattr(getattr(connection, "_h11_state", None), "trailing_data", None)
        if trailing is not None:
            data, closed = trailing
            return bool(data) or closed
        connection = getattr(connection, "_connection", None)
    return True


class _SweepOnClose(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, transport: "KeepAliveTransport") -> None:
        self._stream, self._transport = stream, transport

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._stream:
            yield part

    async def aclose(self) -> None:
        await self._stream.aclose()
        await self._transport.sweep()


class KeepAliveTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` that never reuses a connection with unsolicited bytes."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _SweepOnClose(response.stream, self)
        return response

    async def sweep(self) -> None:
        for connection in list(self._pool.connections):
            if connection.is_idle() and _unsolicited(connection):
                await connection.aclose()


def proxy_for(url: httpx.URL) -> Optional[str]:
    """The proxy the environment sets for ``url``'s origin, or None to go direct."""
    proxies = urllib.request.getproxies()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    host = f"{url.host}:{url.port}" if url.port else url.host
    if proxy and not urllib.request.proxy_bypass(host):
        return proxy
    return None


class Routes:
    """A ``KeepAliveTransport`` per route (direct, or each proxy), chosen per origin and kept."""

    def __init__(
        self,
        verify: Verify = True,
        max_connections: int = 20,
        transport: Optional[httpx.AsyncBaseTransport] = None,
    ) -> None:
        if isinstance(verify, str):
            verify = ssl.create_default_context(cafile=verify)
        self._verify = verify
        self._limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        self._fixed = transport  # tests: one transport for every origin
        self._by_origin: Dict[Tuple[str, str, Optional[int]], httpx.AsyncBaseTransport] = {}
        self._by_proxy: Dict[Optional[str], httpx.AsyncBaseTransport] = {}

    def for_url(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        if self._fixed is not None:
            return self._fixed
        origin = (url.scheme, url.host, url.port)
        route = self._by_origin.get(origin)
        if route is None:
            proxy = proxy_for(url)
            route = self._by_proxy.get(proxy)
            if route is None:
                route = self._by_proxy[proxy] = KeepAliveTransport(
                    verify=self._verify, limits=self._limits, proxy=proxy, trust_env=True
                )
            self._by_origin[origin] = route
        return route

    async def aclose(self) -> None:
        for transport in list(self._by_proxy.values()) + ([self._fixed] if self._fixed else []):
            await transport.aclose()
        self._by_proxy.clear()
        self._by_origin.clear()
