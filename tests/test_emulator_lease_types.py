"""Lease types in the emulator's notebooks API: TIMING stops at ``create_at + duration``, IDLE never by time.

Seeds, StartNotebook's ``type``, RenewLease's rules (a ``duration`` query parameter
overrides the body and means TIMING; the body's ``type`` is honoured) and the control
API's idle stop, over real HTTP on loopback, signed by the product's own signer.
"""

from __future__ import annotations

from typing import Any, Dict

import httpx
import pytest

from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.emulator.banner import banner
from jupyter_devenv.modelarts.auth import AkSkAuth

NB = f"/v1/{PROJECT_ID}/notebooks"
HOUR = 3_600_000


class Nb:
    """Signed notebooks calls, the control API and the clock of one emulator."""

    def __init__(self, running) -> None:
        self.emulator = running.emulator
        self.ids = running.emulator.seed_ids
        self.signed = httpx.Client(
            base_url=running.url, timeout=10, auth=AkSkAuth(ACCESS_KEY, SECRET_KEY, PROJECT_ID)
        )
        self.control = httpx.Client(base_url=running.url + "/_emulator", timeout=10)

    def detail(self, instance_id: str) -> Dict[str, Any]:
        return ok(self.signed.get(f"{NB}/{instance_id}"))

    def now(self) -> int:
        return self.emulator.clock.now_ms()

    def close(self) -> None:
        self.signed.close()
        self.control.close()


@pytest.fixture
def nb(emulator):
    client = Nb(emulator)
    yield client
    client.close()


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code, response.text


def test_the_idle_seed_runs_past_create_at_plus_duration(nb):
    idle, timing = nb.ids["notebooks_idle"], nb.ids["notebooks_running"]
    lease = nb.detail(idle)["lease"]
    assert nb.detail(idle)["status"] == "RUNNING"
    assert lease["type"] == "IDLE" and lease["enable"] is True
    assert "IDLE lease" in banner(nb.emulator, "http://127.0.0.1:1")
    nb.emulator.advance((lease["create_at"] + lease["duration"] - nb.now()) / 1000 + 73 * 3600)
    assert nb.detail(idle)["status"] == "RUNNING"
    assert nb.detail(timing)["status"] == "STOPPED"  # the same clock stops a TIMING lease


def test_the_control_api_stops_an_idle_instance_as_if_idle(nb):
    idle = nb.ids["notebooks_idle"]
    stopped = ok(nb.control.post(f"/instances/{idle}/idle-stop"))
    assert stopped["status"] == "STOPPED" and nb.detail(idle)["status"] == "STOPPED"
    assert nb.control.post(f"/instances/{idle}/idle-stop").status_code == 409  # no longer running
    assert nb.control.post(f"/instances/{nb.ids['notebooks_running']}/idle-stop").status_code == 409  # TIMING
    assert nb.control.post(f"/instances/{nb.ids['demanager_running']}/idle-stop").status_code == 404
    assert nb.control.post("/instances/nothing/idle-stop").status_code == 404
    assert nb.detail(nb.ids["notebooks_running"])["status"] == "RUNNING"


def test_a_seed_spec_chooses_the_lease_type(nb):
    seeded = nb.control.post("/instances", json={"backend": "notebooks", "lease": {"type": "IDLE"}})
    assert seeded.status_code == 201, seeded.text
    assert seeded.json()["lease"]["type"] == "IDLE"
    assert nb.control.post("/instances", json={"backend": "notebooks"}).json()["lease"]["type"] == "TIMING"
    for spec in ({"lease": {"type": "idle"}}, {"lease": {"type": "IDLE"}, "stop_in": 60}):
        assert nb.control.post("/instances", json={"backend": "notebooks", **spec}).status_code == 400


def test_start_with_type_idle_then_without_type(nb):
    stopped = nb.ids["notebooks_stopped"]
    base = f"{NB}/{stopped}"
    refused(nb.signed.post(f"{base}/start", params={"type": "SOMETIMES"}), 400, "ModelArts.6336")
    lease = ok(nb.signed.post(f"{base}/start", params={"duration": str(2 * HOUR), "type": "idle"}))["lease"]
    assert (lease["type"], lease["duration"]) == ("IDLE", 2 * HOUR)
    assert abs(lease["create_at"] - nb.now()) < 2000
    nb.emulator.advance(3 * 3600)
    assert nb.detail(stopped)["status"] == "RUNNING"
    ok(nb.signed.post(f"{base}/stop"))
    lease = ok(nb.signed.post(f"{base}/start"))["lease"]
    assert (lease["type"], lease["duration"]) == ("TIMING", 2 * HOUR)  # duration reused, TIMING by default
    nb.emulator.advance(2 * 3600 + 1)
    assert nb.detail(stopped)["status"] == "STOPPED"


def test_a_duration_query_parameter_overrides_the_body_and_means_timing(nb):
    path = f"{NB}/{nb.ids['notebooks_idle']}/lease"
    body = {"duration": 900_000, "type": "IDLE"}
    lease = ok(nb.signed.patch(path, params={"duration": str(2 * HOUR)}, json=body))
    assert lease["type"] == "TIMING"
    assert abs(lease["create_at"] + lease["duration"] - (nb.now() + 2 * HOUR)) < 2000
    unread = nb.signed.patch(
        path,
        params={"duration": str(HOUR)},
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert ok(unread)["type"] == "TIMING"
    refused(nb.signed.patch(path, params={"duration": "900000"}, json=body), 400, "ModelArts.6349")
    refused(nb.signed.patch(path, params={"duration": "2h"}), 400, "ModelArts.6336")
    nb.emulator.advance(3600 + 2)
    assert nb.detail(nb.ids["notebooks_idle"])["status"] == "STOPPED"


def test_a_body_type_idle_is_honoured(nb):
    running = nb.ids["notebooks_running"]
    path = f"{NB}/{running}/lease"
    before = ok(nb.signed.get(path))
    refused(nb.signed.patch(path, json={"duration": 899_999, "type": "IDLE"}), 400, "ModelArts.6349")
    refused(nb.signed.patch(path, json={"duration": 900_000, "type": "TIMING"}), 400, "ModelArts.6349")
    lease = ok(nb.signed.patch(path, json={"duration": 900_000, "type": "IDLE"}))
    assert (lease["type"], lease["duration"], lease["create_at"]) == ("IDLE", 900_000, before["create_at"])
    assert ok(nb.signed.get(path)) == lease
    nb.emulator.advance(2 * 3600)
    assert nb.detail(running)["status"] == "RUNNING"
    lease = ok(nb.signed.patch(path, json={"duration": HOUR, "type": "TIMING"}))  # back to a deadline
    assert abs(lease["create_at"] + lease["duration"] - (nb.now() + HOUR)) < 2000
    nb.emulator.advance(3600 + 2)
    assert nb.detail(running)["status"] == "STOPPED"


def test_the_body_and_its_fields_are_optional(nb):
    path = f"{NB}/{nb.ids['notebooks_idle']}/lease"
    lease = ok(nb.signed.patch(path))
    assert lease["type"] == "TIMING"
    assert abs(lease["create_at"] + lease["duration"] - (nb.now() + HOUR)) < 2000
    assert ok(nb.signed.patch(path, json={"type": "idle"}))["type"] == "IDLE"
    assert ok(nb.signed.patch(path, json={}))["type"] == "TIMING"
    refused(nb.signed.patch(path, json={"type": "SOMETIMES"}), 400, "ModelArts.6336")
    refused(nb.signed.patch(path, json=[HOUR]), 400, "ModelArts.6336")
