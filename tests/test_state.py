"""build_state: one State shape for both backends; the API's deadline is the truth."""

from __future__ import annotations

import copy
import json

import pytest

from jupyter_devenv.modelarts.state import build_state

# A State as the REST API gives it: stop_timestamp 1594891408723 seen at server_time 1594888072000
# leaves remain_time 3336 s.
STOP_MS = 1594891408723
SERVER_MS = 1594888072000
DESIGN_REMAIN = 3336

SECRET = "SK-SHOULD-NEVER-APPEAR-123"


def demanager(status="RUNNING", **auto_stop):
    block = {"enable": True, "duration": 3600, "prompt": True, "stop_timestamp": STOP_MS, "remain_time": 1}
    block.update(auto_stop)
    return {
        "id": "DE-7d558ef8-c73d-11ea-964c-0255ac100033",
        "name": "notebook-ml",
        "status": status,
        "spec": {"auto_stop": block, "credential": {"access_key": "AK", "secret_key": SECRET}},
    }


def notebooks(status="RUNNING", create_at=1_700_000_000_000, duration=7_200_000, enable=True):
    return {
        "id": "0f4ea5c3-8b69-4a43-9f3b-2a1b8a2c1f2e",
        "name": "nb",
        "status": status,
        "lease": {
            "create_at": create_at,
            "duration": duration,
            "enable": enable,
            "type": "TIMING",
            "update_at": create_at,
        },
        "repository": {"connection_info": {"credential": {"access_token": SECRET}}},
    }


def _check_shape(state, backend, server_ms):
    assert set(state) == {"instance", "auto_stop", "backend", "phase", "free", "server_time", "emulated"}
    assert set(state["auto_stop"]) == {
        "enable",
        "type",
        "kind",
        "duration",
        "prompt",
        "stop_timestamp",
        "remain_time",
        "can_extend",
        "can_toggle",
    }
    assert state["backend"] == backend
    assert state["server_time"] == server_ms
    dumped = json.dumps(state)  # JSON-serializable as the REST contract needs
    assert SECRET not in dumped


# ------------------------------------------------------------------ demanager


def test_demanager_design_example():
    state = build_state(demanager(), "demanager", SERVER_MS)
    _check_shape(state, "demanager", SERVER_MS)
    assert state["auto_stop"] == {
        "enable": True,
        "type": "TIMING",
        "kind": "countdown",
        "duration": 3600,
        "prompt": True,
        "stop_timestamp": STOP_MS,
        "remain_time": DESIGN_REMAIN,
        "can_extend": False,
        "can_toggle": True,
    }


@pytest.mark.parametrize("server_ms", [STOP_MS - 3_600_000, STOP_MS - 61_500, STOP_MS - 999, STOP_MS])
def test_demanager_remain_time_counts_from_server_time(server_ms):
    auto = build_state(demanager(), "demanager", server_ms)["auto_stop"]
    assert auto["stop_timestamp"] == STOP_MS
    assert auto["remain_time"] == (STOP_MS - server_ms) // 1000


def test_demanager_remain_time_never_negative_after_the_deadline():
    auto = build_state(demanager(), "demanager", STOP_MS + 5_000)["auto_stop"]
    assert auto["stop_timestamp"] == STOP_MS
    assert auto["remain_time"] == 0


def test_demanager_stop_timestamp_is_the_apis_not_recomputed():
    """Duration says 1 h but the API's deadline is 5 h away: the API's deadline is shown."""
    stop = SERVER_MS + 5 * 3_600_000 + 123
    instance = demanager(duration=3600, stop_timestamp=stop, remain_time=42)
    auto = build_state(instance, "demanager", SERVER_MS)["auto_stop"]
    assert auto["stop_timestamp"] == stop
    assert auto["remain_time"] == 5 * 3600
    assert auto["duration"] == 3600


def test_demanager_disabled():
    auto = build_state(demanager(enable=False, prompt=False), "demanager", SERVER_MS)["auto_stop"]
    assert auto["enable"] is False
    assert auto["stop_timestamp"] is None
    assert auto["remain_time"] is None
    assert auto["prompt"] is False
    assert auto["can_extend"] is False


@pytest.mark.parametrize(
    "status", ["STOPPED", "STOPPING", "STARTING", "CREATING", "START_FAILED", "UNAVAILABLE"]
)
def test_demanager_not_running_has_no_countdown(status):
    auto = build_state(demanager(status=status), "demanager", SERVER_MS)["auto_stop"]
    assert auto["enable"] is True
    assert auto["duration"] == 3600  # the duration for the next start is still shown
    assert auto["stop_timestamp"] is None
    assert auto["remain_time"] is None
    assert auto["can_extend"] is False


def test_demanager_without_auto_stop_block():
    instance = {"id": "DE-1", "status": "RUNNING", "spec": {}}
    auto = build_state(instance, "demanager", SERVER_MS)["auto_stop"]
    assert auto["enable"] is False and auto["stop_timestamp"] is None and auto["remain_time"] is None
    assert auto["duration"] is None
    assert auto["prompt"] is True  # the API's default


def test_demanager_prompt_defaults_to_true():
    instance = demanager()
    del instance["spec"]["auto_stop"]["prompt"]
    assert build_state(instance, "demanager", SERVER_MS)["auto_stop"]["prompt"] is True


def test_demanager_instance_is_redacted_and_input_untouched():
    instance = demanager()
    before = copy.deepcopy(instance)
    state = build_state(instance, "demanager", SERVER_MS)
    assert instance == before
    assert "credential" not in state["instance"]["spec"]
    assert state["instance"]["id"] == instance["id"]
    assert state["instance"]["spec"]["auto_stop"] == instance["spec"]["auto_stop"]


# ------------------------------------------------------------------ notebooks


def test_notebooks_lease_deadline_is_create_at_plus_duration():
    create_at, duration = 1_700_000_000_000, 7_200_000
    server_ms = create_at + 1_800_500
    state = build_state(
        notebooks(create_at=create_at, duration=duration), "notebooks", server_ms, prompt=True
    )
    _check_shape(state, "notebooks", server_ms)
    assert state["auto_stop"] == {
        "enable": True,
        "type": "TIMING",
        "kind": "countdown",
        "duration": 7200,
        "prompt": True,
        "stop_timestamp": 1_700_007_200_000,
        "remain_time": 5399,  # 7,200,000 - 1,800,500 ms
        "can_extend": True,
        "can_toggle": False,
    }


def test_notebooks_after_a_renewal():
    """docs/modelarts-api.md: a renewal of 3,600,000 ms at `now` makes duration
    (now - create_at) + 3,600,000."""
    create_at = 1_700_000_000_000
    now = create_at + 5_000_000
    renewed = (now - create_at) + 3_600_000
    auto = build_state(notebooks(create_at=create_at, duration=renewed), "notebooks", now)["auto_stop"]
    assert auto["stop_timestamp"] == now + 3_600_000
    assert auto["remain_time"] == 3600


def test_notebooks_lease_numbers_as_strings():
    auto = build_state(
        notebooks(create_at="1700000000000", duration="3600000"), "notebooks", 1_700_000_000_000
    )["auto_stop"]
    assert auto["stop_timestamp"] == 1_700_003_600_000
    assert auto["duration"] == 3600


@pytest.mark.parametrize(
    "status,can_extend",
    [
        ("RUNNING", True),
        ("STOPPED", False),
        ("STARTING", False),
        ("STOPPING", False),
        ("CREATING", False),
        ("ERROR", False),
        ("FROZEN", False),
        ("SNAPSHOTTING", False),
        ("INIT", False),
    ],
)
def test_notebooks_can_extend_only_while_running(status, can_extend):
    auto = build_state(notebooks(status=status), "notebooks", 1_700_000_000_000)["auto_stop"]
    assert auto["can_extend"] is can_extend
    if not can_extend:
        assert auto["stop_timestamp"] is None and auto["remain_time"] is None


@pytest.mark.parametrize("prompt", [True, False])
def test_notebooks_prompt_is_passed_through(prompt):
    auto = build_state(notebooks(), "notebooks", 1_700_000_000_000, prompt=prompt)["auto_stop"]
    assert auto["prompt"] is prompt


def test_notebooks_lease_disabled():
    auto = build_state(notebooks(enable=False), "notebooks", 1_700_000_000_000)["auto_stop"]
    assert auto["enable"] is False
    assert auto["stop_timestamp"] is None and auto["remain_time"] is None


def test_notebooks_without_lease():
    instance = {"id": "0f4ea5c3-8b69-4a43-9f3b-2a1b8a2c1f2e", "status": "RUNNING"}
    auto = build_state(instance, "notebooks", 1_700_000_000_000)["auto_stop"]
    assert auto["enable"] is False and auto["duration"] is None
    assert auto["stop_timestamp"] is None and auto["remain_time"] is None


def test_notebooks_instance_is_redacted_and_input_untouched():
    instance = notebooks()
    before = copy.deepcopy(instance)
    state = build_state(instance, "notebooks", 1_700_000_000_000)
    assert instance == before
    assert state["instance"]["lease"] == instance["lease"]
    assert "repository" not in state["instance"]  # not on the allowlist, secrets and all


def test_prompt_argument_does_not_override_demanager_api_value():
    auto = build_state(demanager(prompt=False), "demanager", SERVER_MS, prompt=True)["auto_stop"]
    assert auto["prompt"] is False
