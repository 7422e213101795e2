"""``Holding``: a forwarder between a client and the emulator on loopback, for lost and late answers.

It passes requests on unchanged (signatures stay valid: the Host header is kept) and, for
the method a test names, either holds the emulator's answer back (the request is applied
upstream, its answer comes late) or swallows the request (never applied).
"""
from __future__ import annotations

import asyncio
from typing import Dict, List

import httpx


class Holding:
    """Forwards to ``upstream``; the first ``times`` requests of ``method`` are held or swallowed."""

    def __init__(self, upstream: str, method: str, mode: str, times: int = 1, hold: float = 3.0) -> None:
        self.upstream, self.method, self.mode, self.times, self.hold = upstream, method, mode, times, hold
        self.seen: List[str] = []

    async def __aenter__(self) -> "Holding":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        self.http = httpx.AsyncClient(trust_env=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        await self.http.aclose()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers: Dict[str, str] = dict(line.split(": ", 1) for line in lines[1:] if line)
                length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
                body = await reader.readexactly(length)
                self.seen.append(method)
                targeted = method == self.method and self.times > 0
                if targeted:
                    self.times -= 1
                if targeted and self.mode == "swallow":
                    await asyncio.sleep(self.hold)
                    return
                answer = await self.http.request(method, self.upstream + target, headers=headers, content=body)
                if targeted:
                    await asyncio.sleep(self.hold)  # applied upstream; the answer comes too late
                out = [f"HTTP/1.1 {answer.status_code} X", f"Content-Length: {len(answer.content)}",
                       "Content-Type: application/json", f"Date: {answer.headers['Date']}", "", ""]
                writer.write("\r\n".join(out).encode() + answer.content)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
