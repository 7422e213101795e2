"""One deadline per call, and writes whose answer was lost are not applied twice.

A ``Holding`` forwarder (``forwarding.py``) sits between the client and the emulator and
holds a write's answer back past the client's budget (applied, answer lost) or swallows
the write (never applied).
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from forwarding import Holding

from jupyter_devenv.modelarts.auth import AkSkAuth
from jupyter_devenv.modelarts.client import AsyncModelArtsClient
from jupyter_devenv.modelarts.errors import DevEnvError


def count(emulator, method: str, fragment: str = "") -> int:
    stats = httpx.get(emulator.url + "/_emulator/stats").json()["requests"]
    return sum(n for k, n in stats.items() if k.startswith(method + " ") and fragment in k)


def client_via(url: str, emulator, **kwargs) -> AsyncModelArtsClient:
    emu = emulator.emulator
    kwargs.setdefault("backoff", 0.01)
    return AsyncModelArtsClient(
        url, emu.project_id, AkSkAuth(emu.access_key, emu.secret_key, emu.project_id), **kwargs
    )


def test_the_timeout_bounds_the_whole_call_with_its_retries(emulator):
    """Upstream slower than the budget: one budget for the call, not one per attempt."""
    httpx.post(emulator.url + "/_emulator/faults", json={"latency": 0.8})
    client = client_via(emulator.url, emulator, timeout=1.0, retries=3)

    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(DevEnvError) as caught:
            await client.get_instance(emulator.emulator.seed_ids["demanager_running"])
        await client.aclose()
        assert caught.value.error_code == "DEVENV.UPSTREAM_TIMEOUT"
        return time.monotonic() - started

    elapsed = asyncio.run(main())
    assert elapsed < 1.8  # per-attempt timeouts would take about (1 + retries) x 1.0 s


@pytest.mark.parametrize("mode,sent_upstream", [("hold", 1), ("swallow", 1)])
def test_a_put_whose_answer_was_lost_is_applied_once(emulator, mode, sent_upstream):
    iid = emulator.emulator.seed_ids["demanager_running"]
    body = {"description": f"lost answer {mode}", "spec": {"auto_stop": {"prompt": False}}}

    async def main() -> dict:
        async with Holding(emulator.url, "PUT", mode) as forwarder:
            client = client_via(forwarder.url, emulator, timeout=2.0, retries=2)
            answer = await client.update_instance(iid, body)
            await client.aclose()
            # hold: PUT (answer lost), GET (it is there); swallow: PUT (lost), GET (not there), PUT again
            assert forwarder.seen == (["PUT", "GET"] if mode == "hold" else ["PUT", "GET", "PUT"])
        return answer.data

    data = asyncio.run(main())
    assert data["description"] == body["description"] and data["spec"]["auto_stop"]["prompt"] is False
    assert count(emulator, "PUT") == sent_upstream


def test_a_renewal_whose_answer_was_lost_is_not_renewed_again(emulator):
    nb = emulator.emulator.seed_ids["notebooks_running"]

    async def main() -> dict:
        async with Holding(emulator.url, "PATCH", "hold") as forwarder:
            client = client_via(forwarder.url, emulator, timeout=2.0, retries=2)
            answer = await client.renew_lease(nb, 7200)
            await client.aclose()
            assert forwarder.seen == ["PATCH", "GET"]
        return answer.data

    lease = asyncio.run(main())["lease"]
    assert count(emulator, "PATCH", "/lease") == 1
    assert abs(lease["create_at"] + lease["duration"] - (emulator.emulator.clock.now_ms() + 7_200_000)) < 3000


def test_a_renewal_that_never_arrived_is_sent_again(emulator):
    nb = emulator.emulator.seed_ids["notebooks_running"]

    async def main() -> None:
        async with Holding(emulator.url, "PATCH", "swallow") as forwarder:
            client = client_via(forwarder.url, emulator, timeout=2.0, retries=2)
            await client.renew_lease(nb, 7200)
            await client.aclose()
            assert forwarder.seen == ["PATCH", "GET", "PATCH"]

    asyncio.run(main())
    assert count(emulator, "PATCH", "/lease") == 1


def test_when_the_check_cannot_be_made_the_write_is_not_sent_again(emulator):
    """The PUT's answer is lost and so is the read that would tell: report, do not re-send."""
    iid = emulator.emulator.seed_ids["demanager_running"]

    async def main() -> DevEnvError:
        async with Holding(emulator.url, "PUT", "hold") as forwarder:
            forwarder.method, forwarder.times = "PUT", 1
            client = client_via(forwarder.url, emulator, timeout=1.0, retries=2)
            original = forwarder._serve

            async def no_reads(reader, writer):  # every connection after the PUT's hangs up at once
                if forwarder.seen:
                    writer.close()
                    return
                await original(reader, writer)

            forwarder.server.close()
            forwarder.server = await asyncio.start_server(
                no_reads, "127.0.0.1", int(forwarder.url.rsplit(":", 1)[1])
            )
            with pytest.raises(DevEnvError) as caught:
                await client.update_instance(iid, {"description": "unconfirmed"})
            await client.aclose()
            return caught.value

    error = asyncio.run(main())
    assert error.status == 504 and "may or may not have been applied" in error.error_msg
    assert count(emulator, "PUT") == 1
