"""``StreamTransport``: a lean HTTP/1.1 transport for httpx on asyncio streams.

httpx's default async transport (httpcore on anyio) costs about a millisecond of CPU
per request on a small machine, more than the rest of a proxied call. This one keeps a
pool of keep-alive connections per origin, sends each request in one write and reads
the answer with plain ``asyncio`` streams. httpx still builds, authenticates and decodes
(``Content-Encoding``) requests and answers; failures are raised as the httpx exceptions
the client already maps (``ConnectError``, ``ReadTimeout``, ``RemoteProtocolError``...).

HTTP/1.1 only, no proxy: ``AsyncDevEnvClient`` uses httpx's own transport when an
environment proxy applies to the endpoint.
"""
from __future__ import annotations

import asyncio
import socket
import ssl
import urllib.request
from typing import Dict, List, Optional, Tuple

import httpx

Origin = Tuple[bytes, str, int]
MAX_HEAD = 64 * 1024  # bytes of status line plus headers
MAX_BODY = 16 * 1024 * 1024  # an instance object is a few KB; anything near this is not ModelArts


class _Connection:
    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def reusable(self) -> bool:
        return not self.reader.at_eof() and not self.writer.is_closing()

    def close(self) -> None:
        self.writer.close()


def _timeout(request: httpx.Request, name: str) -> Optional[float]:
    return request.extensions.get("timeout", {}).get(name)


def serialize(request: httpx.Request) -> bytes:
    """The wire bytes of a request whose body is read (``request.content``)."""
    lines = [b"%s %s HTTP/1.1" % (request.method.encode("ascii"), request.url.raw_path)]
    lines += [b"%s: %s" % pair for pair in request.headers.raw]
    return b"\r\n".join(lines) + b"\r\n\r\n" + request.content


class StreamTransport(httpx.AsyncBaseTransport):
    """Keep-alive HTTP/1.1 over asyncio streams, at most ``max_connections`` per origin."""

    def __init__(self, max_connections: int = 20, ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self._max = max_connections
        self._ssl = ssl_context
        self._idle: Dict[Origin, List[_Connection]] = {}
        self._slots: Dict[Origin, asyncio.Semaphore] = {}

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:  # httpx's: certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    async def _open(self, origin: Origin, request: httpx.Request) -> _Connection:
        scheme, host, port = origin
        tls = self._ssl_context() if scheme == b"https" else None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=tls, limit=MAX_HEAD),
                _timeout(request, "connect"))
        except asyncio.TimeoutError:
            raise httpx.ConnectTimeout(f"connecting to {host}:{port} timed out", request=request) from None
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(f"{type(exc).__name__} connecting to {host}:{port}",
                                     request=request) from None
        sock = writer.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Connection(reader, writer)

    def _checkout(self, origin: Origin) -> Optional[_Connection]:
        idle = self._idle.get(origin)
        while idle:
            conn = idle.pop()
            if conn.reusable():
                return conn
            conn.close()
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        origin: Origin = (url.raw_scheme, url.raw_host.decode("ascii"), url.port or (443 if url.raw_scheme == b"https" else 80))
        await request.aread()
        raw = serialize(request)
        slots = self._slots.setdefault(origin, asyncio.Semaphore(self._max))
        try:
            await asyncio.wait_for(slots.acquire(), _timeout(request, "pool"))
        except asyncio.TimeoutError:
            raise httpx.PoolTimeout("no free connection in time", request=request) from None
        try:
            conn = self._checkout(origin) or await self._open(origin, request)
            return await self._exchange(conn, origin, request, raw)
        finally:
            slots.release()

    async def _exchange(self, conn: _Connection, origin: Origin, request: httpx.Request,
                        raw: bytes) -> httpx.Response:
        """Send ``raw`` on ``conn`` and read the answer; the connection is pooled or closed after."""
        try:
            conn.writer.write(raw)
            status, reason, headers, content, keep = await asyncio.wait_for(
                read_answer(conn.reader, request.method), _timeout(request, "read"))
        except asyncio.TimeoutError:
            conn.close()
            raise httpx.ReadTimeout("ModelArts did not answer in time", request=request) from None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            conn.close()
            raise httpx.RemoteProtocolError(f"bad or broken answer ({type(exc).__name__})",
                                            request=request) from None
        if keep:
            self._idle.setdefault(origin, []).append(conn)
        else:
            conn.close()
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(content),
                              extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason})

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()


async def read_answer(reader: asyncio.StreamReader, method: str
                      ) -> Tuple[int, bytes, List[Tuple[bytes, bytes]], bytes, bool]:
    """Status, reason, headers, body and whether the connection may be reused."""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection without answering")
        version, _, rest = line.rstrip(b"\r\n").partition(b" ")
        code, _, reason = rest.partition(b" ")
        if not version.startswith(b"HTTP/1.") or not code.isdigit():
            raise ValueError("not an HTTP/1.x status line")
        status = int(code)
        headers = await _read_headers(reader)
        if status >= 200:
            break  # 1xx informational answers precede the real one
    fields = {name.lower(): value for name, value in headers}
    keep = version == b"HTTP/1.1" and fields.get(b"connection", b"").lower() != b"close"
    if method == "HEAD" or status in (204, 304):
        return status, reason, headers, b"", keep
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        return status, reason, headers, await _read_chunked(reader), keep
    if b"content-length" in fields:
        length = int(fields[b"content-length"])
        if not 0 <= length <= MAX_BODY:
            raise ValueError("Content-Length out of range")
        return status, reason, headers, await reader.readexactly(length), keep
    return status, reason, headers, await _read_to_close(reader), False


async def _read_to_close(reader: asyncio.StreamReader) -> bytes:
    parts: List[bytes] = []
    total = 0
    while True:
        part = await reader.read(65536)
        if not part:
            return b"".join(parts)
        total += len(part)
        if total > MAX_BODY:
            raise ValueError("answer too large")
        parts.append(part)


async def _read_headers(reader: asyncio.StreamReader) -> List[Tuple[bytes, bytes]]:
    headers: List[Tuple[bytes, bytes]] = []
    size = 0
    while True:
        line = await reader.readline()
        size += len(line)
        if size > MAX_HEAD:
            raise ValueError("answer headers too large")
        if line in (b"\r\n", b"\n"):
            return headers
        if not line.endswith(b"\n"):
            raise asyncio.IncompleteReadError(line, None)
        name, sep, value = line.partition(b":")
        if not sep:
            raise ValueError("malformed header line")
        headers.append((name.strip(), value.strip()))


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: List[bytes] = []
    total = 0
    while True:
        size = int((await reader.readline()).split(b";", 1)[0].strip(), 16)
        if size == 0:
            await _read_headers(reader)  # trailers
            return b"".join(parts)
        total += size
        if total > MAX_BODY:
            raise ValueError("chunked answer too large")
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


def for_endpoint(endpoint: str, max_connections: int = 20) -> httpx.AsyncBaseTransport:
    """A ``StreamTransport``, or httpx's own through the proxy the environment sets for ``endpoint``."""
    url = httpx.URL(endpoint)
    scheme = url.scheme
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if proxy and not urllib.request.proxy_bypass(url.host):
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        return httpx.AsyncHTTPTransport(proxy=proxy, limits=limits)
    return StreamTransport(max_connections)
