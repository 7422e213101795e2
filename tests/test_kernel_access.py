"""A kernel started by the server reaches /devenv/api/* with its token, and nothing else."""
from __future__ import annotations

import pytest

from jupyter_devenv.kernel_access import TOKEN_ENV, TOKEN_HEADER, URL_ENV
from server_env import *  # noqa: F401,F403 - fixtures


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
async def test_a_kernel_started_by_the_server_can_read_and_change_the_state(run_in_kernel, instance_id, upstream):
    out = await run_in_kernel("from jupyter_devenv.client import connect\nc = connect()\n"
                              "print(c.get()['instance']['id'])\nprint(c.disable()['auto_stop']['enable'])")
    assert out.split() == [instance_id, "False"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
