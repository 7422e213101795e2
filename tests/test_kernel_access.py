"""A kernel started by the server reaches /devenv/api/* with its token, and nothing else."""
from __future__ import annotations

import os

import pytest

from jupyter_devenv.kernel_access import TOKEN_ENV, TOKEN_HEADER, URL_ENV
from server_env import *  # noqa: F401,F403 - fixtures


@pytest.fixture
def kernel_env(jp_serverapp, jp_http_port, http_server_client):
    """The variables the extension publishes for kernels, with the server answering on its port."""
    app = jp_serverapp.extension_manager.extension_apps["jupyter_devenv"]
    app = next(iter(app))
    app._publish_kernel_env()
    yield {URL_ENV: os.environ[URL_ENV], TOKEN_ENV: os.environ[TOKEN_ENV]}
    os.environ.pop(URL_ENV, None)
    os.environ.pop(TOKEN_ENV, None)


async def test_the_token_opens_nothing_else(kernel_env, http_server_client, jp_base_url):
    token = kernel_env[TOKEN_ENV]
    for headers in ({TOKEN_HEADER: token}, {"Authorization": f"token {token}"}):
        response = await http_server_client.fetch(f"{jp_base_url}api/contents", headers=headers, raise_error=False)
        assert response.code == 403, headers
    ok = await http_server_client.fetch(f"{jp_base_url}devenv/api/config", headers={TOKEN_HEADER: token},
                                        raise_error=False)
    assert ok.code == 200
    wrong = await http_server_client.fetch(f"{jp_base_url}devenv/api/config",
                                           headers={TOKEN_HEADER: token[:-1] + "x"}, raise_error=False)
    assert wrong.code == 403


def test_the_published_url_points_at_this_server(kernel_env, jp_http_port, jp_base_url):
    assert kernel_env[URL_ENV] == f"http://127.0.0.1:{jp_http_port}{jp_base_url}devenv/api/"


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_kernel_started_by_the_server_can_read_and_change_the_state(jp_serverapp, kernel_env, instance_id,
                                                                            upstream):
    km = jp_serverapp.kernel_manager
    kernel_id = await km.start_kernel(kernel_name="python3")
    client = km.get_kernel(kernel_id).client()
    client.start_channels()
    outputs = []
    try:
        await client.wait_for_ready(timeout=60)
        code = ("from jupyter_devenv.client import connect\nc = connect()\nprint(c.get()['instance']['id'])\n"
                "print(c.disable()['auto_stop']['enable'])")
        reply = await client.execute_interactive(
            code, timeout=60, output_hook=lambda m: outputs.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await km.shutdown_kernel(kernel_id, now=True)
    assert "".join(outputs).split() == [instance_id, "False"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
