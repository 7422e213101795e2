"""Credentials stay in the server process: kernels and terminals it starts do not inherit them.

The server is started with every credential variable set to a recognisable value (the
emulator's temporary AK/SK and security token, which it accepts together, and IAM token
and password values holding ``EMUSECRET``); it must still reach ModelArts (the values were
read at start), and no value may show in a kernel's or a terminal's environment.
"""

from __future__ import annotations

import asyncio
import json
import os

import httpx
import pytest
from jupyter_stack import JupyterProcess
from tornado.websocket import websocket_connect
from traitlets.config import Config

from jupyter_devenv.config import SECRET_ENV
from jupyter_devenv.emulator.app import PROJECT_ID, SECURITY_TOKEN, TEMP_ACCESS_KEY, TEMP_SECRET_KEY
from jupyter_devenv.emulator.fake_secrets import MARKER

SECRETS = {
    "HUAWEICLOUD_SDK_AK": TEMP_ACCESS_KEY,
    "HUAWEICLOUD_SDK_SK": TEMP_SECRET_KEY,
    "HUAWEICLOUD_SDK_SECURITY_TOKEN": SECURITY_TOKEN,
    "JUPYTER_DEVENV_IAM_TOKEN": f"iam-token-{MARKER}-0001",
    "JUPYTER_DEVENV_IAM_PASSWORD": f"iam-password-{MARKER}-0001",
}
NOT_SECRET = {"JUPYTER_DEVENV_IAM_USER": "someone"}  # read too, but no secret: kept


def test_the_secrets_are_the_ones_the_server_reads():
    assert set(SECRETS) == set(SECRET_ENV)


def _leaked(text: str):
    return sorted(name for name, value in SECRETS.items() if value in text)


# -- a kernel of the in-process server --------------------------------------------------------


@pytest.fixture
def secret_env(monkeypatch):
    for name, value in {**SECRETS, **NOT_SECRET}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def devenv_config(emulator, backend, instance_id):
    """Everything but the credentials, which come from the environment."""
    return {
        "endpoint": emulator.url,
        "project_id": PROJECT_ID,
        "instance_id": instance_id,
        "backend": backend,
    }


@pytest.fixture
def jp_server_config(secret_env, devenv_config, tmp_path):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": devenv_config,
            "DevEnvApp": {"state_file": str(tmp_path / "devenv-state.json")},
        }
    )


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_a_kernel_has_none_of_the_servers_credentials(api, run_in_kernel):
    status, state = await api("GET", "instances/current")
    assert status == 200, state  # signed with the temporary keys read before they left the environment
    assert not [name for name in SECRETS if name in os.environ]
    assert os.environ["JUPYTER_DEVENV_IAM_USER"] == "someone"
    seen = await run_in_kernel("import os, json; print(json.dumps(dict(os.environ)))")
    seen += await run_in_kernel("get_ipython().system('env')")
    assert "JUPYTER_DEVENV_TOKEN" in seen and "JUPYTER_DEVENV_IAM_USER=someone" in seen  # it is their env
    assert not _leaked(seen) and MARKER not in seen


# -- a terminal of a Jupyter server in its own process ----------------------------------------


async def _terminal_output(server: JupyterProcess, command: str, end: str) -> str:
    """What a new terminal prints for ``command``, up to the line ``end`` (its websocket protocol)."""
    async with httpx.AsyncClient(headers=server.auth, trust_env=False) as http:
        created = await http.post(f"{server.url}/api/terminals")
        created.raise_for_status()
    name = created.json()["name"]
    ws_url = f"ws://127.0.0.1:{server.port}/terminals/websocket/{name}?token={server.token}"
    ws = await websocket_connect(ws_url)
    out = ""
    try:
        ws.write_message(json.dumps(["stdin", command + "\r"]))
        while end not in out.replace("\r", "").split("\n"):
            message = await asyncio.wait_for(ws.read_message(), 30)
            assert message is not None, f"the terminal closed; it printed:\n{out[-2000:]}"
            kind, *payload = json.loads(message)
            if kind == "stdout":
                out += payload[0]
    finally:
        ws.close()
    return out


def test_a_terminal_has_none_of_the_servers_credentials(emulator, tmp_path):
    server = JupyterProcess(
        tmp_path / "jupyter",
        emulator.url,
        "demanager",
        emulator.emulator.seed_ids["demanager_running"],
        extra_env={**SECRETS, **NOT_SECRET},
        terminals=True,
    )
    try:
        answer = httpx.get(f"{server.api}/instances/current", headers=server.auth, timeout=30)
        assert answer.status_code == 200, answer.text
        out = asyncio.run(_terminal_output(server, "env; echo END-$((6 * 7))", "END-42"))
        log = server.log_text()
    finally:
        server.close()
    assert "JUPYTER_DEVENV_URL=" in out and "JUPYTER_DEVENV_IAM_USER=someone" in out  # env was printed
    assert not _leaked(out) and MARKER not in out
    [line] = [line for line in log.splitlines() if "from the server's environment" in line]
    assert all(name in line for name in SECRETS) and "JUPYTER_DEVENV_IAM_USER" not in line
    assert not _leaked(log)
