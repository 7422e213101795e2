"""Every status of both API generations, every lease type and spelling: what the State says.

One table row per status: its phase, whether a countdown shows, and which auto-stop
actions are offered (only those the API would accept in that status).
"""

from __future__ import annotations

import pytest

from jupyter_devenv.modelarts.state import build_state

NOW = 1_700_000_000_000
STOP = NOW + 1_800_000


def demanager(status: str, enable: bool = True) -> dict:
    return {
        "id": "DE-1",
        "status": status,
        "spec": {
            "auto_stop": {
                "enable": enable,
                "duration": 3600,
                "prompt": True,
                "stop_timestamp": STOP if enable else None,
            }
        },
    }


def notebook(status: str, lease: dict) -> dict:
    return {"id": "0f4ea5c3-8b69-4a43-9f3b-2a1b8a2c1f2e", "status": status, "lease": lease}


TIMING_LEASE = {"create_at": NOW - 1_800_000, "duration": 3_600_000, "enable": True, "type": "TIMING"}

# status: (phase, countdown shown, can_toggle) on the older API
DEMANAGER = {
    "CREATING": ("starting", False, False),
    "CREATE_FAILED": ("failed", False, False),
    "STARTING": ("starting", False, False),
    "RESTARTING": ("starting", False, False),
    "START_FAILED": ("failed", False, False),
    "RUNNING": ("running", True, True),
    "STOPPING": ("stopping", False, False),
    "STOPPED": ("stopped", False, True),
    "UNAVAILABLE": ("failed", False, False),
    "DELETED": ("deleted", False, False),
    "RESIZING": ("starting", False, False),
    "RESIZE_FAILED": ("failed", False, False),
}
# status: (phase, countdown shown, can_extend) on the current API
NOTEBOOKS = {
    "INIT": ("starting", False, False),
    "CREATING": ("starting", False, False),
    "STARTING": ("starting", False, False),
    "STOPPING": ("stopping", False, False),
    "DELETING": ("stopping", False, False),
    "RUNNING": ("running", True, True),
    "STOPPED": ("stopped", False, False),
    "SNAPSHOTTING": ("saving", False, False),
    "CREATE_FAILED": ("failed", False, False),
    "START_FAILED": ("failed", False, False),
    "DELETE_FAILED": ("failed", False, False),
    "ERROR": ("failed", False, False),
    "DELETED": ("deleted", False, False),
    "FROZEN": ("frozen", False, False),
}


@pytest.mark.parametrize("status,expected", DEMANAGER.items(), ids=list(DEMANAGER))
def test_every_status_of_the_older_api(status, expected):
    phase, countdown, can_toggle = expected
    state = build_state(demanager(status), "demanager", NOW)
    auto = state["auto_stop"]
    assert state["phase"] == phase
    assert auto["kind"] == ("countdown" if countdown else "not_running")
    assert (auto["stop_timestamp"], auto["remain_time"]) == ((STOP, 1800) if countdown else (None, None))
    assert (auto["can_toggle"], auto["can_extend"]) == (can_toggle, False)


@pytest.mark.parametrize("status,expected", NOTEBOOKS.items(), ids=list(NOTEBOOKS))
def test_every_status_of_the_current_api(status, expected):
    phase, countdown, can_extend = expected
    state = build_state(notebook(status, TIMING_LEASE), "notebooks", NOW)
    auto = state["auto_stop"]
    assert state["phase"] == phase
    assert auto["kind"] == ("countdown" if countdown else "not_running")
    assert (auto["stop_timestamp"], auto["remain_time"]) == ((STOP, 1800) if countdown else (None, None))
    assert (auto["can_extend"], auto["can_toggle"]) == (can_extend, False)


def test_a_status_nobody_documented_is_unknown_and_offers_nothing():
    state = build_state(notebook("MIGRATING", TIMING_LEASE), "notebooks", NOW)
    assert state["phase"] == "unknown"
    assert state["auto_stop"]["kind"] == "not_running" and state["auto_stop"]["can_extend"] is False


def test_an_idle_lease_has_no_countdown_and_cannot_be_extended():
    lease = {**TIMING_LEASE, "type": "IDLE"}
    auto = build_state(notebook("RUNNING", lease), "notebooks", NOW)["auto_stop"]
    assert (auto["type"], auto["kind"]) == ("IDLE", "idle")
    assert (auto["stop_timestamp"], auto["remain_time"], auto["can_extend"]) == (None, None, False)


def test_a_lease_type_in_lower_case_is_the_same_type():
    auto = build_state(notebook("RUNNING", {**TIMING_LEASE, "type": "timing"}), "notebooks", NOW)["auto_stop"]
    assert (auto["type"], auto["kind"], auto["stop_timestamp"]) == ("TIMING", "countdown", STOP)


def test_the_create_time_spelling_gives_the_same_stop():
    lease = {
        "create_time": NOW - 1_800_000,
        "duration": 3_600_000,
        "enable": True,
        "type": "TIMING",
        "update_time": NOW,
    }
    auto = build_state(notebook("RUNNING", lease), "notebooks", NOW)["auto_stop"]
    assert (auto["stop_timestamp"], auto["remain_time"]) == (STOP, 1800)


@pytest.mark.parametrize("missing", ["create_at", "duration"])
def test_a_lease_without_what_a_stop_needs_is_unknown_never_made_up(missing):
    lease = {k: v for k, v in TIMING_LEASE.items() if k != missing}
    auto = build_state(notebook("RUNNING", lease), "notebooks", NOW)["auto_stop"]
    assert (auto["kind"], auto["stop_timestamp"], auto["remain_time"]) == ("unknown", None, None)


def test_a_running_older_instance_without_a_stop_timestamp_is_unknown():
    instance = demanager("RUNNING")
    instance["spec"]["auto_stop"]["stop_timestamp"] = None
    auto = build_state(instance, "demanager", NOW)["auto_stop"]
    assert (auto["kind"], auto["stop_timestamp"]) == ("unknown", None)


@pytest.mark.parametrize(
    "backend,instance",
    [
        ("demanager", demanager("RUNNING", enable=False)),
        ("notebooks", notebook("RUNNING", {**TIMING_LEASE, "enable": False})),
    ],
)
def test_auto_stop_off_has_no_type_and_no_countdown(backend, instance):
    auto = build_state(instance, backend, NOW)["auto_stop"]
    assert (auto["kind"], auto["type"], auto["stop_timestamp"]) == ("off", None, None)


def test_a_free_instance_is_marked():
    instance = {**notebook("RUNNING", TIMING_LEASE), "feature": "DEFAULT"}
    assert build_state(instance, "notebooks", NOW)["free"] is True
    assert build_state(notebook("RUNNING", TIMING_LEASE), "notebooks", NOW)["free"] is False
