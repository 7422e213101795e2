"""One keep-alive connection sending pre-built requests, for load generation.

Requests are built by httpx (``httpx.Request``) and, for the emulator, signed by
``AkSkAuth`` exactly as the product signs them, then turned into wire bytes ahead of time
by h11 (which checks the method, target and headers), so that the load generator's own
cost stays out of what is measured. Answers are read by ``read_answer``, a small strict
HTTP/1.1 reader: status line, headers, then a body framed by ``Content-Length``, chunked,
or (HTTP/1.0 style) by the end of the connection; anything else is a ``ProtocolError``.
"""

from __future__ import annotations

import asyncio
import re
import socket
from typing import Dict, Optional, Tuple

import h11
import httpx

STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([1-5][0-9][0-9])(?: [^\r\n]*)?")
HEADER = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*?)[ \t]*")


class ProtocolError(Exception):
    """An answer that is not well-formed HTTP/1.1."""


def serialize(request: httpx.Request, auth: Optional[httpx.Auth] = None) -> bytes:
    """The wire bytes of ``request`` (signed by ``auth`` first, when given)."""
    if auth is not None:
        request = next(auth.sync_auth_flow(request))
    body = request.read()
    conn = h11.Connection(h11.CLIENT)
    head = h11.Request(method=request.method, target=request.url.raw_path, headers=request.headers.raw)
    out = conn.send(head)
    if body:
        out += conn.send(h11.Data(data=body))
    return out + conn.send(h11.EndOfMessage())


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size_line = (await reader.readuntil(b"\r\n"))[:-2].split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", size_line):
            raise ProtocolError(f"bad chunk size {size_line[:20]!r}")
        size = int(size_line, 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers, if any
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ProtocolError("chunk not followed by CRLF")


async def read_answer(reader: asyncio.StreamReader, method: str) -> Tuple[int, bytes, bytes, bool]:
    """(status, head, body, keep-alive) of the next answer to a ``method`` request; ``head`` is
    the header lines as sent. Raises ``asyncio.IncompleteReadError`` if the connection ends first."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, _, header_block = head[:-4].partition(b"\r\n")
    match = STATUS_LINE.fullmatch(status_line)
    if match is None:
        raise ProtocolError(f"bad status line {status_line[:80]!r}")
    status = int(match.group(2))
    if status < 200:
        raise ProtocolError(f"interim answer {status}: not expected, nothing here asks for one")
    headers: Dict[bytes, bytes] = {}
    for line in header_block.split(b"\r\n") if header_block else ():
        field = HEADER.fullmatch(line)
        if field is None:
            raise ProtocolError(f"bad header line {line[:80]!r}")
        name = field.group(1).lower()
        headers[name] = headers[name] + b", " + field.group(2) if name in headers else field.group(2)
    connection = headers.get(b"connection", b"").lower()
    keep = b"close" not in connection if match.group(1) == b"1" else b"keep-alive" in connection
    encoding = headers.get(b"transfer-encoding", b"").lower()
    length = headers.get(b"content-length")
    if method == "HEAD" or status in (204, 304):
        body = b""
    elif encoding:
        if encoding != b"chunked" or length is not None:
            raise ProtocolError(f"Transfer-Encoding {encoding!r} (with Content-Length {length!r})")
        body = await _chunked(reader)
    elif length is not None:
        if not length.isdigit():
            raise ProtocolError(f"bad Content-Length {length!r}")
        body = await reader.readexactly(int(length))
    else:
        body, keep = await reader.read(), False
    return status, head[len(status_line) + 2 :], body, keep


class Connection:
    """One keep-alive connection: ``await send(raw)`` returns (status, body); ``last_head`` the headers."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self.last_head = b""  # the header lines of the last answer, as sent

    async def open(self) -> "Connection":
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        sock = self._writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self

    async def send(self, raw: bytes) -> Tuple[int, bytes]:
        if self._writer is None:
            await self.open()
        assert self._reader is not None and self._writer is not None
        self._writer.write(raw)
        status, self.last_head, body, keep = await read_answer(self._reader, raw[: raw.index(b" ")].decode())
        if not keep:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self._reader = self._writer = None
