"""notebooks (the current API, UUID ids, leases): instance objects and their state changes.

Same conventions as ``demanager``: functions on a stored dict under the store's lock,
``now`` in ms. The lease ends at ``create_at + duration``.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, Mapping, Optional

from ..modelarts.errors import DevEnvError
from ..modelarts.models import (
    DURATION_OUT_OF_RANGE, INCORRECT_PROPERTY, LEASE_MAX, LEASE_MIN, MISSING_PROPERTY,
)
from .fake_secrets import obs_credential, repository_credential
from .transitions import require

BACKEND = "notebooks"
STATUSES = (
    "INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "RUNNING", "STOPPED", "SNAPSHOTTING",
    "CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR", "DELETED", "FROZEN",
)
IN_PROGRESS = ("INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING")
LEASE_MIN_MS, LEASE_MAX_MS = LEASE_MIN * 1000, LEASE_MAX * 1000
LEASE_TYPE = "TIMING"
FEATURE = "NOTEBOOK"  # a billed instance (DEFAULT: the free CodeLab one)


def _error(code: str, msg: str) -> DevEnvError:
    return DevEnvError(code, msg, status=400)


def new_instance(instance_id: str, now: int, status: str, lease: Mapping[str, Any],
                 name: Optional[str] = None, description: str = "") -> Dict[str, Any]:
    """A notebook as the current API shows it; secrets in data_volumes and endpoints."""
    return {
        "id": instance_id,
        "name": name or "notebook-" + instance_id[:4],
        "description": description,
        "status": status,
        "create_at": now - 3_600_000,
        "update_at": now,
        "flavor": "modelarts.vm.cpu.2u",
        "feature": FEATURE,
        "image": {
            "id": "e1a07296-22a8-4f05-8bc8-e936c8e54202",
            "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
            "swr_path": "swr.cn-north-4.myhuaweicloud.com/atelier/pytorch_1_8:pytorch_1.8.0-cuda_10.2-py_3.7",
            "type": "BUILD_IN",
        },
        "lease": dict(lease),
        "workspace_id": "0",
        "user": {"id": "15dda26361214ca2a5953917d2f48ffb", "name": "ops_dev_env"},
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5, "mount_path": "/home/ma-user/work"},
        "data_volumes": [{
            "category": "OBS",
            "ownership": "DEDICATED",
            "uri": "obs://emulator-bucket/data/",
            "mount_path": "/data/obs",
            "credential": obs_credential(instance_id),
        }],
        "endpoints": [{
            "service": "SSH",
            "dev_service": "SSH",
            "uri": "dev-modelarts.cn-north-4.huaweicloud.com:31205",
            "key_pair_names": ["KeyPair-emulator"],
            "allowed_access_ips": [],
            "credential": repository_credential(instance_id),
        }],
        "action_progress": [],
        "tags": [],
    }


def deadline(inst: Mapping[str, Any]) -> Optional[int]:
    """``create_at + duration`` of a RUNNING instance's enabled lease (ms), else None."""
    lease = inst["lease"]
    if inst["status"] == "RUNNING" and lease.get("enable"):
        return lease["create_at"] + lease["duration"]
    return None


def render(inst: Mapping[str, Any], now: int) -> Dict[str, Any]:
    return copy.deepcopy(dict(inst))


def stop(inst: Dict[str, Any], now: int) -> None:
    inst["status"] = "STOPPED"
    inst["update_at"] = now


def lease_duration(value: Any, field: str = "duration") -> int:
    """A lease duration in ms, 3,600,000..259,200,000 (1-72 h)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise _error(INCORRECT_PROPERTY, f"{field} must be an integer number of milliseconds.")
    if not LEASE_MIN_MS <= value <= LEASE_MAX_MS:
        raise _error(DURATION_OUT_OF_RANGE,
                     f"{field} is {value}; it must be between {LEASE_MIN_MS} and {LEASE_MAX_MS} milliseconds.")
    return value


def lease_type(value: Any) -> str:
    if value != LEASE_TYPE:
        raise _error(INCORRECT_PROPERTY, f"type must be {LEASE_TYPE}.")
    return value


def renew(inst: Dict[str, Any], body: Any, now: int) -> Dict[str, Any]:
    """PATCH lease ``{"duration": ms, "type": "TIMING"}``: the lease then ends ``duration`` from now."""
    if not isinstance(body, Mapping):
        raise _error(INCORRECT_PROPERTY, "The body must be a JSON object.")
    extra = [k for k in body if k not in ("duration", "type")]
    if extra:
        raise _error(INCORRECT_PROPERTY, f"{extra[0]} is not a known property; allowed here: duration, type.")
    if "duration" not in body:
        raise _error(MISSING_PROPERTY, "duration is missing.")
    requested = lease_duration(body["duration"])
    if "type" in body:
        lease_type(body["type"])
    require("renew", inst["status"], ("RUNNING",), IN_PROGRESS)
    lease = inst["lease"]
    lease.update(duration=(now - lease["create_at"]) + requested, enable=True, type=LEASE_TYPE, update_at=now)
    inst["update_at"] = now
    return dict(lease)


def start(inst: Dict[str, Any], duration: Optional[int], now: int) -> None:
    """Start with a new lease from now (``duration`` ms, or the previous lease's)."""
    require("start", inst["status"], ("STOPPED", "START_FAILED"), IN_PROGRESS)
    lease = inst["lease"]
    lease.update(create_at=now, update_at=now, enable=True, type=LEASE_TYPE)
    if duration is not None:
        lease["duration"] = duration
    inst["status"] = "RUNNING"
    inst["update_at"] = now


def stop_now(inst: Dict[str, Any], now: int) -> None:
    """The stop call (as opposed to the lease running out)."""
    require("stop", inst["status"], ("RUNNING",), IN_PROGRESS)
    stop(inst, now)
