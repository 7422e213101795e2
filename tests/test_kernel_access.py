"""A kernel started by the server reaches /devenv/api/* with its token, and nothing else."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

from jupyter_devenv.kernel_access import SERVER_CERT_ENV, TOKEN_ENV, TOKEN_HEADER, URL_ENV
from jupyter_devenv.server.app import kernel_host

DEAD_PROXY = "http://127.0.0.1:9"  # the loopback discard port: nothing answers there
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


async def test_the_token_opens_nothing_else(kernel_env, http_server_client, jp_base_url):
    token = kernel_env[TOKEN_ENV]
    for headers in ({TOKEN_HEADER: token}, {"Authorization": f"token {token}"}):
        response = await http_server_client.fetch(
            f"{jp_base_url}api/contents", headers=headers, raise_error=False
        )
        assert response.code == 403, headers
    ok = await http_server_client.fetch(
        f"{jp_base_url}devenv/api/config", headers={TOKEN_HEADER: token}, raise_error=False
    )
    assert ok.code == 200
    wrong = await http_server_client.fetch(
        f"{jp_base_url}devenv/api/config", headers={TOKEN_HEADER: token[:-1] + "x"}, raise_error=False
    )
    assert wrong.code == 403


def test_the_published_url_points_at_this_server(kernel_env, jp_http_port, jp_base_url):
    assert kernel_env[URL_ENV] == f"http://127.0.0.1:{jp_http_port}{jp_base_url}devenv/api/"
    assert SERVER_CERT_ENV not in os.environ  # plain HTTP: no certificate to trust


@pytest.mark.parametrize(
    "ip,tls,host",
    [
        ("", False, "127.0.0.1"),
        ("0.0.0.0", True, "127.0.0.1"),
        ("::", False, "127.0.0.1"),
        ("*", True, "127.0.0.1"),
        ("localhost", False, "127.0.0.1"),
        ("localhost", True, "localhost"),
        ("127.0.0.1", True, "127.0.0.1"),
        ("::1", True, "[::1]"),
        ("10.1.2.3", False, "10.1.2.3"),
        ("nb.example", True, "nb.example"),
    ],
)
def test_the_kernels_host_is_one_a_certificate_can_name(ip, tls, host):
    assert kernel_host(ip, tls) == host


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_a_kernels_proxy_settings_do_not_divert_its_calls_to_the_server(kernel_env, instance_id):
    """A process with the kernel's variables and every proxy variable pointing at a dead address."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_PROXY", "no_proxy")}
    env.update(kernel_env)
    env.update(dict.fromkeys(PROXY_VARS, DEAD_PROXY))
    code = (
        "import os\nfrom jupyter_devenv.connection import ProxyConnection\n"
        f"c = ProxyConnection(os.environ[{URL_ENV!r}], os.environ[{TOKEN_ENV!r}])\n"
        "print(c.get()['instance']['id'])"
    )
    pipe = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", code, env=env, stdout=pipe, stderr=pipe)
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0, err.decode()[-1500:]
    assert out.decode().split() == [instance_id]


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_kernel_started_by_the_server_can_read_and_change_the_state(
    run_in_kernel, instance_id, upstream
):
    out = await run_in_kernel(
        "from jupyter_devenv.connection import connect\nc = connect()\n"
        "print(c.get()['instance']['id'])\nprint(c.disable()['auto_stop']['enable'])"
    )
    assert out.split() == [instance_id, "False"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
