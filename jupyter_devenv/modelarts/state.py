"""``State``: the one shape in which the server, the CLI and the kernel client show an instance."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from .models import auto_stop_of
from .redact import redact

DEMANAGER = "demanager"
NOTEBOOKS = "notebooks"
BACKENDS = (DEMANAGER, NOTEBOOKS)


def _remain(stop_ms: Optional[int], server_time_ms: int) -> Optional[int]:
    if stop_ms is None:
        return None
    return max(0, (int(stop_ms) - int(server_time_ms)) // 1000)


def auto_stop_demanager(instance: Mapping[str, Any], server_time_ms: int) -> Dict[str, Any]:
    block = auto_stop_of(instance)
    enable = bool(block.get("enable", False))
    stop = block.get("stop_timestamp") if enable else None
    running = instance.get("status") == "RUNNING"
    return {
        "enable": enable,
        "duration": block.get("duration"),
        "prompt": bool(block.get("prompt", True)),
        "stop_timestamp": stop if running else None,
        "remain_time": _remain(stop, server_time_ms) if running else None,
        "can_extend": False,
        "can_toggle": True,
    }


def auto_stop_notebooks(instance: Mapping[str, Any], server_time_ms: int, prompt: bool) -> Dict[str, Any]:
    lease = instance.get("lease") or {}
    enable = bool(lease.get("enable", False))
    running = instance.get("status") == "RUNNING"
    stop = None
    if enable and running and lease.get("create_at") is not None and lease.get("duration") is not None:
        stop = int(lease["create_at"]) + int(lease["duration"])
    return {
        "enable": enable,
        "duration": int(lease["duration"]) // 1000 if lease.get("duration") is not None else None,
        "prompt": prompt,
        "stop_timestamp": stop,
        "remain_time": _remain(stop, server_time_ms),
        "can_extend": running,
        "can_toggle": False,  # a lease has no on/off: it is extended instead
    }


def build_state(instance: Mapping[str, Any], backend: str, server_time_ms: int,
                prompt: bool = True) -> Dict[str, Any]:
    """``{"instance", "auto_stop", "backend", "server_time"}``, the instance cut to ``redact.ALLOWED``.

    ``stop_timestamp`` is always the API's (demanager) or derived from the API's lease
    fields (notebooks: ``create_at + duration``); ``remain_time`` is counted from the
    upstream clock. ``prompt`` is used for the notebooks backend, whose API has none.
    """
    if backend == NOTEBOOKS:
        auto = auto_stop_notebooks(instance, server_time_ms, prompt)
    else:
        auto = auto_stop_demanager(instance, server_time_ms)
    return {"instance": redact(instance), "auto_stop": auto, "backend": backend,
            "server_time": int(server_time_ms)}
