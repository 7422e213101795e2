"""``keep_alive`` and ``%devenv hold``/``release`` in a kernel the server started; holds of a kernel that
is shut down end (and what they changed is restored)."""

from __future__ import annotations

import json

import pytest

from jupyter_devenv.kernel_access import TOKEN_ENV, URL_ENV
from jupyter_devenv.modelarts.errors import DevEnvError


@pytest.fixture
def devenv_config(devenv_config):
    """conftest's settings; the tests tick the keeper themselves."""
    return {**devenv_config, "request_timeout": 5.0, "hold_check_interval": 3600.0}


def test_outside_a_jupyter_server_it_says_holds_need_one(monkeypatch):
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    from jupyter_devenv import keep_alive

    with pytest.raises(DevEnvError) as caught:
        with keep_alive(hours=1, reason="training"):
            pass
    assert caught.value.error_code == "DEVENV.HOLDS_NEED_SERVER"
    assert "need the Jupyter server" in caught.value.error_msg


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_keep_alive_holds_while_the_block_runs_and_releases_after(
    run_in_kernel, api, upstream, instance_id, jp_serverapp
):
    out = await run_in_kernel(
        "import jupyter_devenv, json, os\n"
        "from jupyter_devenv import keep_alive\n"
        "from jupyter_devenv.connection import ProxyConnection\n"
        "server = ProxyConnection(os.environ['JUPYTER_DEVENV_URL'], os.environ['JUPYTER_DEVENV_TOKEN'])\n"
        "with keep_alive(hours=2, reason='training') as k:\n"
        "    made, inside = k.hold, server._call('GET', 'holds')\n"
        "    auto = server.get()['auto_stop']\n"
        "print(json.dumps([made, inside, auto, server._call('GET', 'holds')]))\n"
    )
    made, inside, auto, after = json.loads(out)
    kernel_id = jp_serverapp.kernel_manager.list_kernel_ids()[0]
    assert (made["holder"], made["kernel_id"], made["reason"]) == ("kernel", kernel_id, "training")
    assert made["ends_at"] - made["created_at"] == 2 * 3600 * 1000
    assert [h["id"] for h in inside["holds"]] == [made["id"]]
    assert auto["enable"] is False  # older API: off while held
    assert after["holds"] == [] and after["restore"] is None
    auto = upstream.instance(instance_id)["spec"]["auto_stop"]
    assert (auto["enable"], auto["duration"]) == (True, 3600)  # back on with the user's duration

    out = await run_in_kernel(  # released on an exception too, and as a decorator
        "@keep_alive(hours=1, reason='epoch')\n"
        "def train():\n"
        "    return server._call('GET', 'holds')['holds'][0]['reason']\n"
        "try:\n"
        "    with keep_alive(hours=1, reason='boom'):\n"
        "        raise ValueError('stop')\n"
        "except ValueError:\n"
        "    pass\n"
        "print(train(), len(server._call('GET', 'holds')['holds']))\n"
    )
    assert out.split() == ["epoch", "0"]


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_the_magic_holds_and_releases(run_in_kernel, api):
    out = await run_in_kernel("%load_ext jupyter_devenv\n%devenv hold 3h long run\n")
    assert "at most 3 h" in out and "long run" in out, out
    held = (await api("GET", "holds"))[1]["holds"]
    assert [(h["reason"], h["holder"]) for h in held] == [("long run", "kernel")]
    assert held[0]["ends_at"] - held[0]["created_at"] == 3 * 3600 * 1000
    out = await run_in_kernel("%devenv release\n")
    assert "Released 1 hold" in out, out
    assert (await api("GET", "holds"))[1]["holds"] == []


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_shutting_the_kernel_down_ends_its_hold_and_restores(
    run_in_kernel, api, upstream, keeper, instance_id, jp_serverapp
):
    await run_in_kernel(
        "from jupyter_devenv import keep_alive\nk = keep_alive(hours=5, reason='training')\n"
        "_ = k.__enter__()\n"
    )
    assert [h["holder"] for h in (await api("GET", "holds"))[1]["holds"]] == ["kernel"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
    km = jp_serverapp.kernel_manager
    await km.shutdown_kernel(km.list_kernel_ids()[0])
    await keeper.tick()
    assert (await api("GET", "holds"))[1]["holds"] == []
    auto = upstream.instance(instance_id)["spec"]["auto_stop"]
    assert (auto["enable"], auto["duration"]) == (True, 3600)
