"""One keep-alive connection sending pre-built requests, for load generation.

Requests are built by httpx (``httpx.Request``) and, for the emulator, signed by
``AkSkAuth`` exactly as the product signs them, then turned into bytes ahead of time, so
that the load generator's own cost stays out of what is measured. The bytes are sent and
the answers read by the product's transport code (``jupyter_devenv.modelarts.transport``).
"""
from __future__ import annotations

import asyncio
import socket
from typing import Optional, Tuple

import httpx

from jupyter_devenv.modelarts import transport


def serialize(request: httpx.Request, auth: Optional[httpx.Auth] = None) -> bytes:
    """The wire bytes of ``request`` (signed by ``auth`` first, when given)."""
    if auth is not None:
        request = next(auth.sync_auth_flow(request))
    request.read()
    return transport.serialize(request)


class Connection:
    """One keep-alive connection: ``await send(raw)`` returns (status, body); ``last_head`` the headers."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: Optional[asyncio.StreamReader] = None
        self._writer: Optional[asyncio.StreamWriter] = None
        self.last_head = b""  # the headers of the last answer, as sent

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
        status, _, headers, body, keep = await transport.read_answer(self._reader, raw.split(b" ", 1)[0].decode())
        self.last_head = b"".join(b"%s: %s\r\n" % pair for pair in headers)
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
