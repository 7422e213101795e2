"""``c.DevEnv.hold_while_busy``: a busy kernel holds the instance, at most ``hold_while_busy_max`` hours."""

from __future__ import annotations

import pytest
from waiting import until


@pytest.fixture
def devenv_config(devenv_config):
    """conftest's settings with hold_while_busy on; the tests tick the keeper themselves."""
    return {
        **devenv_config,
        "request_timeout": 5.0,
        "hold_check_interval": 3600.0,
        "hold_while_busy": True,
        "hold_while_busy_max": 2.0,
    }


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_busy_kernel_holds_for_at_most_the_max(
    run_in_kernel, api, upstream, instance_id, jp_serverapp
):
    keeper = next(iter(jp_serverapp.extension_manager.extension_apps["jupyter_devenv"])).keeper
    await run_in_kernel("x = 1")  # starts the kernel
    km = jp_serverapp.kernel_manager
    kernel = km.get_kernel(km.list_kernel_ids()[0])
    client = kernel.client()
    client.start_channels()
    try:
        client.execute("import time; time.sleep(4)")
        assert await until(lambda: kernel.execution_state == "busy", timeout=30)
        await keeper.tick()
        held = (await api("GET", "holds"))[1]["holds"]
        assert [(h["holder"], h["kernel_id"]) for h in held] == [("busy", kernel.kernel_id)]
        assert held[0]["ends_at"] - held[0]["created_at"] == 2 * 3600 * 1000  # hold_while_busy_max
        assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
        upstream.advance(2 * 3600 + 1)  # busier than hold_while_busy_max: the hold ends, and no new one
        await keeper.tick()
        assert kernel.execution_state == "busy" and (await api("GET", "holds"))[1]["holds"] == []
        assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is True
        assert await until(lambda: kernel.execution_state == "idle", timeout=30)
        await keeper.tick()
        assert (await api("GET", "holds"))[1]["holds"] == []
        assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is True
    finally:
        client.stop_channels()
