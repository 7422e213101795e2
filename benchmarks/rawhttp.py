"""A lean HTTP/1.1 keep-alive client on asyncio streams, for load generation.

httpx's async connection pool costs the load generator several milliseconds of CPU per
request at concurrency 32 on a small machine, which would measure the load generator,
not the servers. Requests are still built by httpx (``httpx.Request``) and, for the
emulator, signed by ``AkSkAuth`` exactly as the product signs them; only the bytes are
sent and read here.
"""
from __future__ import annotations

import asyncio
import socket
from typing import Optional, Tuple

import httpx


def serialize(request: httpx.Request, auth: Optional[httpx.Auth] = None) -> bytes:
    """The wire bytes of ``request`` (signed by ``auth`` first, when given)."""
    if auth is not None:
        request = next(auth.auth_flow(request))
    request.read()
    head = [f"{request.method} {request.url.raw_path.decode('ascii')} HTTP/1.1"]
    head += [f"{k.decode('latin-1')}: {v.decode('latin-1')}" for k, v in request.headers.raw]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + request.content


class Connection:
    """One keep-alive connection: ``await send(raw)`` returns (status, body); ``last_head`` the headers."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self.last_head = b""  # the status line and headers of the last answer

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
        status_line = await self._reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        close = False
        head = [status_line]
        while True:
            line = await self._reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            head.append(line)
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value.strip())
            elif name == b"transfer-encoding":
                raise ValueError("chunked answers are not supported by this client")
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self._reader.readexactly(length) if length else b""
        self.last_head = b"".join(head)
        if close:
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
