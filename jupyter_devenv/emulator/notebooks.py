"""notebooks (the current API, UUID ids, leases): instance objects and their state changes.

Same conventions as ``demanager``: functions on a stored dict under the store's lock,
``now`` in ms. A TIMING lease ends at ``create_at + duration``; an IDLE lease has no end
(the platform stops an instance that stays idle, which the emulator does only when told:
``idle_stop``).
"""

from __future__ import annotations

import copy
from typing import Any, Dict, Mapping, Optional, Tuple

from ..modelarts.codes import DURATION_OUT_OF_RANGE, INCORRECT_PROPERTY
from ..modelarts.errors import DevEnvError
from ..modelarts.models import LEASE_MAX, LEASE_MIN
from .notebook_object import new_object
from .transitions import require

BACKEND = "notebooks"
STATUSES = (
    "INIT",
    "CREATING",
    "STARTING",
    "STOPPING",
    "DELETING",
    "RUNNING",
    "STOPPED",
    "SNAPSHOTTING",
    "CREATE_FAILED",
    "START_FAILED",
    "DELETE_FAILED",
    "ERROR",
    "DELETED",
    "FROZEN",
)
IN_PROGRESS = ("INIT", "CREATING", "STARTING", "STOPPING", "DELETING", "SNAPSHOTTING")
LEASE_MIN_MS, LEASE_MAX_MS = LEASE_MIN * 1000, LEASE_MAX * 1000
IDLE_MIN_MS = 900_000  # RenewLease: "the minimum idle stop value is 900000"
DEFAULT_DURATION_MS = 3_600_000  # RenewLease's and StartNotebook's default
TIMING, IDLE = "TIMING", "IDLE"
LEASE_TYPES = (TIMING, IDLE)
# Kept for ListNotebooks' sort_key and never shown: the SDK's NotebookResp has no such fields.
HIDDEN = ("create_at", "update_at")


def _error(code: str, msg: str) -> DevEnvError:
    return DevEnvError(code, msg, status=400)


def new_instance(
    instance_id: str,
    now: int,
    status: str,
    lease: Mapping[str, Any],
    name: Optional[str] = None,
    description: str = "",
) -> Dict[str, Any]:
    """A notebook (``notebook_object``), with the HIDDEN times it was created and last updated."""
    inst = new_object(instance_id, status, lease, name or "notebook-" + instance_id[:4], description)
    inst.update(create_at=now - 3_600_000, update_at=now)
    return inst


def deadline(inst: Mapping[str, Any]) -> Optional[int]:
    """``create_at + duration`` of a RUNNING instance's enabled TIMING lease (ms), else None."""
    lease = inst["lease"]
    if inst["status"] == "RUNNING" and lease.get("enable") and lease.get("type") == TIMING:
        return lease["create_at"] + lease["duration"]
    return None


def render(inst: Mapping[str, Any], now: int) -> Dict[str, Any]:
    """The instance as the API answers it: a copy without the HIDDEN fields."""
    return {key: copy.deepcopy(value) for key, value in inst.items() if key not in HIDDEN}


def stop(inst: Dict[str, Any], now: int) -> None:
    inst["status"] = "STOPPED"
    inst["update_at"] = now


def lease_duration(value: Any, low: int = LEASE_MIN_MS) -> int:
    """A lease duration in ms, ``low``..259,200,000 (72 h)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise _error(INCORRECT_PROPERTY, "duration must be an integer number of milliseconds.")
    if not low <= value <= LEASE_MAX_MS:
        raise _error(
            DURATION_OUT_OF_RANGE,
            f"duration is {value}; it must be between {low} and {LEASE_MAX_MS} milliseconds.",
        )
    return value


def query_duration(text: Optional[str]) -> Optional[int]:
    """The ``duration`` query parameter of start and renew (3,600,000..259,200,000 ms); None when absent."""
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise _error(INCORRECT_PROPERTY, "duration must be a whole number of milliseconds.")
    return lease_duration(int(text))


def lease_type(value: Any) -> str:
    """TIMING or IDLE, in either case (RenewLease's example sends ``"timing"``); answered upper-case."""
    if not isinstance(value, str) or value.upper() not in LEASE_TYPES:
        raise _error(INCORRECT_PROPERTY, f"type must be {TIMING} or {IDLE}.")
    return value.upper()


def _lease_body(body: Any) -> Tuple[str, int]:
    """RenewLease's body ``{"duration", "type"}``, both optional: (type, duration)."""
    body = {} if body is None else body
    if not isinstance(body, Mapping):
        raise _error(INCORRECT_PROPERTY, "The body must be a JSON object.")
    extra = [k for k in body if k not in ("duration", "type")]
    if extra:
        raise _error(INCORRECT_PROPERTY, f"{extra[0]} is not a known property; allowed here: duration, type.")
    kind = lease_type(body.get("type", TIMING))
    duration = lease_duration(
        body.get("duration", DEFAULT_DURATION_MS), low=IDLE_MIN_MS if kind == IDLE else LEASE_MIN_MS
    )
    return kind, duration


def renew(inst: Dict[str, Any], body: Any, duration: Optional[int], now: int) -> Dict[str, Any]:
    """PATCH lease. ``duration`` (the query parameter) overrides the body and means TIMING.

    TIMING: the lease then ends ``duration`` from now. IDLE: ``duration`` is the idle
    period, stored as given. The answer is the lease.
    """
    kind = TIMING
    if duration is None:
        kind, duration = _lease_body(body)
    require("renew", inst["status"], ("RUNNING",), IN_PROGRESS)
    lease = inst["lease"]
    if kind == TIMING:
        duration += now - lease["create_at"]
    lease.update(duration=duration, enable=True, type=kind, update_at=now)
    inst["update_at"] = now
    return dict(lease)


def start(inst: Dict[str, Any], duration: Optional[int], kind: str, now: int) -> None:
    """Start with a new lease of type ``kind`` from now (``duration`` ms, or the previous lease's)."""
    require("start", inst["status"], ("STOPPED", "START_FAILED"), IN_PROGRESS)
    lease = inst["lease"]
    lease.update(create_at=now, update_at=now, enable=True, type=kind)
    if duration is not None:
        lease["duration"] = duration
    inst["status"] = "RUNNING"
    inst["fail_reason"] = ""
    inst["update_at"] = now


def stop_now(inst: Dict[str, Any], now: int) -> None:
    """The stop call (as opposed to the lease running out)."""
    require("stop", inst["status"], ("RUNNING",), IN_PROGRESS)
    stop(inst, now)


def idle_stop(inst: Dict[str, Any], now: int) -> None:
    """Stop a RUNNING instance with an enabled IDLE lease as the platform does when it stays idle."""
    lease = inst["lease"]
    if inst["status"] != "RUNNING" or lease.get("type") != IDLE or not lease.get("enable"):
        raise DevEnvError(
            "EMULATOR.NOT_IDLE_LEASE",
            "Only a RUNNING instance with an enabled IDLE lease "
            f"stops when idle; this one is {inst['status']} with a {lease.get('type')} lease.",
            status=409,
        )
    stop(inst, now)
