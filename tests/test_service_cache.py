"""``InstanceService``'s cache: unknown ids remembered, and no stale read over a newer write."""

from __future__ import annotations

import asyncio
import logging
import uuid

import httpx
from forwarding import Holding
from waiting import until

from jupyter_devenv.config import DevEnv
from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.modelarts.errors import DevEnvError
from jupyter_devenv.server.prompts import PromptStore
from jupyter_devenv.server.service import InstanceService


def service_for(endpoint: str, tmp_path, **settings) -> InstanceService:
    devenv = DevEnv(
        endpoint=endpoint,
        project_id=PROJECT_ID,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        request_timeout=5.0,
        **settings,
    )
    return InstanceService(devenv, PromptStore(str(tmp_path / "prompts.json")), logging.getLogger("test"))


def upstream_calls(emulator) -> int:
    return httpx.get(emulator.url + "/_emulator/stats").json()["total"]


def test_an_unknown_id_is_looked_up_once_per_cache_ttl(emulator, tmp_path):
    service = service_for(
        emulator.url,
        tmp_path,
        backend="auto",
        cache_ttl=30.0,
        allowed_instances=["*"],
        instance_id=emulator.emulator.seed_ids["demanager_running"],
    )
    unknown = str(uuid.UUID(int=7))

    async def main() -> None:
        for _ in range(5):
            try:
                await service.get_state(unknown)
            except DevEnvError as error:
                assert error.error_code == "ModelArts.6309"
            else:
                raise AssertionError("an unknown id gave a state")
        await service.close()

    before = upstream_calls(emulator)
    asyncio.run(main())
    assert upstream_calls(emulator) - before == 2  # both API generations asked, once


def test_a_read_that_began_before_a_write_does_not_replace_it(emulator, tmp_path):
    iid = emulator.emulator.seed_ids["demanager_running"]

    async def main() -> None:
        async with Holding(emulator.url, "GET", "hold", hold=1.0) as forwarder:
            service = service_for(
                forwarder.url, tmp_path, backend="demanager", instance_id=iid, cache_ttl=30.0
            )
            slow_read = asyncio.ensure_future(service.get_state("current"))
            assert await until(lambda: "GET" in forwarder.seen)  # the read is upstream, its answer held back
            written = await service.update("current", {"description": "written after the read began"})
            late = await slow_read  # its callers too get the newest state known
            now = await service.get_state("current")
            assert (
                written["instance"]["description"]
                == late["instance"]["description"]
                == now["instance"]["description"]
                == "written after the read began"
            )
            assert forwarder.seen == ["GET", "PUT"]  # the last state came from the cache
            await service.close()

    asyncio.run(main())


def test_a_read_during_a_failed_write_still_answers(emulator, tmp_path):
    """The write fails upstream (403), so nothing is cached; the read began before it still answers."""
    iid = emulator.emulator.seed_ids["demanager_running"]
    httpx.post(emulator.url + "/_emulator/faults", json={"deny": ["update"]})

    async def main() -> None:
        async with Holding(emulator.url, "GET", "hold", hold=1.0) as forwarder:
            service = service_for(
                forwarder.url, tmp_path, backend="demanager", instance_id=iid, cache_ttl=30.0
            )
            slow_read = asyncio.ensure_future(service.get_state("current"))
            assert await until(lambda: "GET" in forwarder.seen)
            try:
                await service.update("current", {"description": "refused"})
            except DevEnvError as error:
                assert error.status == 403
            else:
                raise AssertionError("the denied write succeeded")
            state = await slow_read
            assert state["instance"]["id"] == iid and state["instance"]["description"] != "refused"
            await service.close()

    asyncio.run(main())
