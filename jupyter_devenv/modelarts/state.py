"""``State``: the one shape in which the server, the CLI and a ``Connection`` show an instance."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from . import statuses
from .models import auto_stop_of
from .redact import redact

DEMANAGER = "demanager"
NOTEBOOKS = "notebooks"
BACKENDS = (DEMANAGER, NOTEBOOKS)
TIMING, IDLE = "TIMING", "IDLE"  # lease types
COUNTDOWN, IDLE_KIND, OFF, UNKNOWN, NOT_RUNNING = "countdown", "idle", "off", "unknown", "not_running"
FREE = "DEFAULT"  # the feature of a free (CodeLab) instance


def _remain(stop_ms: Optional[int], server_time_ms: int) -> Optional[int]:
    if stop_ms is None:
        return None
    return max(0, (int(stop_ms) - int(server_time_ms)) // 1000)


def _kind(phase: str, enable: bool, lease_type: Optional[str], stop: Optional[int]) -> str:
    """What there is to show: a countdown, a stop when idle, no automatic stop, or not knowing."""
    if not enable:
        return OFF
    if lease_type == IDLE:
        return IDLE_KIND
    if phase != statuses.RUNNING:
        return NOT_RUNNING
    return COUNTDOWN if stop is not None else UNKNOWN


def auto_stop_demanager(instance: Mapping[str, Any], server_time_ms: int) -> Dict[str, Any]:
    block = auto_stop_of(instance)
    enable = bool(block.get("enable", False))
    phase = statuses.phase_of(instance.get("status"))
    stop = _int(block.get("stop_timestamp")) if enable and phase == statuses.RUNNING else None
    return {
        "enable": enable,
        "type": TIMING if enable else None,  # the older API has timed stops only
        "kind": _kind(phase, enable, TIMING, stop),
        "duration": block.get("duration"),
        "prompt": bool(block.get("prompt", True)),
        "stop_timestamp": stop,
        "remain_time": _remain(stop, server_time_ms),
        "can_extend": False,
        "can_toggle": phase in statuses.SETTINGS_PHASES,
    }


def _first(block: Mapping[str, Any], *names: str) -> Optional[int]:
    """The first of ``names`` present in ``block`` as a whole number (the API spells some two ways)."""
    for name in names:
        if block.get(name) is not None:
            return _int(block[name])
    return None


def auto_stop_notebooks(instance: Mapping[str, Any], server_time_ms: int, prompt: bool) -> Dict[str, Any]:
    lease = instance.get("lease") if isinstance(instance.get("lease"), Mapping) else {}
    enable = bool(lease.get("enable", False))
    lease_type = str(lease["type"]).upper() if lease.get("type") else None
    phase = statuses.phase_of(instance.get("status"))
    created, duration = _first(lease, "create_at", "create_time"), _first(lease, "duration")
    stop = None
    if (
        enable
        and lease_type != IDLE
        and phase == statuses.RUNNING
        and created is not None
        and duration is not None
    ):
        stop = created + duration
    return {
        "enable": enable,
        "type": lease_type if enable else None,
        "kind": _kind(phase, enable, lease_type, stop),
        "duration": duration // 1000 if duration is not None else None,
        "prompt": prompt,
        "stop_timestamp": stop,
        "remain_time": _remain(stop, server_time_ms),
        "can_extend": phase == statuses.RUNNING and lease_type != IDLE,
        "can_toggle": False,  # a lease has no on/off: it is extended instead
    }


def _int(value: Any) -> Optional[int]:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def build_state(
    instance: Mapping[str, Any],
    backend: str,
    server_time_ms: int,
    prompt: bool = True,
    emulated: bool = False,
) -> Dict[str, Any]:
    """``{"instance", "auto_stop", "backend", "server_time", ...}``, the instance cut to ``redact.ALLOWED``.

    ``stop_timestamp`` is always the API's (demanager) or derived from the API's lease
    fields (notebooks: ``create_at + duration`` of a ``TIMING`` lease; an ``IDLE`` lease
    has no stop time), and null when the answer lacks what it needs: never made up.
    ``auto_stop.kind`` says what to show (``countdown``, ``idle``, ``off``, ``unknown``,
    ``not_running``), ``phase`` the status in a person's terms (``statuses.py``), ``free``
    whether it is a free instance (stopped after an hour, deleted after 72 h unstarted).
    ``remain_time`` is counted from the upstream clock. ``prompt`` is used for the
    notebooks backend, whose API has none. ``emulated``: the answer came from jupyter-devenv's
    emulator (its ``X-Emulator`` header), so the UI marks it however the emulator was started.
    """
    if backend == NOTEBOOKS:
        auto = auto_stop_notebooks(instance, server_time_ms, prompt)
    else:
        auto = auto_stop_demanager(instance, server_time_ms)
    return {
        "instance": redact(instance),
        "auto_stop": auto,
        "backend": backend,
        "phase": statuses.phase_of(instance.get("status")),
        "free": instance.get("feature") == FREE,
        "server_time": int(server_time_ms),
        "emulated": emulated,
    }
