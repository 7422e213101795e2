"""Removal of secrets from instance objects before they leave the server."""
from __future__ import annotations

from typing import Any

SECRET_KEYS = frozenset(
    {
        "credential", "credentials", "ssh_private_key", "private_key", "access_token",
        "access_key", "secret_key", "secret_access_key", "security_token", "securitytoken",
        "ak", "sk", "password", "token", "auth_token", "x-auth-token",
    }
)


def redact(value: Any) -> Any:
    """A deep copy of ``value`` without any key named as a secret (case-insensitive).

    Covers ``spec.credential`` (OBS AK/SK), ``connection_info.credential`` wherever it
    sits (``ssh_private_key``, ``access_token``) and stray tokens or keys at any depth.
    """
    if isinstance(value, dict):
        return {k: redact(v) for k, v in value.items() if str(k).lower() not in SECRET_KEYS}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value
