"""The instance object as it may leave the server: only the fields we know and use.

An allowlist, not a denylist of secret names: ModelArts adds fields (tokens, URLs with a
token in them, keys nested in new blocks) under names nobody can guess, and a denylist
would pass each new one to the browser and to every kernel until someone noticed. Here a
field the server does not know is dropped, whatever its name.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

Spec = Dict[str, Optional["Spec"]]  # None: a scalar field; a dict: a block and its own allowed keys


def _scalars(*names: str) -> Spec:
    return dict.fromkeys(names)


TIMESTAMPS = (
    "create_at",
    "update_at",
    "create_time",
    "update_time",
    "creation_timestamp",
    "latest_update_timestamp",
)

ALLOWED: Spec = {
    # Read by the panel, the widget, the CLI and the kernel API (id, name, status, flavor,
    # description); the timestamps in the spelling of either API generation.
    **_scalars("id", "name", "status", "flavor", "description", *TIMESTAMPS),
    "profile": _scalars("name"),
    # demanager: the auto-stop block State's auto_stop is made from.
    "spec": {"auto_stop": _scalars("enable", "duration", "prompt", "stop_timestamp", "remain_time")},
    # notebooks: the lease State's auto_stop is made from.
    "lease": _scalars("enable", "duration", "type", "create_at", "update_at", "create_time", "update_time"),
}

_SCALAR_TYPES = (str, int, float, bool, type(None))


def redact(instance: Mapping[str, Any], spec: Spec = ALLOWED) -> Dict[str, Any]:
    """A new dict with only the keys of ``spec`` found in ``instance``.

    A scalar field keeps only a JSON scalar (a dict or list in its place is dropped); a
    block keeps only a mapping, cut to its own allowed keys.
    """
    out: Dict[str, Any] = {}
    for key, inner in spec.items():
        if key not in instance:
            continue
        value = instance[key]
        if inner is None:
            if isinstance(value, _SCALAR_TYPES):
                out[key] = value
        elif isinstance(value, Mapping):
            out[key] = redact(value, inner)
    return out
