"""``Scripted``: a loopback HTTP server that writes exactly the bytes a test gives, for framing tests."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Callable, List, Optional

Reply = Callable[
    [bytes, int], Optional[bytes]
]  # (request bytes, connection number) -> answer, or None to hang up

JSON_OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"ok": true}'


def json_answer(body: bytes, extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s" % (
        extra,
        len(body),
        body,
    )


class Scripted:
    """Reads each request whole and writes what ``reply`` gives, after ``delay`` seconds."""

    def __init__(
        self, reply: Reply, tls: Optional[ssl.SSLContext] = None, delay: float = 0.0, hang_up: bool = False
    ) -> None:
        self.reply, self.tls, self.delay, self.hang_up = reply, tls, delay, hang_up
        self.connections = 0
        self.closed = 0  # connections this server has closed
        self.requests: List[bytes] = []

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    async def __aenter__(self) -> "Scripted":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        number = self.connections
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                await asyncio.sleep(self.delay)
                answer = self.reply(request, number)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if self.hang_up:
                    break
        except (asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
            pass
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, asyncio.CancelledError):
                pass
            self.closed += 1


def make_certificate(folder: Path) -> Optional[Path]:
    """A self-signed certificate for 127.0.0.1 and localhost in ``folder``; None without openssl."""
    if shutil.which("openssl") is None:
        return None
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder
