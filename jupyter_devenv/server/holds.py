"""Holds ("keep this instance running while ..."): their validation and the file that keeps them.

A hold has an end (``ends_at``, ms of the upstream clock, as ``State.server_time``) and
maybe a kernel; the ``HoldKeeper`` keeps the instance running while one is active. The
file (``holds.json`` next to ``c.DevEnvApp.state_file``) also keeps what the keeper must
restore when the last hold ends (the older API's auto-stop settings), so both survive a
restart of the Jupyter server. It is written before memory changes.
"""

from __future__ import annotations

import os
import re
import secrets
from typing import Any, Dict, List, Mapping, Optional

from ..modelarts.codes import HOLD_NOT_FOUND, INCORRECT_PROPERTY, MISSING_PROPERTY, STATE_NOT_SAVED
from ..modelarts.errors import DevEnvError
from .state_files import read_json, write_json

HOLDS_FILE = "holds.json"
REASON_MAX = 200
MIN_SECONDS, MAX_SECONDS = 60, 259200
HOLDERS = ("kernel", "user", "busy")  # busy: made by the keeper for a busy kernel (c.DevEnv.hold_while_busy)
# Plain text: no control characters (C0, DEL, C1), and not only blanks. openapi.yaml has the same pattern.
_CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
REASON_PATTERN = re.compile(f"^[^{_CONTROL}]*[^\\s{_CONTROL}][^{_CONTROL}]*$")
KERNEL_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
Hold = Dict[str, Any]


def holds_path(state_file: str) -> str:
    return os.path.join(os.path.dirname(state_file) or ".", HOLDS_FILE)


def _bad(field: str, rule: str) -> DevEnvError:
    return DevEnvError(INCORRECT_PROPERTY, f"{field} {rule}. Nothing was kept.", field=field)


def validate_hold_body(body: Any) -> Dict[str, Any]:
    """``{"reason": 1-200 chars of plain text, "max_seconds": 60..259200, "kernel_id"?: str}``."""
    if not isinstance(body, Mapping):
        raise _bad("body", 'must be a JSON object: {"reason": "training", "max_seconds": 21600}')
    for key in body:
        if key not in ("reason", "max_seconds", "kernel_id"):
            raise _bad(str(key), "is not a known property; allowed here: reason, max_seconds, kernel_id")
    for key in ("reason", "max_seconds"):
        if key not in body:
            raise DevEnvError(
                MISSING_PROPERTY,
                f'{key} is missing: send {{"reason": "training", "max_seconds": 21600}}. Nothing was kept.',
                field=key,
            )
    reason, seconds = body["reason"], body["max_seconds"]
    if not isinstance(reason, str):
        raise _bad("reason", f"must be a string, not {type(reason).__name__}")
    if not 1 <= len(reason) <= REASON_MAX:
        raise _bad("reason", f"is {len(reason)} characters long; it must be 1 to {REASON_MAX}")
    if not REASON_PATTERN.fullmatch(reason) or not _encodable(reason):
        raise _bad("reason", "must be plain text: one line, no control characters, not only blanks")
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise _bad(
            "max_seconds",
            f"must be a whole number of seconds ({MIN_SECONDS}..{MAX_SECONDS}), not {type(seconds).__name__}",
        )
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise _bad(
            "max_seconds", f"is {seconds}; it must be between {MIN_SECONDS} (1 min) and {MAX_SECONDS} (72 h)"
        )
    kernel_id = body.get("kernel_id")
    if "kernel_id" in body and (not isinstance(kernel_id, str) or not KERNEL_ID_PATTERN.fullmatch(kernel_id)):
        raise _bad(
            "kernel_id",
            "must be a kernel id as GET /api/kernels lists them (letters, digits, '.', "
            "'_' and '-', at most 100)",
        )
    return {"reason": reason, "max_seconds": seconds, "kernel_id": kernel_id}


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def new_hold(
    instance_id: str,
    reason: str,
    now_ms: int,
    seconds: float,
    kernel_id: Optional[str],
    notebook: Optional[str],
    holder: str,
) -> Hold:
    return {
        "id": secrets.token_hex(8),
        "instance_id": instance_id,
        "reason": reason,
        "created_at": now_ms,
        "ends_at": now_ms + int(seconds * 1000),
        "kernel_id": kernel_id,
        "notebook": notebook,
        "holder": holder,
    }


class HoldStore:
    """The holds and the pending restores (instance id -> ``{"enable", "duration"}``), on disk."""

    def __init__(self, path: str, log: Any) -> None:
        self.path = path
        self.holds: List[Hold] = []
        self.restores: Dict[str, Dict[str, Any]] = {}
        try:
            data = read_json(path)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning(
                "jupyter-devenv: the holds in %s are not used: %s. Holds made from now on replace them.",
                path,
                getattr(exc, "strerror", None) or type(exc).__name__,
            )
            return
        if isinstance(data, dict):
            self.holds = [h for h in data.get("holds") or [] if _is_hold(h)]
            restores = data.get("restores") or {}
            self.restores = {str(k): v for k, v in restores.items() if isinstance(v, dict)}

    def _save(self, holds: List[Hold], restores: Dict[str, Dict[str, Any]]) -> None:
        try:
            write_json(self.path, {"holds": holds, "restores": restores}, prefix=".holds-")
        except OSError as exc:
            raise DevEnvError(
                STATE_NOT_SAVED,
                f"The holds could not be saved to {self.path}: "
                f"{exc.strerror or type(exc).__name__}. Nothing changed. Make that folder "
                "writable, or set JUPYTER_DATA_DIR (or c.DevEnvApp.state_file, next to which "
                "holds are kept) to a writable place, and try again.",
                status=500,
            ) from None
        self.holds, self.restores = holds, restores

    def add(self, hold: Hold) -> None:
        self._save(self.holds + [hold], self.restores)

    def remove(self, hold_ids: List[str]) -> List[Hold]:
        """Drop these holds; the ones dropped."""
        gone = [h for h in self.holds if h["id"] in hold_ids]
        if gone:
            self._save([h for h in self.holds if h["id"] not in hold_ids], self.restores)
        return gone

    def get(self, hold_id: str) -> Hold:
        for hold in self.holds:
            if hold["id"] == hold_id:
                return hold
        raise DevEnvError(
            HOLD_NOT_FOUND,
            f"No hold {hold_id[:40]!r}: it has ended or was released. GET "
            "devenv/api/holds lists the active ones.",
            status=404,
            field="hold_id",
        )

    def of(self, instance_id: str) -> List[Hold]:
        return [h for h in self.holds if h["instance_id"] == instance_id]

    def instances(self) -> List[str]:
        """Instances with a hold or a restore pending."""
        return sorted({h["instance_id"] for h in self.holds} | set(self.restores))

    def set_restore(self, instance_id: str, restore: Optional[Dict[str, Any]]) -> None:
        restores = {k: v for k, v in self.restores.items() if k != instance_id}
        if restore is not None:
            restores[instance_id] = restore
        self._save(self.holds, restores)


def _is_hold(value: Any) -> bool:
    keys = ("id", "instance_id", "reason", "created_at", "ends_at", "kernel_id", "notebook", "holder")
    return isinstance(value, dict) and all(k in value for k in keys) and isinstance(value["ends_at"], int)
