"""``AsyncModelArtsClient`` on httpx against scripted HTTP servers on loopback: framing, keep-alive,
failures, size and shape of answers, TLS.
"""

from __future__ import annotations

import asyncio
import gzip
import ssl
import zlib
from pathlib import Path

import pytest
from scripted_http import JSON_OK, Scripted, json_answer, make_certificate
from waiting import until

from jupyter_devenv.modelarts.auth import TokenAuth
from jupyter_devenv.modelarts.client import AsyncModelArtsClient
from jupyter_devenv.modelarts.errors import DevEnvError

MALFORMED = "DEVENV.UPSTREAM_MALFORMED"


def client_for(server: Scripted, **kwargs) -> AsyncModelArtsClient:
    kwargs.setdefault("retries", 0)
    kwargs.setdefault("timeout", 5.0)
    return AsyncModelArtsClient(server.url, "p", TokenAuth("t"), **kwargs)


async def call(client: AsyncModelArtsClient, method: str = "GET", body=None):
    return (await client.request(method, "/v1/p/x", body)).data


def run(main) -> None:
    asyncio.run(main())


def test_keep_alive_reuses_one_connection_and_sends_the_body():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK) as server:
            client = client_for(server)
            for i in range(5):
                assert await call(client, "PUT", {"description": f"d{i}"}) == {"ok": True}
            await client.aclose()
        assert server.connections == 1
        assert server.requests[-1].endswith(b'{"description":"d4"}')

    run(main)


def test_an_extra_answer_on_a_pooled_connection_is_never_taken_for_the_next_one():
    """A server that writes two answers to one request cannot make the next request read the second."""
    smuggled = json_answer(b'{"who": "SMUGGLED"}')

    def reply(request: bytes, n: int) -> bytes:
        name = request.split(b" ")[1].rsplit(b"/", 1)[-1]
        answer = json_answer(b'{"who": "%s"}' % name)
        return answer + smuggled if name == b"A" else answer

    async def main() -> None:
        async with Scripted(reply) as server:
            client = client_for(server)
            seen = []
            for name in ("A", "B", "C"):
                try:
                    seen.append((await client.request("GET", f"/v1/p/{name}")).data["who"])
                except DevEnvError as error:
                    seen.append(error.error_code)
            await client.aclose()
        assert seen[0] == "A"
        assert "SMUGGLED" not in seen
        assert seen[2] == "C"  # never another request's answer

    run(main)


def test_chunked_answer_is_joined():
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b'5\r\n{"a":\r\n4;ext=1\r\n 1}\n\r\n0\r\nX-T: 1\r\n\r\n'
    )

    async def main() -> None:
        async with Scripted(lambda req, n: chunked) as server:
            client = client_for(server)
            assert await call(client) == {"a": 1}
            assert await call(client) == {"a": 1}  # framing kept: reusable
            await client.aclose()
        assert server.connections == 1

    run(main)


def test_answers_delimited_by_close_are_read_and_not_reused():
    answers = [
        b'HTTP/1.0 200 OK\r\n\r\n{"until": "close"}',
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
    ]

    async def main() -> None:
        async with Scripted(lambda req, n: answers[n % 2], hang_up=True) as server:
            client = client_for(server)
            assert await call(client) == {"until": "close"}
            assert await call(client) == {}
            assert await call(client) == {"until": "close"}
            await client.aclose()
        assert server.connections == 3

    run(main)


def test_gzip_answer_is_decoded_and_informational_answers_skipped():
    body = gzip.compress(b'{"a": 1}')
    answer = (
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body

    async def main() -> None:
        async with Scripted(lambda req, n: answer) as server:
            client = client_for(server)
            assert await call(client) == {"a": 1}
            await client.aclose()

    run(main)


def test_a_gzip_bomb_stops_at_the_cap():
    """64 KiB of gzip that would inflate to 64 MiB: refused as malformed, reading stopped at the cap."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = squeezer.compress(b"{" + b" " * (64 * 1024 * 1024)) + squeezer.flush()
    assert len(bomb) < 80 * 1024
    answer = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(bomb), bomb)

    async def main() -> None:
        async with Scripted(lambda req, n: answer) as server:
            client = client_for(server)
            with pytest.raises(DevEnvError) as caught:
                await call(client)
            await client.aclose()
        assert caught.value.error_code == MALFORMED and caught.value.status == 502
        assert "1024 KiB" in caught.value.error_msg

    run(main)


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: +1_0\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\n{}\r\n0\r\n\r\n",
        b"SSH-2.0-OpenSSH\r\n\r\n",
    ],
    ids=["two-lengths", "odd-length", "hex-prefixed-chunk", "not-http"],
)
def test_lenient_framing_is_refused_as_malformed(head):
    async def main() -> None:
        async with Scripted(lambda req, n: head, hang_up=True) as server:
            client = client_for(server)
            with pytest.raises(DevEnvError) as caught:
                await call(client)
            await client.aclose()
        assert caught.value.error_code == MALFORMED and caught.value.status == 502

    run(main)


@pytest.mark.parametrize(
    "body", [b"[]", b"null", b'"text"', b"42", b'{"a": NaN}', b'{"a": Infinity}', b"{oops"]
)
def test_answers_that_are_not_a_json_object_are_malformed(body):
    async def main() -> None:
        async with Scripted(lambda req, n: json_answer(body)) as server:
            client = client_for(server)
            with pytest.raises(DevEnvError) as caught:
                await call(client)
            await client.aclose()
        assert caught.value.error_code == MALFORMED and caught.value.status == 502

    run(main)


def test_a_connection_the_server_closed_while_idle_is_replaced():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK, hang_up=True) as server:
            client = client_for(server)
            for closed in range(1, 4):
                assert await call(client) == {"ok": True}
                assert await until(lambda closed=closed: server.closed == closed)  # the hang-up reached it
            await client.aclose()
        assert server.connections == 3

    run(main)


@pytest.mark.parametrize(
    "reply,code",
    [
        (None, "DEVENV.UPSTREAM_UNREACHABLE"),  # closed without answering
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "DEVENV.UPSTREAM_UNREACHABLE"),  # cut short
    ],
    ids=["no-answer", "cut-short"],
)
def test_broken_answers_are_502(reply, code):
    async def main() -> None:
        async with Scripted(lambda req, n: reply, hang_up=True) as server:
            client = client_for(server)
            with pytest.raises(DevEnvError) as caught:
                await call(client)
            await client.aclose()
        assert caught.value.error_code == code and caught.value.status == 502

    run(main)


def test_a_timeout_closes_the_connection_and_the_next_call_works():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK if n else None, delay=0.5) as server:
            client = client_for(server, timeout=0.1)
            with pytest.raises(DevEnvError) as caught:
                await call(client)
            assert caught.value.error_code == "DEVENV.UPSTREAM_TIMEOUT" and caught.value.status == 504
            client.timeout = 5.0
            assert await call(client) == {"ok": True}
            await client.aclose()
        assert server.connections == 2

    run(main)


def test_connection_refused_is_unreachable():
    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK) as server:
            url = server.url
        client = AsyncModelArtsClient(url, "p", TokenAuth("t"), retries=0)
        with pytest.raises(DevEnvError) as caught:
            await client.request("GET", "/v1/p/x")
        await client.aclose()
        assert (
            caught.value.error_code == "DEVENV.UPSTREAM_UNREACHABLE" and "endpoint" in caught.value.error_msg
        )

    run(main)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    folder = make_certificate(tmp_path_factory.mktemp("tls"))
    if folder is None:
        pytest.skip("openssl is needed to make a test certificate")
    return folder


def test_https_is_verified(certificate):
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")

    async def main() -> None:
        async with Scripted(lambda req, n: JSON_OK, tls=server_tls) as server:
            untrusting = client_for(server)
            with pytest.raises(DevEnvError) as caught:  # not signed by a known CA
                await call(untrusting)
            assert caught.value.error_code == "DEVENV.UPSTREAM_UNREACHABLE"
            await untrusting.aclose()
            trusting = client_for(server, verify=str(certificate / "cert.pem"))
            assert await call(trusting) == {"ok": True}
            await trusting.aclose()

    run(main)
