"""``jupyter devenv list`` and ``use`` through a Jupyter server, and before one starts."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import httpx
import pytest
from traitlets.config import Config

from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.emulator.control import environment


@pytest.fixture
def devenv_config(emulator, backend):
    """No instance configured (``backend`` unused: the API generation is found per instance)."""
    return {
        "endpoint": emulator.url,
        "project_id": PROJECT_ID,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "backend": "auto",
    }


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "data" / "devenv-state.json"


@pytest.fixture
def cli_env(emulator, tmp_path, state_file):
    """A shell's environment outside Jupyter: credentials, and the server's config files (its state_file)."""
    config_dir = tmp_path / "cli-config"
    config_dir.mkdir()
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"DevEnvApp": {"state_file": str(state_file)}})
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_DEVENV", "HUAWEICLOUD_SDK"))}
    env.update(
        {
            **environment(emulator.url),
            "JUPYTER_CONFIG_DIR": str(config_dir),
            "JUPYTER_DATA_DIR": str(tmp_path / "cli-data"),
        }
    )
    return env


def run_cli(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_devenv", *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.fixture
def chosen_before_start(request, cli_env, emulator):
    """``jupyter devenv use <name>`` run before the server starts (no server to go through)."""
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    name = httpx.get(f"{emulator.url}/_emulator/instances/{wanted}").json()["name"]
    run = run_cli(cli_env, "use", name)
    assert run.returncode == 0, run.stderr
    return wanted


@pytest.fixture
def jp_server_config(devenv_config, state_file, request):
    if "chosen_before_start" in request.fixturenames:
        request.getfixturevalue("chosen_before_start")
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": devenv_config,
            "DevEnvApp": {"state_file": str(state_file)},
        }
    )


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_server_started_after_use_takes_the_choice(api, chosen_before_start):
    status, config = await api("GET", "config")
    assert status == 200
    assert (config["instance_id"], config["instance_source"]) == (chosen_before_start, "chosen")
    status, state = await api("GET", "instances/current")
    assert status == 200 and state["instance"]["id"] == chosen_before_start


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_in_a_servers_terminal_list_and_use_go_through_it(api, cli_env, kernel_env, emulator, upstream):
    env = {**{k: v for k, v in cli_env.items() if not k.startswith("HUAWEICLOUD_SDK")}, **kernel_env}
    wanted = emulator.emulator.seed_ids["demanager_running"]
    run = await asyncio.to_thread(run_cli, env, "use", wanted)
    assert run.returncode == 0, run.stderr
    assert "on this Jupyter server" in run.stdout
    status, config = await api("GET", "config")
    assert (config["instance_id"], config["instance_source"]) == (wanted, "chosen")
    run = await asyncio.to_thread(run_cli, env, "list")
    assert run.returncode == 0, run.stderr
    assert [r for r in run.stdout.splitlines() if r.startswith("*")][0].split()[2] == wanted
    run = await asyncio.to_thread(run_cli, env, "use", "notebook-stopped")
    assert run.returncode == 1 and run.stderr.startswith("error: 2 instances are named")
    assert (await api("GET", "config"))[1]["instance_id"] == wanted
