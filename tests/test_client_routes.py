"""Upstream routes and shared work: proxies decided per origin, one IAM login for many calls,
and a sync client that leaves no thread behind.
"""

from __future__ import annotations

import asyncio
import threading
from typing import List

import httpx
import pytest
from forwarding import ForwardProxy

from jupyter_devenv.modelarts.auth import IamPasswordAuth
from jupyter_devenv.modelarts.client import AsyncModelArtsClient, ModelArtsClient

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


def _iam_client(modelarts: str, iam: str, emu) -> AsyncModelArtsClient:
    auth = IamPasswordAuth(iam, emu.iam_user, emu.iam_password, emu.iam_domain, emu.project_id)
    return AsyncModelArtsClient(modelarts, emu.project_id, auth, backoff=0.01)


def test_the_proxy_is_decided_per_origin(emulator, monkeypatch):
    """ModelArts through the proxy; IAM, named in NO_PROXY, direct: each origin on its own."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    emu, port = emulator.emulator, emulator.url.rsplit(":", 1)[1]

    async def main(proxy: ForwardProxy) -> None:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost")
        client = _iam_client(f"http://127.0.0.1:{port}", f"http://localhost:{port}", emu)
        await client.get_instance(emu.seed_ids["demanager_running"])
        await client.aclose()

    async def run() -> List[str]:
        async with ForwardProxy() as proxy:
            await main(proxy)
            return proxy.urls

    urls = asyncio.run(run())
    assert urls == [
        f"http://127.0.0.1:{port}/v1/{emu.project_id}/demanager/instances/{emu.seed_ids['demanager_running']}"
    ]
    stats = httpx.get(emulator.url + "/_emulator/stats", trust_env=False).json()["requests"]
    assert stats.get("POST /v3/auth/tokens") == 1  # the login went direct, not through the proxy


def test_concurrent_calls_share_one_iam_login(emulator):
    emu = emulator.emulator

    async def main() -> int:
        client = _iam_client(emulator.url, emulator.url, emu)
        iid = emu.seed_ids["demanager_running"]
        await asyncio.gather(*(client.get_instance(iid) for _ in range(20)))
        httpx.post(emulator.url + "/_emulator/faults", json={"expire_tokens": True})
        await asyncio.gather(*(client.get_instance(iid) for _ in range(20)))
        await client.aclose()
        return client._auth.logins  # type: ignore[attr-defined]

    assert asyncio.run(main()) == 2  # one at the start, one after the tokens expired
    stats = httpx.get(emulator.url + "/_emulator/stats").json()["requests"]
    assert stats.get("POST /v3/auth/tokens") == 2


def _client_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "modelarts-client")


def test_the_sync_client_ends_its_thread(emulator):
    emu = emulator.emulator
    before = _client_threads()
    with ModelArtsClient(
        emulator.url,
        emu.project_id,
        IamPasswordAuth(emulator.url, emu.iam_user, emu.iam_password, emu.iam_domain, emu.project_id),
    ) as client:
        client.get_instance(emu.seed_ids["demanager_running"])
        assert _client_threads() == before + 1
    assert _client_threads() == before
    client.close()  # a second close does nothing


def test_a_failed_construction_leaves_no_thread(tmp_path):
    before = _client_threads()
    with pytest.raises(OSError):
        ModelArtsClient(
            "https://modelarts.example.com",
            "p",
            IamPasswordAuth("", "u", "p", "d", "p"),
            verify=str(tmp_path / "missing-ca.pem"),
        )
    assert _client_threads() == before
