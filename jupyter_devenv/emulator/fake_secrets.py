"""Realistic, recognisable secret values to plant in instance objects.

Every value contains ``EMUSECRET``. Instance secrets are derived from the instance id,
so each instance has its own values and a test can search any text for them; issued
temporary credentials are random.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
from typing import Any, Dict, List, Tuple

MARKER = "EMUSECRET"


def _hex(instance_id: str, purpose: str, n: int) -> str:
    return hashlib.sha256(f"{purpose}:{instance_id}".encode()).hexdigest()[:n]


def obs_credential(instance_id: str) -> Dict[str, str]:
    """An OBS AK/SK pair: 20 upper-case characters, 40 mixed."""
    return {
        "access_key": MARKER + _hex(instance_id, "ak", 11).upper(),
        "secret_key": MARKER + "sk" + _hex(instance_id, "sk", 29),
    }


def repository_credential(instance_id: str) -> Dict[str, str]:
    """An OpenSSH private key and a GitHub OAuth token."""
    blob = (
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
        + MARKER
        + base64.b64encode(bytes.fromhex(_hex(instance_id, "ssh", 64))).decode()
    )
    lines = [blob[i : i + 70] for i in range(0, len(blob), 70)]
    key = "\n".join(["-----BEGIN OPENSSH PRIVATE KEY-----", *lines, "-----END OPENSSH PRIVATE KEY-----", ""])
    return {"ssh_private_key": key, "access_token": "ghp_" + MARKER + _hex(instance_id, "ghp", 27)}


def notebook_token(instance_id: str) -> str:
    """The token a notebook instance's answer carries for authenticating to it (64 characters)."""
    return MARKER + _hex(instance_id, "token", 55)


def temporary_credential(region: str) -> Tuple[str, str, str]:
    """A fresh temporary AK (20 upper-case characters), SK (40) and security token.

    The token starts like Huawei Cloud's (base64 of a header and the region).
    """

    def chars(alphabet: str, n: int) -> str:
        return "".join(secrets.choice(alphabet) for _ in range(n))

    upper = string.ascii_uppercase + string.digits
    access = MARKER + chars(upper, 11)
    secret = MARKER + chars(string.ascii_letters + string.digits, 31)
    token = (
        base64.b64encode(b"\x81\x0a" + region.encode()).decode().rstrip("=")
        + MARKER
        + secrets.token_urlsafe(192)
    )
    return access, secret, token


def secret_values(value: Any) -> List[str]:
    """Every string inside ``value`` (an instance object) that holds the marker."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in secret_values(v)]
    if isinstance(value, list):
        return [s for v in value for s in secret_values(v)]
    return [value] if isinstance(value, str) and MARKER in value else []
