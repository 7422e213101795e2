"""``PUT devenv/api/config``: choosing the instance without a restart, kept for the next start."""

from __future__ import annotations

import json
import logging

import pytest
from test_openapi import _response_schema, _validate
from traitlets.config import Config

from jupyter_devenv.config import DevEnv
from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.emulator.store import DEMANAGER_RUNNING_ID, NOTEBOOK_RUNNING_ID
from jupyter_devenv.server.choice import ChoiceStore
from jupyter_devenv.server.chooser import Chooser
from jupyter_devenv.server.prompts import PromptStore
from jupyter_devenv.server.service import InstanceService

CHOICE_FILE = "chosen_instance.json"


@pytest.fixture
def devenv_config(emulator, backend):
    """Nothing chosen: no instance_id, and the API generation found per instance (``backend`` unused)."""
    return {
        "endpoint": emulator.url,
        "project_id": PROJECT_ID,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "backend": "auto",
        "retries": 2,
        "request_timeout": 2.0,
    }


@pytest.fixture
def state_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def stored(request):
    """What ``chosen_instance.json`` holds before the server starts (None: no file)."""
    return getattr(request, "param", None)


@pytest.fixture
def jp_server_config(devenv_config, state_dir, stored):
    if stored is not None:
        state_dir.mkdir(parents=True, exist_ok=True)
        (state_dir / CHOICE_FILE).write_text(stored)
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": devenv_config,
            "DevEnvApp": {"state_file": str(state_dir / "devenv-state.json")},
        }
    )


def _seeds(emulator):
    return emulator.emulator.seed_ids


async def _config(api):
    status, config = await api("GET", "config")
    assert status == 200, config
    _validate(config, _response_schema("/config", "get", 200))
    return config


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_nothing_chosen_says_so_and_still_lists(api, upstream):
    config = await _config(api)
    assert (config["instance_id"], config["instance_source"], config["configured"]) == (None, None, False)
    assert config["missing"] == ["instance_id"]
    status, error = await api("GET", "instances/current")
    assert status == 503 and (error["error_code"], error["field"]) == ("DEVENV.NOT_CONFIGURED", "instance_id")
    assert "picker" in error["error_msg"] and "jupyter devenv use" in error["error_msg"]
    status, answer = await api("GET", "instances")
    assert status == 200
    emulated = upstream.http.get("/instances").json()["instances"]
    assert len(answer["instances"]) == sum(map(len, emulated.values()))


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_choice_applies_at_once_and_is_kept(api, emulator, upstream, state_dir, run_in_kernel):
    ask = "from jupyter_devenv.connection import connect; print(connect().get()['instance']['id'])"
    for key, backend in (("notebooks_running", "notebooks"), ("demanager_running", "demanager")):
        wanted = _seeds(emulator)[key]
        status, config = await api("PUT", "config", {"instance_id": wanted})
        assert status == 200, config
        _validate(config, _response_schema("/config", "put", 200))
        assert (config["instance_id"], config["instance_source"]) == (wanted, "chosen")
        assert config["configured"] is True and config["missing"] == [] and config["backend"] == backend
        assert await _config(api) == config
        status, state = await api("GET", "instances/current")
        assert status == 200 and (state["instance"]["id"], state["backend"]) == (wanted, backend)
        assert json.loads((state_dir / CHOICE_FILE).read_text()) == {"instance_id": wanted}
        assert (await run_in_kernel(ask)).strip() == wanted  # kernels follow, with no restart
    assert not [p.name for p in state_dir.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_only_the_chosen_instance_is_allowed(api, emulator, upstream):
    first, second = _seeds(emulator)["demanager_running"], _seeds(emulator)["notebooks_running"]
    await api("PUT", "config", {"instance_id": first})
    assert (await api("GET", f"instances/{first}"))[0] == 200
    assert (await api("GET", f"instances/{second}"))[0] == 403
    await api("PUT", "config", {"instance_id": second})
    assert (await api("GET", f"instances/{second}"))[0] == 200
    assert (await api("GET", f"instances/{first}"))[0] == 403


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_an_id_no_api_knows_is_refused_and_changes_nothing(api, state_dir):
    status, error = await api("PUT", "config", {"instance_id": "DE-00000000-0000-0000-0000-000000000000"})
    assert status == 404 and (error["error_code"], error["field"]) == (
        "DEVENV.INSTANCE_NOT_FOUND",
        "instance_id",
    )
    assert "neither API generation knows it" in error["error_msg"]
    assert "jupyter devenv list" in error["error_msg"]
    assert (await _config(api))["instance_id"] is None
    assert not (state_dir / CHOICE_FILE).exists()


@pytest.mark.parametrize(
    "body,code,field",
    [
        ({"instance_id": "a/b"}, "ModelArts.6336", "instance_id"),
        ({"instance_id": 7}, "ModelArts.6336", "instance_id"),
        ({}, "ModelArts.6335", "instance_id"),
        ({"instance_id": "DE-1", "backend": "notebooks"}, "ModelArts.6336", "backend"),
        (["DE-1"], "ModelArts.6336", "body"),
    ],
)
@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_bad_bodies_are_refused_before_anything_goes_upstream(api, upstream, body, code, field):
    before = upstream.total()
    status, error = await api("PUT", "config", body)
    assert status == 400 and (error["error_code"], error.get("field")) == (code, field), error
    assert upstream.total() == before


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
@pytest.mark.parametrize("stored", [json.dumps({"instance_id": DEMANAGER_RUNNING_ID})], indirect=True)
async def test_a_stored_choice_is_used_at_start(api, emulator):
    config = await _config(api)
    assert (config["instance_id"], config["instance_source"]) == (DEMANAGER_RUNNING_ID, "chosen")
    status, state = await api("GET", "instances/current")
    assert status == 200 and state["instance"]["id"] == config["instance_id"]


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
@pytest.mark.parametrize("stored", ['{"instance_id": "a b"}', "not json", '["DE-1"]'], indirect=True)
async def test_an_unusable_stored_choice_is_ignored(api):
    config = await _config(api)
    assert (config["instance_id"], config["instance_source"]) == (None, None)


@pytest.mark.parametrize("stored,reason", [("{", "it is not JSON"), ('{"instance_id": "../x"}', "no valid")])
def test_an_unusable_stored_choice_is_named_in_the_log(tmp_path, caplog, stored, reason):
    path = tmp_path / CHOICE_FILE
    path.write_text(stored)
    settings = DevEnv(
        endpoint="http://127.0.0.1:9", project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY
    )
    log = logging.getLogger("test-chooser")
    service = InstanceService(settings, PromptStore(str(tmp_path / "state.json")), log)
    with caplog.at_level(logging.WARNING, logger="test-chooser"):
        chooser = Chooser(settings, service, ChoiceStore(str(path)), log)
    assert (chooser.source, settings.instance_id) == (None, "")
    [warning] = [r.getMessage() for r in caplog.records]
    assert str(path) in warning and reason in warning and "Choose it again" in warning


class TestConfigured:
    """``c.DevEnv.instance_id`` set: it wins over a stored choice, and choosing is refused."""

    @pytest.fixture
    def devenv_config(self, devenv_config, instance_id):
        return {**devenv_config, "instance_id": instance_id}

    @pytest.mark.parametrize("stored", [json.dumps({"instance_id": NOTEBOOK_RUNNING_ID})], indirect=True)
    @pytest.mark.parametrize("backend", ["demanager"], indirect=True)
    async def test_configuration_wins(self, api, upstream, instance_id):
        config = await _config(api)
        assert (config["instance_id"], config["instance_source"]) == (instance_id, "config")
        before = upstream.total()
        status, error = await api("PUT", "config", {"instance_id": NOTEBOOK_RUNNING_ID})
        assert status == 409 and error["error_code"] == "DEVENV.INSTANCE_CONFIGURED", error
        assert "c.DevEnv.instance_id" in error["error_msg"]
        assert "JUPYTER_DEVENV_INSTANCE_ID" in error["error_msg"]
        assert upstream.total() == before and (await _config(api))["instance_id"] == instance_id


class TestUnwritable:
    @pytest.fixture
    def state_dir(self, tmp_path):
        blocker = tmp_path / "jupyter-data"
        blocker.write_text("a file where the data folder should be\n")
        return blocker / "jupyter_devenv"

    @pytest.mark.parametrize("backend", ["demanager"], indirect=True)
    async def test_a_choice_that_cannot_be_saved_changes_nothing(self, api, emulator, state_dir, server_log):
        status, error = await api("PUT", "config", {"instance_id": _seeds(emulator)["demanager_running"]})
        assert status == 500 and error["error_code"] == "DEVENV.STATE_NOT_SAVED", error
        for words in (
            str(state_dir / CHOICE_FILE),
            "Not a directory",
            "Nothing changed",
            "JUPYTER_DATA_DIR",
            "choose again",
        ):
            assert words in error["error_msg"]
        assert (await _config(api))["instance_id"] is None
        assert (await api("GET", "instances/current"))[0] == 503
        assert "Traceback" not in "\n".join(server_log)
