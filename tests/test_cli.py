"""``jupyter devenv`` against the emulator, configured by environment variables only."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest


@pytest.fixture
def cli(emulator):
    emu = emulator.emulator
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_DEVENV", "HUAWEICLOUD_SDK"))}
    env.update({"HUAWEICLOUD_SDK_AK": emu.access_key, "HUAWEICLOUD_SDK_SK": emu.secret_key,
                "HUAWEICLOUD_SDK_PROJECT_ID": emu.project_id, "JUPYTER_DEVENV_ENDPOINT": emulator.url,
                "JUPYTER_DEVENV_INSTANCE_ID": emu.seed_ids["demanager_running"]})

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jupyter_devenv", *args], capture_output=True, text=True,
                              env={**env, **extra}, timeout=60)

    return run


def _raw(emulator, instance_id):
    return httpx.get(f"{emulator.url}/_emulator/instances/{instance_id}").json()


def test_status_json_is_the_rest_state(cli, emulator):
    run = cli("status", "--json")
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    raw = _raw(emulator, state["instance"]["id"])
    assert set(state) == {"instance", "auto_stop", "backend", "server_time"}
    assert state["auto_stop"]["stop_timestamp"] == raw["spec"]["auto_stop"]["stop_timestamp"]
    assert "credential" not in json.dumps(state)


def test_status_is_human_readable(cli):
    run = cli("status")
    assert run.returncode == 0, run.stderr
    assert "RUNNING" in run.stdout and "stops in 0:5" in run.stdout


def test_update_and_disable(cli, emulator):
    instance_id = emulator.emulator.seed_ids["demanager_running"]
    run = cli("update", "--description", "training run", "--no-prompt", "--json")
    assert run.returncode == 0, run.stderr
    assert _raw(emulator, instance_id)["description"] == "training run"
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["prompt"] is False
    run = cli("disable")
    assert run.returncode == 0, run.stderr
    assert "Auto-stop  off" in run.stdout
    assert _raw(emulator, instance_id)["spec"]["auto_stop"]["enable"] is False


def test_bad_input_exits_non_zero_and_sends_nothing(cli, emulator):
    before = httpx.get(f"{emulator.url}/_emulator/stats").json()["total"]
    run = cli("update", "--enable", "--duration", "30m")
    assert run.returncode == 1
    assert "ModelArts.6349" in run.stderr and "spec.auto_stop.duration" in run.stderr
    run = cli("update", "--description", "a<b")
    assert run.returncode == 1 and "ModelArts.6334" in run.stderr
    assert httpx.get(f"{emulator.url}/_emulator/stats").json()["total"] == before


def test_extend_on_the_old_api_explains_why_not(cli):
    run = cli("extend", "2h")
    assert run.returncode == 1
    assert "DEVENV.EXTEND_UNSUPPORTED" in run.stderr and "next start" in run.stderr


def test_extend_on_the_current_api(cli, emulator):
    emu = emulator.emulator
    run = cli("extend", "2h", "--json", JUPYTER_DEVENV_INSTANCE_ID=emu.seed_ids["notebooks_running"])
    assert run.returncode == 0, run.stderr
    state = json.loads(run.stdout)
    assert state["backend"] == "notebooks"
    assert abs(state["auto_stop"]["stop_timestamp"] - (state["server_time"] + 7200_000)) < 3000


def test_missing_configuration_is_named(cli):
    run = cli("status", HUAWEICLOUD_SDK_PROJECT_ID="", JUPYTER_DEVENV_INSTANCE_ID="")
    assert run.returncode == 1
    assert "DEVENV.NOT_CONFIGURED" in run.stderr
    assert "project_id" in run.stderr and "instance_id" in run.stderr
