"""Instance and auto-stop models, and validation of request bodies by the API's rules.

One rule set, shared by the client (nothing invalid is sent), the server extension
(400 before anything goes upstream) and the emulator (which answers as ModelArts does).
"""

from __future__ import annotations

import re
from typing import Any, Dict, Mapping

from .codes import (
    DURATION_MANDATORY,
    DURATION_OUT_OF_RANGE,
    INCORRECT_PROPERTY,
    INVALID_CHARACTER,
    MISSING_PROPERTY,
)
from .errors import DevEnvError

DESCRIPTION_MAX = 512
FORBIDDEN_DESCRIPTION_CHARS = "&<>\"'/"
DURATION_MIN, DURATION_MAX = 3600, 86400  # demanager auto_stop.duration, seconds
LEASE_MIN, LEASE_MAX = 3600, 259200  # notebooks lease renewal, seconds (1-72 h)

_INSTANCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")


def _incorrect(field: str, rule: str) -> DevEnvError:
    return DevEnvError(INCORRECT_PROPERTY, f"{field} {rule}.", field=field)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _encodable(text: str) -> bool:
    """False for text holding a lone surrogate (JSON allows \\ud800; UTF-8 cannot carry it)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_description(value: Any, field: str = "description") -> str:
    if not isinstance(value, str):
        raise _incorrect(field, "must be a string")
    if len(value) > DESCRIPTION_MAX:
        raise DevEnvError(
            INCORRECT_PROPERTY,
            f"{field} is {len(value)} characters long; at most {DESCRIPTION_MAX} are allowed.",
            field=field,
        )
    if not _encodable(value):
        raise DevEnvError(
            INVALID_CHARACTER,
            f"{field} contains a lone surrogate (half of a UTF-16 pair), "
            "which is not a character: send valid Unicode text.",
            field=field,
        )
    bad = sorted(
        {c for c in value if c in FORBIDDEN_DESCRIPTION_CHARS}, key=FORBIDDEN_DESCRIPTION_CHARS.index
    )
    if bad:
        raise DevEnvError(
            INVALID_CHARACTER,
            f"{field} contains {' '.join(bad)}; none of {' '.join(FORBIDDEN_DESCRIPTION_CHARS)} is allowed.",
            field=field,
        )
    return value


def validate_duration(
    value: Any, field: str = "spec.auto_stop.duration", low: int = DURATION_MIN, high: int = DURATION_MAX
) -> int:
    if not _is_int(value):
        raise _incorrect(
            field, f"must be an integer number of seconds ({low}..{high}), not {type(value).__name__}"
        )
    if not low <= value <= high:
        raise DevEnvError(
            DURATION_OUT_OF_RANGE,
            f"{field} is {value}; it must be between {low} and {high} seconds.",
            field=field,
        )
    return value


def _check_object(value: Any, field: str, allowed: tuple) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _incorrect(field or "body", "must be a JSON object")
    for key in value:
        if key not in allowed:
            where = f"{field}.{key}" if field else str(key)
            raise _incorrect(where, f"is not a known property; allowed here: {', '.join(allowed)}")
    return value


def validate_update_body(body: Any) -> Dict[str, Any]:
    """Check an update body of the older (demanager) API; return a normalized copy or raise DevEnvError.

    ``description`` (<= 512 chars, none of ``& < > " ' /``) and/or
    ``spec.auto_stop{enable, duration, prompt}``; ``duration`` is required when
    ``enable`` is true. Unknown fields are refused, not dropped.
    """
    _check_object(body, "", ("description", "spec"))
    if not body:
        raise DevEnvError(
            MISSING_PROPERTY, "The body is empty: give description and/or spec.auto_stop.", field="body"
        )
    out: Dict[str, Any] = {}
    if "description" in body:
        out["description"] = validate_description(body["description"])
    if "spec" in body:
        spec = _check_object(body["spec"], "spec", ("auto_stop",))
        if "auto_stop" not in spec:
            raise DevEnvError(MISSING_PROPERTY, "spec must contain auto_stop.", field="spec.auto_stop")
        auto = _check_object(spec["auto_stop"], "spec.auto_stop", ("enable", "duration", "prompt"))
        if not auto:
            raise DevEnvError(
                MISSING_PROPERTY,
                "spec.auto_stop is empty: give enable, duration or prompt.",
                field="spec.auto_stop",
            )
        clean: Dict[str, Any] = {}
        for key in ("enable", "prompt"):
            if key in auto:
                if not isinstance(auto[key], bool):
                    raise _incorrect(f"spec.auto_stop.{key}", "must be true or false")
                clean[key] = auto[key]
        if "duration" in auto:
            clean["duration"] = validate_duration(auto["duration"])
        if clean.get("enable") is True and "duration" not in clean:
            raise DevEnvError(
                DURATION_MANDATORY,
                "spec.auto_stop.duration is mandatory when spec.auto_stop.enable is true "
                f"({DURATION_MIN}..{DURATION_MAX} seconds).",
                field="spec.auto_stop.duration",
            )
        out["spec"] = {"auto_stop": clean}
    return out


def validate_extend_body(body: Any) -> int:
    """``{"seconds": 3600..259200, "allow_earlier"?: bool}`` for a lease renewal; returns the seconds.

    ``allow_earlier`` (default false) lets a renewal end the lease earlier than it ends now.
    """
    _check_object(body, "", ("seconds", "allow_earlier"))
    if "allow_earlier" in body and not isinstance(body["allow_earlier"], bool):
        raise _incorrect("allow_earlier", "must be true or false")
    if "seconds" not in body:
        raise DevEnvError(
            MISSING_PROPERTY, f"seconds is missing: give {LEASE_MIN}..{LEASE_MAX}.", field="seconds"
        )
    return validate_duration(body["seconds"], field="seconds", low=LEASE_MIN, high=LEASE_MAX)


def validate_instance_id(value: Any) -> str:
    """An instance id as ModelArts makes them (``DE-<uuid>`` or a UUID): letters, digits, ``-``."""
    if not isinstance(value, str) or not _INSTANCE_ID.fullmatch(value):  # "$" would allow a final "\n"
        shown = repr(value)[:40] if isinstance(value, str) else type(value).__name__
        raise DevEnvError(
            INCORRECT_PROPERTY,
            f"instance_id {shown} is not an instance id: use letters, digits and '-' only, at most 64.",
            field="instance_id",
        )
    return value


def auto_stop_of(instance: Mapping[str, Any]) -> Dict[str, Any]:
    """The ``spec.auto_stop`` block of a demanager instance object (empty when absent)."""
    spec = instance.get("spec") or {}
    block = spec.get("auto_stop") if isinstance(spec, Mapping) else None
    return dict(block) if isinstance(block, Mapping) else {}
