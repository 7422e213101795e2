"""Relays on loopback between a client and the emulator, passing requests on unchanged.

``Holding``, for the method a test names, holds the emulator's answer back (the request
is applied upstream, its answer comes late) or swallows the request (never applied);
``ForwardProxy`` is a forward proxy that records what it was asked for.
"""

from __future__ import annotations

import asyncio
from typing import Dict, List, Optional, Tuple

import httpx


class Relay:
    """A loopback HTTP/1.1 server that reads each request whole and passes it to ``relay``.

    ``relay`` answers with the bytes to write back, or None to hang up. ``forward`` sends
    a request on as it came (its Host header kept, so a signature stays valid).
    """

    async def __aenter__(self) -> "Relay":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        self.http = httpx.AsyncClient(trust_env=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        await self.http.aclose()

    async def relay(self, method: str, target: str, headers: Dict[str, str], body: bytes) -> Optional[bytes]:
        raise NotImplementedError

    async def forward(
        self, method: str, url: str, headers: Dict[str, str], body: bytes, keep: Tuple[str, ...] = ("date",)
    ) -> bytes:
        answer = await self.http.request(method, url, headers=headers, content=body)
        out = [
            f"HTTP/1.1 {answer.status_code} X",
            f"Content-Length: {len(answer.content)}",
            "Content-Type: application/json",
        ]
        out += [f"{k}: {v}" for k, v in answer.headers.items() if k.lower() in keep]
        return "\r\n".join(out + ["", ""]).encode() + answer.content

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: Dict[str, str] = dict(line.split(": ", 1) for line in lines[1:] if line)
                length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
                answer = await self.relay(method, target, headers, await reader.readexactly(length))
                if answer is None:
                    return
                writer.write(answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class Holding(Relay):
    """Forwards to ``upstream``; the first ``times`` requests of ``method`` are held or swallowed."""

    def __init__(self, upstream: str, method: str, mode: str, times: int = 1, hold: float = 3.0) -> None:
        self.upstream, self.method, self.mode, self.times, self.hold = upstream, method, mode, times, hold
        self.seen: List[str] = []

    async def relay(self, method: str, target: str, headers: Dict[str, str], body: bytes) -> Optional[bytes]:
        self.seen.append(method)
        targeted = method == self.method and self.times > 0
        if targeted:
            self.times -= 1
        if targeted and self.mode == "swallow":
            await asyncio.sleep(self.hold)
            return None
        answer = await self.forward(method, self.upstream + target, headers, body)
        if targeted:
            await asyncio.sleep(self.hold)  # applied upstream; the answer comes too late
        return answer


class ForwardProxy(Relay):
    """A plain-HTTP forward proxy that records the absolute URLs it was asked for."""

    def __init__(self) -> None:
        self.urls: List[str] = []

    async def relay(self, method: str, target: str, headers: Dict[str, str], body: bytes) -> Optional[bytes]:
        self.urls.append(target)
        return await self.forward(method, target, headers, body, keep=("x-subject-token", "date"))
