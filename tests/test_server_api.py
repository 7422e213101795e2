"""The REST contract of the server extension, against the emulator on loopback."""

from __future__ import annotations

import asyncio
import json

import pytest

from jupyter_devenv.config import DevEnv
from jupyter_devenv.kernel_access import TOKEN_ENV, TOKEN_HEADER

SEED_BODY = {"description": "machine learning python2.7 notebook"}


async def test_get_current_state(api, upstream, instance_id, backend):
    status, state = await api("GET", "instances/current")
    assert status == 200
    raw = upstream.instance(instance_id)
    assert state["backend"] == backend
    assert state["instance"]["id"] == instance_id
    assert state["auto_stop"]["can_extend"] is (backend == "notebooks")
    assert state["emulated"] is True  # from the emulator's X-Emulator header: no setting says so
    if backend == "demanager":
        assert state["auto_stop"]["stop_timestamp"] == raw["spec"]["auto_stop"]["stop_timestamp"]
    else:
        lease = raw["lease"]
        assert state["auto_stop"]["stop_timestamp"] == lease["create_at"] + lease["duration"]
    remain = (state["auto_stop"]["stop_timestamp"] - state["server_time"]) / 1000
    assert abs(state["auto_stop"]["remain_time"] - remain) <= 1


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_seed_example_put_changes_the_instance(api, upstream, instance_id):
    status, state = await api("PUT", f"instances/{instance_id}", SEED_BODY)
    assert status == 200, state
    assert state["instance"]["description"] == SEED_BODY["description"]
    assert upstream.instance(instance_id)["description"] == SEED_BODY["description"]


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_auto_stop_update_shows_the_emulators_deadline(api, upstream, instance_id):
    status, state = await api("PUT", "instances/current", {"spec": {"auto_stop": {"enable": False}}})
    assert status == 200, state
    assert state["auto_stop"]["enable"] is False and state["auto_stop"]["stop_timestamp"] is None
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
    status, state = await api(
        "PUT", "instances/current", {"spec": {"auto_stop": {"enable": True, "duration": 7200}}}
    )
    assert status == 200, state
    raw = upstream.instance(instance_id)["spec"]["auto_stop"]
    assert raw["enable"] is True
    assert state["auto_stop"]["stop_timestamp"] == raw["stop_timestamp"]


async def test_prompt_is_kept(api, upstream, instance_id, backend):
    status, state = await api("PUT", "instances/current", {"spec": {"auto_stop": {"prompt": False}}})
    assert status == 200, state
    assert state["auto_stop"]["prompt"] is False
    status, state = await api("GET", "instances/current")
    assert state["auto_stop"]["prompt"] is False
    if backend == "demanager":
        assert upstream.instance(instance_id)["spec"]["auto_stop"]["prompt"] is False


async def test_fifty_concurrent_reads_make_one_upstream_request(api, upstream):
    before = upstream.total()
    results = await asyncio.gather(*(api("GET", "instances/current") for _ in range(50)))
    assert {status for status, _ in results} == {200}
    assert upstream.total() - before == 1


async def test_a_put_refreshes_the_cache(api, upstream):
    await api("GET", "instances/current")
    await api("PUT", "instances/current", {"spec": {"auto_stop": {"prompt": False}}})
    before = upstream.total()
    status, state = await api("GET", "instances/current")
    assert state["auto_stop"]["prompt"] is False
    assert upstream.total() == before  # served from the PUT's answer


async def test_config(api, backend, instance_id):
    status, config = await api("GET", "config")
    assert status == 200
    assert config["backend"] == backend and config["instance_id"] == instance_id
    assert config["configured"] is True and config["missing"] == []
    assert config["reminder_thresholds"] == [900, 300, 60]


UNKNOWN = "DE-00000000-0000-0000-0000-000000000000"
CALLS_ON = [
    ("GET", "", None),
    ("PUT", "", {"spec": {"auto_stop": {"prompt": False}}}),
    ("POST", "/extend", {"seconds": 7200}),
]


@pytest.fixture
def other_id(upstream, backend):
    """Another instance of the project, of the same API."""
    return upstream.http.post("/instances", json={"backend": backend, "name": "someone-else"}).json()["id"]


@pytest.mark.parametrize("method,tail,body", CALLS_ON)
async def test_another_instance_is_not_allowed_and_nothing_goes_upstream(
    api, upstream, other_id, instance_id, method, tail, body
):
    before, raw = upstream.total(), upstream.instance(other_id)
    status, error = await api(method, f"instances/{other_id}{tail}", body)
    assert status == 403, error
    assert (error["error_code"], error["field"]) == ("DEVENV.INSTANCE_NOT_ALLOWED", "instance_id")
    for words in (
        instance_id,
        "picker",
        "jupyter devenv use",
        "c.DevEnv.allowed_instances",
        "JUPYTER_DEVENV_ALLOWED_INSTANCES",
    ):
        assert words in error["error_msg"]
    assert upstream.total() == before and upstream.instance(other_id) == raw


async def test_the_chosen_instance_by_its_id_is_allowed(api, instance_id):
    status, state = await api("GET", f"instances/{instance_id}")
    assert status == 200 and state["instance"]["id"] == instance_id


async def test_the_kernel_token_is_held_to_the_chosen_instance_too(jp_fetch, kernel_env, upstream, other_id):
    before = upstream.total()
    response = await jp_fetch(
        "devenv",
        "api",
        "instances",
        other_id,
        raise_error=False,
        headers={TOKEN_HEADER: kernel_env[TOKEN_ENV]},
    )
    assert response.code == 403 and json.loads(response.body)["error_code"] == "DEVENV.INSTANCE_NOT_ALLOWED"
    assert upstream.total() == before


def test_allowed_instances_from_the_environment(monkeypatch):
    monkeypatch.setenv("JUPYTER_DEVENV_ALLOWED_INSTANCES", "DE-1, 5f2c8a6e-1d3b,*")
    assert DevEnv().allowed_instances == ["DE-1", "5f2c8a6e-1d3b", "*"]


class TestAllowed:
    @pytest.fixture
    def allowed(self, other_id):
        return [other_id]

    @pytest.fixture
    def devenv_config(self, devenv_config, allowed):
        return {**devenv_config, "allowed_instances": allowed}

    async def test_an_allowed_instance_is_served(self, api, other_id):
        status, state = await api("GET", f"instances/{other_id}")
        assert status == 200 and state["instance"]["id"] == other_id
        status, error = await api("GET", f"instances/{UNKNOWN}")
        assert status == 403 and error["error_code"] == "DEVENV.INSTANCE_NOT_ALLOWED"

    @pytest.mark.parametrize("allowed", [["*"]])
    async def test_a_star_allows_every_instance(self, api, other_id):
        status, state = await api("GET", f"instances/{other_id}")
        assert status == 200 and state["instance"]["id"] == other_id

    @pytest.mark.parametrize("allowed", [["*"]])
    async def test_unknown_instance_passes_the_upstream_error_through(self, api):
        status, error = await api("GET", f"instances/{UNKNOWN}")
        assert (status, error["error_code"]) == (400, "ModelArts.6309"), error  # ModelArts' own answer
