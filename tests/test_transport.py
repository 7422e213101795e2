"""``StreamTransport`` against scripted HTTP servers on loopback: framing, keep-alive, failures, TLS."""
from __future__ import annotations

import asyncio
import gzip
import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Awaitable, Callable, List, Optional

import httpx
import pytest

from jupyter_devenv.modelarts.transport import StreamTransport, for_endpoint

JSON_OK = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"ok": true}'
Answer = Callable[[bytes, int], Optional[bytes]]  # (request bytes, connection number) -> answer, or None to hang up


class Scripted:
    """A loopback server that reads each request whole and writes what ``answer`` gives."""

    def __init__(self, answer: Answer, tls: Optional[ssl.SSLContext] = None, delay: float = 0.0,
                 hang_up: bool = False) -> None:
        self.answer, self.tls, self.delay, self.hang_up = answer, tls, delay, hang_up
        self.connections = 0
        self.requests: List[bytes] = []

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
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                await asyncio.sleep(self.delay)
                reply = self.answer(request, number)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if self.hang_up:
                    break
        except (asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
            pass
        finally:
            writer.close()


def run(main: Callable[[], Awaitable[object]]) -> object:
    return asyncio.run(main())


async def _get(transport: StreamTransport, port: int, scheme: str = "http", method: str = "GET",
               timeout: float = 5.0, **kwargs: object) -> httpx.Response:
    request = httpx.Request(method, f"{scheme}://127.0.0.1:{port}/v1/p/x", **kwargs)  # type: ignore[arg-type]
    request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
    response = await transport.handle_async_request(request)
    await response.aread()
    return response


def test_keep_alive_reuses_one_connection_and_sends_the_body():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK) as server:
            transport = StreamTransport()
            for i in range(5):
                answer = await _get(transport, server.port, method="PUT", json={"description": f"d{i}"})
                assert answer.json() == {"ok": True}
            await transport.aclose()
        assert server.connections == 1
        assert server.requests[-1].endswith(b'{"description":"d4"}')
        assert b"\r\nContent-Length: 20\r\n" in server.requests[-1]
    run(main)


def test_chunked_answer_is_joined():
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-T: 1\r\n\r\n"

    async def main() -> None:
        async with Scripted(lambda req, n: chunked) as server:
            transport = StreamTransport()
            assert (await _get(transport, server.port)).content == b"hello world"
            assert (await _get(transport, server.port)).content == b"hello world"  # framing kept: reusable
            await transport.aclose()
        assert server.connections == 1
    run(main)


def test_answer_delimited_by_close_and_connection_close_are_not_reused():
    answers = [b"HTTP/1.0 200 OK\r\n\r\nuntil close", b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"]

    async def main() -> None:
        async with Scripted(lambda req, n: answers[n % 2], hang_up=True) as server:
            transport = StreamTransport()
            assert (await _get(transport, server.port)).content == b"until close"
            assert (await _get(transport, server.port)).content == b"ok"
            assert (await _get(transport, server.port)).content == b"until close"
            await transport.aclose()
        assert server.connections == 3
    run(main)


def test_gzip_answer_is_decoded_and_informational_answers_skipped():
    body = gzip.compress(b'{"a": 1}')
    answer = (b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body)) + body

    async def main() -> None:
        async with Scripted(lambda req, n: answer) as server:
            transport = StreamTransport()
            assert (await _get(transport, server.port)).json() == {"a": 1}
            await transport.aclose()
    run(main)


def test_a_connection_the_server_closed_while_idle_is_replaced():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK, hang_up=True) as server:
            transport = StreamTransport()
            for _ in range(3):
                assert (await _get(transport, server.port)).json() == {"ok": True}
                await asyncio.sleep(0.05)  # the hang-up reaches the idle connection
            await transport.aclose()
        assert server.connections == 3
    run(main)


@pytest.mark.parametrize("reply,match", [(None, "without answering"), (b"SSH-2.0-OpenSSH\r\n\r\n", "ValueError"),
                                         (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "Incomplete")])
def test_broken_answers_raise_remote_protocol_error(reply, match):
    async def main() -> None:
        async with Scripted(lambda req, n: reply, hang_up=True) as server:
            transport = StreamTransport()
            with pytest.raises(httpx.RemoteProtocolError) as caught:
                await _get(transport, server.port, timeout=1.0)
            await transport.aclose()
        assert match in str(caught.value) or reply is None
    run(main)


def test_read_timeout_closes_the_connection():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK, delay=0.5) as server:
            transport = StreamTransport()
            with pytest.raises(httpx.ReadTimeout):
                await _get(transport, server.port, timeout=0.1)
            await asyncio.sleep(0.5)
            assert (await _get(transport, server.port)).json() == {"ok": True}
            await transport.aclose()
        assert server.connections == 2
    run(main)


def test_connection_refused_is_a_connect_error():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK) as server:
            port = server.port
        with pytest.raises(httpx.ConnectError):
            await _get(StreamTransport(), port)
    run(main)


def test_environment_proxy_uses_httpx_transport(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(for_endpoint("https://modelarts.example.com"), StreamTransport)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.com:3128")
    assert isinstance(for_endpoint("https://modelarts.example.com"), httpx.AsyncHTTPTransport)
    assert isinstance(for_endpoint("http://modelarts.example.com"), StreamTransport)
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert isinstance(for_endpoint("https://modelarts.example.com"), StreamTransport)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    return folder


def test_https_is_verified(certificate):
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")

    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK, tls=server_tls) as server:
            with pytest.raises(httpx.ConnectError, match="SSL"):  # not signed by a known CA
                await _get(StreamTransport(), server.port, scheme="https")
            trusting = StreamTransport(ssl_context=ssl.create_default_context(cafile=str(certificate / "cert.pem")))
            assert (await _get(trusting, server.port, scheme="https")).json() == {"ok": True}
            await trusting.aclose()
    run(main)
