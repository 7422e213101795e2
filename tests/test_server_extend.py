"""Extend (lease renewal), the kept ``prompt`` of the current API, and backend auto-detection."""

from __future__ import annotations

import pytest

from jupyter_devenv.server.prompts import PromptStore


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_extend_by_two_hours_counts_from_now(api, upstream, instance_id):
    upstream.advance(600)
    status, state = await api("POST", "instances/current/extend", {"seconds": 7200})
    assert status == 200, state
    now = upstream.http.get("/clock").json()["now"]
    assert abs(state["auto_stop"]["stop_timestamp"] - (now + 7200_000)) < 2000
    lease = upstream.instance(instance_id)["lease"]  # the API's lease ends at create_at + duration
    assert abs(lease["create_at"] + lease["duration"] - (now + 7200_000)) < 2000
    assert abs(state["auto_stop"]["remain_time"] - 7200) <= 2


class TestAnotherInstance:
    @pytest.fixture
    def devenv_config(self, devenv_config):
        return {**devenv_config, "allowed_instances": ["*"]}  # instances other than the configured one

    @pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
    async def test_extend_a_stopped_instance_is_refused(self, api, upstream, emulator):
        seeded = upstream.http.post("/instances", json={"backend": "notebooks", "status": "STOPPED"}).json()
        status, error = await api("POST", f"instances/{seeded['id']}/extend", {"seconds": 7200})
        assert status == 400 and error["error_code"] == "ModelArts.6327", error


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_extend_on_the_old_api_is_409_with_the_alternatives(api, upstream, instance_id):
    before = upstream.instance(instance_id)["spec"]["auto_stop"]
    status, error = await api("POST", "instances/current/extend", {"seconds": 7200})
    assert status == 409 and error["error_code"] == "DEVENV.EXTEND_UNSUPPORTED"
    assert "next start" in error["error_msg"] and "turn auto-stop off" in error["error_msg"]
    assert upstream.instance(instance_id)["spec"]["auto_stop"] == before


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_prompt_of_the_current_api_survives_a_restart(api, jp_serverapp, instance_id):
    status, state = await api("PUT", "instances/current", {"spec": {"auto_stop": {"prompt": False}}})
    assert status == 200 and state["auto_stop"]["prompt"] is False
    app = next(iter(jp_serverapp.extension_manager.extension_apps["jupyter_devenv"]))
    reloaded = PromptStore(app.state_file)  # what a restarted server reads
    assert reloaded.get(instance_id) is False
    assert reloaded.get("other-instance") is True


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_lease_on_off_is_not_faked_on_the_current_api(api, upstream, instance_id):
    before = upstream.total()
    status, error = await api("PUT", "instances/current", {"spec": {"auto_stop": {"enable": False}}})
    assert status == 409 and error["error_code"] == "DEVENV.UNSUPPORTED"
    assert "Extend" in error["error_msg"]
    assert upstream.total() == before


class TestAuto:
    @pytest.fixture
    def devenv_config(self, emulator, backend, instance_id):
        emu = emulator.emulator
        return {
            "endpoint": emulator.url,
            "project_id": emu.project_id,
            "instance_id": instance_id,
            "access_key": emu.access_key,
            "secret_key": emu.secret_key,
            "backend": "auto",
            "allowed_instances": ["*"],
        }

    async def test_auto_picks_the_api_of_the_instance(self, api, backend, jp_serverapp, caplog):
        status, state = await api("GET", "instances/current")
        assert status == 200 and state["backend"] == backend
        _, config = await api("GET", "config")
        assert config["backend"] == backend and config["backend_setting"] == "auto"

    async def test_auto_falls_back_on_what_the_endpoint_answers(self, api, upstream, backend):
        """A notebooks-API id that looks like an old one (DE-...) is still found."""
        odd = upstream.http.post(
            "/instances", json={"backend": "notebooks", "id": "DE-11111111-2222-3333-4444-555555555555"}
        ).json()
        status, state = await api("GET", f"instances/{odd['id']}")
        assert status == 200 and state["backend"] == "notebooks"


def _renewals(upstream) -> int:
    return sum(
        n for key, n in upstream.stats()["requests"].items() if key.startswith("PATCH ") and "/lease" in key
    )


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_an_extend_that_would_stop_earlier_asks_first(api, upstream, instance_id):
    status, state = await api("POST", "instances/current/extend", {"seconds": 20 * 3600})
    assert status == 200, state
    twenty_hours = state["auto_stop"]["stop_timestamp"]
    renewals = _renewals(upstream)

    status, error = await api("POST", "instances/current/extend", {"seconds": 3600})
    assert status == 409 and error["error_code"] == "DEVENV.EXTEND_EARLIER" and error["field"] == "seconds"
    assert error["error_msg"].startswith(
        "Extending by 1 h counts from now, so the instance would stop in 1 h instead of in 20 h"
    )
    assert _renewals(upstream) == renewals  # nothing sent
    lease = upstream.instance(instance_id)["lease"]
    assert lease["create_at"] + lease["duration"] == twenty_hours

    status, state = await api("POST", "instances/current/extend", {"seconds": 3600, "allow_earlier": True})
    assert status == 200, state
    assert state["auto_stop"]["remain_time"] <= 3600 and _renewals(upstream) == renewals + 1
