"""Holds survive a restart of the Jupyter server (a real one, on the same data dir), and one that
expired while it was down is ended at start-up and its restore applied."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from jupyter_stack import RUNNING_IDS, JupyterProcess, ProcessStack
from waiting import wait_until

DEVENV = {"hold_check_interval": 1.0}


@pytest.fixture
def stack():
    with ProcessStack("demanager", devenv=DEVENV) as running:
        yield running


def restart(stack: ProcessStack) -> None:
    """Stop the Jupyter server and start another on the same folder (state file, holds.json)."""
    stack.server.close()
    stack.server = JupyterProcess(
        stack.tmp / "jupyter", stack.emulator.url, "demanager", RUNNING_IDS["demanager"], devenv=DEVENV
    )


def test_a_hold_survives_a_restart_and_an_expired_one_is_ended_at_start(stack):
    control = httpx.Client(base_url=stack.emulator.url + "/_emulator", timeout=10)

    def auto_stop() -> Any:
        return control.get(f"/instances/{stack.instance_id}").json()["spec"]["auto_stop"]

    def holds() -> Any:
        return httpx.get(f"{stack.server.api}/holds", headers=stack.server.auth, timeout=10).json()

    made = httpx.post(
        f"{stack.server.api}/holds",
        headers=stack.server.auth,
        timeout=30,
        json={"reason": "overnight", "max_seconds": 7200},
    ).json()
    assert made["holder"] == "user" and auto_stop()["enable"] is False

    restart(stack)
    assert [h["id"] for h in holds()["holds"]] == [made["id"]]
    assert holds()["restore"]["enable"] is True

    def reads() -> int:
        return stack.emulator.control.count("GET", stack.instance_id)

    before = reads()
    # a few ticks of the new server (each reads the instance): the hold stays, auto-stop stays off
    assert wait_until(lambda: reads() >= before + 3, timeout=30)
    assert auto_stop()["enable"] is False and [h["id"] for h in holds()["holds"]] == [made["id"]]

    stack.server.close()
    control.post("/clock", json={"advance": 7201}).raise_for_status()
    restart(stack)
    assert wait_until(lambda: auto_stop()["enable"], timeout=30), (
        "the expired hold's restore was not applied at start"
    )
    assert auto_stop()["duration"] == 3600
    assert wait_until(lambda: holds()["holds"] == [] and holds()["restore"] is None, timeout=30)
    control.close()
