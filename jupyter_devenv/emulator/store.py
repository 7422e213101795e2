"""The instances the emulator keeps, their lookup, seeding, and deadline-driven stops."""

from __future__ import annotations

import copy
import logging
import threading
import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from ..modelarts.codes import INSTANCE_NOT_FOUND
from ..modelarts.errors import DevEnvError
from . import demanager, notebooks
from .clock import Clock

BACKENDS = {demanager.BACKEND: demanager, notebooks.BACKEND: notebooks}
DEMANAGER_RUNNING_ID = "DE-7d558ef8-c73d-11ea-964c-0255ac100033"
DEMANAGER_STOPPED_ID = "DE-3f9e2a10-c73d-11ea-964c-0255ac100034"
NOTEBOOK_RUNNING_ID = "5f2c8a6e-1d3b-4e7a-9c0f-8b6d4a2e1c07"
NOTEBOOK_STOPPED_ID = "8d4e1f2a-6b7c-4d8e-9f0a-1b2c3d4e5f60"
NOTEBOOK_IDLE_ID = "c3a9e6b1-7f24-4d5e-8a1b-2f6e0d9c4b73"
log = logging.getLogger(__name__)
_ID_NAMESPACE = uuid.UUID("0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9")


def not_found() -> DevEnvError:
    return DevEnvError(INSTANCE_NOT_FOUND, "The instance does not exist.", status=400)


def bad_seed(msg: str) -> DevEnvError:
    return DevEnvError("EMULATOR.BAD_REQUEST", msg, status=400)


class Store:
    """Instances by id, each with its backend. Thread-safe: one lock guards everything.

    Every lookup first stops the instances whose deadline has passed, so the state an
    answer shows is always up to date with the clock.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.RLock()
        self._items: Dict[str, Tuple[str, Dict[str, Any]]] = {}
        self._generated = 0

    def expire_due(self) -> None:
        """Stop every instance whose deadline has passed, as of its deadline."""
        now = self.clock.now_ms()
        with self._lock:
            for instance_id, (backend, inst) in self._items.items():
                module = BACKENDS[backend]
                due = module.deadline(inst)
                if due is not None and due <= now:
                    module.stop(inst, due)
                    log.info("%s %s stopped: its deadline passed", backend, instance_id)

    @contextmanager
    def instance(self, backend: str, instance_id: str) -> Iterator[Dict[str, Any]]:
        """Hold the lock on one instance of ``backend``; 400 ModelArts.6309 when absent."""
        with self._lock:
            self.expire_due()
            found = self._items.get(instance_id)
            if found is None or found[0] != backend:
                raise not_found()
            yield found[1]

    def raw(self, instance_id: str) -> Optional[Tuple[str, Dict[str, Any]]]:
        """(backend, rendered instance with secrets) or None."""
        with self._lock:
            self.expire_due()
            found = self._items.get(instance_id)
            if found is None:
                return None
            return found[0], BACKENDS[found[0]].render(found[1], self.clock.now_ms())

    def all(self, backend: str) -> List[Dict[str, Any]]:
        """Rendered instances of one backend, in creation order."""
        with self._lock:
            self.expire_due()
            now = self.clock.now_ms()
            return [BACKENDS[b].render(i, now) for b, i in self._items.values() if b == backend]

    def stored(self, backend: str) -> List[Dict[str, Any]]:
        """Copies of one backend's stored instances, fields that answers hide included, in creation order."""
        with self._lock:
            self.expire_due()
            return [copy.deepcopy(i) for b, i in self._items.values() if b == backend]

    def remove(self, instance_id: str) -> None:
        with self._lock:
            self._items.pop(instance_id, None)

    def idle_stop(self, instance_id: str) -> Dict[str, Any]:
        """Stop a notebooks instance with an IDLE lease as if it had stayed idle; the rendered instance."""
        with self._lock:
            self.expire_due()
            found = self._items.get(instance_id)
            if found is None or found[0] != notebooks.BACKEND:
                raise DevEnvError("EMULATOR.NOT_FOUND", f"No notebooks instance {instance_id}.", status=404)
            now = self.clock.now_ms()
            notebooks.idle_stop(found[1], now)
            return notebooks.render(found[1], now)

    def seed(self, spec: Mapping[str, Any]) -> Tuple[str, Dict[str, Any]]:
        """Add one instance from a seed spec; (backend, rendered instance).

        ``backend`` (demanager), ``id`` (generated, deterministic), ``status``
        (RUNNING), ``name``, ``description``, ``stop_in`` (seconds to the deadline),
        and ``auto_stop{enable, duration, prompt, stop_timestamp}`` (demanager;
        default enabled, 3600 s, prompt) or ``lease{create_at, duration, enable, type}``
        (notebooks, ms; default a 1 h TIMING lease from now; ``stop_in`` needs TIMING).
        """
        allowed = ("backend", "id", "status", "name", "description", "stop_in", "auto_stop", "lease")
        unknown = [k for k in spec if k not in allowed]
        if unknown:
            raise bad_seed(f"Unknown seed field {unknown[0]}; allowed: {', '.join(allowed)}.")
        backend = spec.get("backend", demanager.BACKEND)
        if backend not in BACKENDS:
            raise bad_seed(f"backend must be one of {', '.join(BACKENDS)}.")
        module = BACKENDS[backend]
        status = spec.get("status", "RUNNING")
        if status not in module.STATUSES:
            raise bad_seed(f"status must be one of {', '.join(module.STATUSES)}.")
        stop_in = spec.get("stop_in")
        if stop_in is not None and (not isinstance(stop_in, (int, float)) or isinstance(stop_in, bool)):
            raise bad_seed("stop_in must be a number of seconds.")
        now = self.clock.now_ms()
        with self._lock:
            instance_id = spec.get("id") or self._new_id(backend)
            if not isinstance(instance_id, str) or instance_id in self._items:
                raise bad_seed(f"id {instance_id!r} is not a string or is already taken.")
            kwargs = {"name": spec.get("name")}
            if "description" in spec:
                kwargs["description"] = spec["description"]
            if backend == demanager.BACKEND:
                inst = demanager.new_instance(
                    instance_id,
                    now,
                    status,
                    _auto_stop(spec.get("auto_stop"), status, stop_in, now),
                    **kwargs,
                )
            else:
                inst = notebooks.new_instance(
                    instance_id, now, status, _lease(spec.get("lease"), stop_in, now), **kwargs
                )
            self._items[instance_id] = (backend, inst)
            return backend, module.render(inst, now)

    def _new_id(self, backend: str) -> str:
        self._generated += 1
        value = str(uuid.uuid5(_ID_NAMESPACE, f"{backend}-{self._generated}"))
        return "DE-" + value if backend == demanager.BACKEND else value

    def seed_defaults(self, stop_in: Optional[float] = None) -> Dict[str, str]:
        """The default instances: a running and a stopped one per API, and a running notebooks
        instance with an IDLE lease; ``stop_in`` puts the deadlines of the running ones with
        a deadline that close."""
        self.seed(
            {
                "id": DEMANAGER_RUNNING_ID,
                "stop_in": stop_in,
                "auto_stop": {"enable": True, "duration": 3600, "prompt": True},
            }
        )
        self.seed(
            {
                "id": DEMANAGER_STOPPED_ID,
                "status": "STOPPED",
                "name": "notebook-stopped",
                "auto_stop": {"enable": True, "duration": 7200, "prompt": True},
            }
        )
        self.seed({"id": NOTEBOOK_RUNNING_ID, "backend": notebooks.BACKEND, "stop_in": stop_in})
        self.seed(
            {
                "id": NOTEBOOK_STOPPED_ID,
                "backend": notebooks.BACKEND,
                "status": "STOPPED",
                "name": "notebook-stopped",
            }
        )
        self.seed(
            {
                "id": NOTEBOOK_IDLE_ID,
                "backend": notebooks.BACKEND,
                "name": "notebook-idle",
                "lease": {"type": notebooks.IDLE},
            }
        )
        return {
            "demanager_running": DEMANAGER_RUNNING_ID,
            "demanager_stopped": DEMANAGER_STOPPED_ID,
            "notebooks_running": NOTEBOOK_RUNNING_ID,
            "notebooks_stopped": NOTEBOOK_STOPPED_ID,
            "notebooks_idle": NOTEBOOK_IDLE_ID,
        }


def _checked(given: Any, name: str, types: Mapping[str, tuple]) -> Dict[str, Any]:
    """A seed's sub-object whose fields are known and of the right JSON type."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise bad_seed(f"{name} must be an object.")
    for key, value in given.items():
        if key not in types:
            raise bad_seed(f"Unknown {name} field {key}; allowed: {', '.join(types)}.")
        if not isinstance(value, types[key]) or (isinstance(value, bool) and bool not in types[key]):
            raise bad_seed(f"{name}.{key} has the wrong type.")
    return dict(given)


def _auto_stop(given: Any, status: str, stop_in: Optional[float], now: int) -> Dict[str, Any]:
    given = _checked(
        given,
        "auto_stop",
        {"enable": (bool,), "duration": (int,), "prompt": (bool,), "stop_timestamp": (int, type(None))},
    )
    block = {"enable": True, "duration": 3600, "prompt": True, "stop_timestamp": None}
    block.update(given)
    if status != "RUNNING" or not block["enable"]:
        block["stop_timestamp"] = None
    elif stop_in is not None:
        block["stop_timestamp"] = now + int(stop_in * 1000)
    elif block["stop_timestamp"] is None:
        block["stop_timestamp"] = now + block["duration"] * 1000
    return block


def _lease(given: Any, stop_in: Optional[float], now: int) -> Dict[str, Any]:
    given = _checked(
        given, "lease", {"create_at": (int,), "duration": (int,), "enable": (bool,), "type": (str,)}
    )
    lease = {
        "create_at": now,
        "duration": notebooks.DEFAULT_DURATION_MS,
        "enable": True,
        "type": notebooks.TIMING,
        "update_at": now,
    }
    lease.update(given)
    if lease["type"] not in notebooks.LEASE_TYPES:
        raise bad_seed(f"lease.type must be one of {', '.join(notebooks.LEASE_TYPES)}.")
    if stop_in is not None:
        if lease["type"] != notebooks.TIMING:
            raise bad_seed("stop_in needs a TIMING lease: an IDLE lease has no deadline.")
        # As if started a while ago with a lease of at least an hour that ends stop_in from now.
        lease["duration"] = max(3_600_000, int(stop_in * 1000))
        lease["create_at"] = now + int(stop_in * 1000) - lease["duration"]
    return lease
