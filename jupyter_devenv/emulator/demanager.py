"""demanager (the older API): instance objects and their state changes.

Functions work on a stored instance dict under the store's lock; ``now`` is the
emulator clock in ms. Errors are DevEnvError with the codes ModelArts gives.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Mapping, Optional

from ..modelarts.codes import INCORRECT_PROPERTY, MISSING_PROPERTY
from ..modelarts.errors import DevEnvError
from ..modelarts.models import validate_update_body
from .fake_secrets import obs_credential, repository_credential
from .transitions import require

BACKEND = "demanager"
STATUSES = (
    "CREATING",
    "CREATE_FAILED",
    "STARTING",
    "RESTARTING",
    "START_FAILED",
    "RUNNING",
    "STOPPING",
    "STOPPED",
    "UNAVAILABLE",
    "DELETED",
    "RESIZING",
    "RESIZE_FAILED",
)
IN_PROGRESS = ("CREATING", "STARTING", "RESTARTING", "STOPPING", "RESIZING")
_ALLOWED = {"start": ("STOPPED", "START_FAILED"), "stop": ("RUNNING",), "restart": ("RUNNING",)}


def _error(code: str, msg: str) -> DevEnvError:
    return DevEnvError(code, msg, status=400)


def _repository(instance_id: str) -> Dict[str, Any]:
    return {
        "id": "repo-" + instance_id[-12:],
        "branch": "main",
        "user_name": "emulator-user",
        "user_email": "emulator-user@example.com",
        "type": "GitHub",
        "connection_info": {
            "protocol": "ssh",
            "url": "git@github.com:example/notebooks.git",
            "credential": repository_credential(instance_id),
        },
    }


def new_instance(
    instance_id: str,
    now: int,
    status: str,
    auto_stop: Mapping[str, Any],
    name: Optional[str] = None,
    description: str = "update notebook",
) -> Dict[str, Any]:
    """An instance shaped like the API document's success example, with ``spec`` and secrets."""
    return {
        "ai_project": {"id": "default-ai-project"},
        "creation_timestamp": str(now - 3_600_000),
        "description": description,
        "flavor": "modelarts.bm.gpu.v100NV32",
        "flavor_details": {
            "name": "modelarts.bm.gpu.v100NV32",
            "params": {"CPU": 8, "GPU": 1, "gpu_type": "v100NV32", "memory": "64GiB"},
            "status": "onSale",
            "type": "GPU",
        },
        "id": instance_id,
        "latest_update_timestamp": str(now),
        "name": name or "notebook-" + instance_id[3:7],
        "profile": {
            "de_type": "Notebook",
            "description": "multi engine, gpu, python 3.6 for notebook",
            "flavor_type": "GPU",
            "id": "Python3-gpu",
            "name": "Python3",
            "provision": {
                "spec": {
                    "engine": "CCE",
                    "params": {
                        "annotations": None,
                        "image_name": "mul-kernel-gpu-cuda-cp36",
                        "image_tag": "2.0.5-B003",
                        "namespace": "atelier",
                    },
                },
                "type": "Docker",
            },
        },
        "status": status,
        "user": {"id": "15dda26361214ca2a5953917d2f48ffb", "name": "ops_dev_env"},
        "workspace": {"id": "0"},
        "spec": {
            "log_path": "",
            "storage": {"type": "evs", "location": {"path": "", "volume_size": 5}},
            "credential": obs_credential(instance_id),
            "repository": _repository(instance_id),
            "auto_stop": dict(auto_stop),
            "annotations": {},
            "extend_params": {},
        },
        "repository": _repository(instance_id),
    }


def deadline(inst: Mapping[str, Any]) -> Optional[int]:
    """When a RUNNING instance with auto-stop enabled stops (ms), else None."""
    block = inst["spec"]["auto_stop"]
    if inst["status"] == "RUNNING" and block.get("enable"):
        return block.get("stop_timestamp")
    return None


def render(inst: Mapping[str, Any], now: int) -> Dict[str, Any]:
    """The answer's instance object: a copy with ``remain_time`` counted from ``now``."""
    out = copy.deepcopy(dict(inst))
    block = out["spec"]["auto_stop"]
    stop = block.get("stop_timestamp")
    block["remain_time"] = max(0, (stop - now) // 1000) if stop is not None else None
    return out


def _touch(inst: Dict[str, Any], now: int) -> None:
    inst["latest_update_timestamp"] = str(now)


def _start(inst: Dict[str, Any], now: int) -> None:
    inst["status"] = "RUNNING"
    block = inst["spec"]["auto_stop"]
    block["stop_timestamp"] = now + block["duration"] * 1000 if block.get("enable") else None
    _touch(inst, now)


def stop(inst: Dict[str, Any], now: int) -> None:
    inst["status"] = "STOPPED"
    inst["spec"]["auto_stop"]["stop_timestamp"] = None
    _touch(inst, now)


def update(inst: Dict[str, Any], body: Any, now: int) -> None:
    """The older API's PUT: description and/or auto_stop.

    A new duration on a RUNNING instance is stored for the next start and the running
    deadline stays; enable false clears the deadline; enable true on a RUNNING
    instance that had auto-stop off sets the deadline to now + duration.
    """
    clean = validate_update_body(body)
    if "description" in clean:
        inst["description"] = clean["description"]
    change = clean.get("spec", {}).get("auto_stop", {})
    block = inst["spec"]["auto_stop"]
    was_enabled = bool(block.get("enable"))
    for key in ("prompt", "duration", "enable"):
        if key in change:
            block[key] = change[key]
    if change.get("enable") is False:
        block["stop_timestamp"] = None
    elif change.get("enable") is True and not was_enabled and inst["status"] == "RUNNING":
        block["stop_timestamp"] = now + block["duration"] * 1000
    _touch(inst, now)


def parse_action(body: Any) -> str:
    if not isinstance(body, Mapping):
        raise _error(INCORRECT_PROPERTY, "The body must be a JSON object.")
    if "action" not in body:
        raise _error(MISSING_PROPERTY, "action is missing: give start, stop or restart.")
    extra = [k for k in body if k != "action"]
    if extra:
        raise _error(INCORRECT_PROPERTY, f"{extra[0]} is not a known property; allowed here: action.")
    if body["action"] not in _ALLOWED:
        raise _error(INCORRECT_PROPERTY, "action must be start, stop or restart.")
    return body["action"]


def act(inst: Dict[str, Any], action: str, now: int) -> Dict[str, str]:
    """start / stop / restart, taking effect at once; returns the action's answer."""
    before = inst["status"]
    require(action, before, _ALLOWED[action], IN_PROGRESS)
    if action == "stop":
        stop(inst, now)
    else:
        _start(inst, now)
    return {"current_status": inst["status"], "previous_state": before}
