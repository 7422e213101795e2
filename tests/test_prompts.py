"""``PromptStore``: the file is written first, memory follows only a successful write.

Tests run as root, which ignores file modes; writes are made to fail in ways that stop root too.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys

import pytest
from traitlets.config import Config

from jupyter_devenv.modelarts.errors import DevEnvError
from jupyter_devenv.server.prompts import PromptStore


@contextlib.contextmanager
def disk_refuses_writes():
    """Any write to a file fails with EFBIG ("File too large"), as on a full disk; root included."""
    import resource
    import signal

    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the process is killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)


def _leftovers(folder) -> list:
    return [name for name in os.listdir(folder) if name.startswith(".prompts-")]


def test_a_value_survives_a_restart(tmp_path):
    path = tmp_path / "data" / "state.json"
    PromptStore(str(path)).set("DE-1", False)
    assert PromptStore(str(path)).get("DE-1") is False
    assert PromptStore(str(path)).get("DE-2") is True
    assert _leftovers(path.parent) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_failed_write_changes_neither_memory_nor_the_file(tmp_path):
    path = tmp_path / "state.json"
    store = PromptStore(str(path))
    store.set("DE-1", False)
    before = path.read_bytes()
    with disk_refuses_writes(), pytest.raises(DevEnvError) as caught:
        store.set("DE-1", True)
    assert store.get("DE-1") is False
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    error = caught.value
    assert error.error_code == "DEVENV.STATE_NOT_SAVED" and error.status == 500
    assert f"could not be saved to {path}" in error.error_msg and "File too large" in error.error_msg
    assert "JUPYTER_DATA_DIR" in error.error_msg and "Traceback" not in error.error_msg


def test_a_failed_replace_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "state.json"
    path.mkdir()  # the temporary file is written, then cannot take the folder's place
    store = PromptStore(str(path))
    with pytest.raises(DevEnvError, match="Is a directory"):
        store.set("DE-1", False)
    assert store.get("DE-1") is True
    assert _leftovers(tmp_path) == []


def test_a_data_folder_that_is_a_file_is_explained(tmp_path):
    blocker = tmp_path / "jupyter-data"
    blocker.write_text("a file where the data folder should be\n")
    store = PromptStore(str(blocker / "jupyter_devenv" / "state.json"))
    with pytest.raises(DevEnvError) as caught:
        store.set("DE-1", False)
    assert "Not a directory" in caught.value.error_msg and "writable" in caught.value.error_msg
    assert store.get("DE-1") is True
    assert blocker.read_text() == "a file where the data folder should be\n"


# -- through the REST API: the notebooks backend keeps prompt in the store --------------------


@pytest.fixture
def blocker(tmp_path):
    path = tmp_path / "jupyter-data"
    path.write_text("a file where the data folder should be\n")
    return path


@pytest.fixture
def jp_server_config(devenv_config, blocker):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": devenv_config,
            "DevEnvApp": {"state_file": str(blocker / "jupyter_devenv" / "state.json")},
        }
    )


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_an_unsaved_prompt_is_a_json_error_and_changes_nothing(api, blocker, server_log):
    status, error = await api("PUT", "instances/current", {"spec": {"auto_stop": {"prompt": False}}})
    assert status == 500, error
    assert error["error_code"] == "DEVENV.STATE_NOT_SAVED"
    assert str(blocker / "jupyter_devenv" / "state.json") in error["error_msg"]
    assert "Not a directory" in error["error_msg"] and "JUPYTER_DATA_DIR" in error["error_msg"]
    status, state = await api("GET", "instances/current")
    assert status == 200 and state["auto_stop"]["prompt"] is True
    assert blocker.read_text() == "a file where the data folder should be\n"
    assert "Traceback" not in "\n".join(server_log)
    assert "Traceback" not in json.dumps(error)
