"""What ``serve`` prints: seeded instances, URL and credentials, pasteable into a shell."""

from __future__ import annotations

import shlex

from ..modelarts.durations import format_hms
from . import demanager, notebooks
from .app import Emulator


def _line(backend: str, inst: dict, now: int) -> str:
    deadline = demanager.deadline(inst) if backend == demanager.BACKEND else notebooks.deadline(inst)
    if deadline:
        stops = f"stops in {format_hms((deadline - now) / 1000)}"
    elif backend == notebooks.BACKEND and inst["lease"].get("type") == notebooks.IDLE:
        stops = "IDLE lease: stops only by POST /_emulator/instances/<id>/idle-stop"
    else:
        stops = "no deadline"
    return f"#   {inst['id']}  {backend:<9}  {inst['status']:<8}  {stops}"


def banner(emulator: Emulator, url: str) -> str:
    """Every line is a shell comment or an ``export``, so the whole text can be pasted."""
    now = emulator.clock.now_ms()
    first = next(iter(emulator.seed_ids.values()), "")
    exports = {
        "HUAWEICLOUD_SDK_AK": emulator.access_key,
        "HUAWEICLOUD_SDK_SK": emulator.secret_key,
        "HUAWEICLOUD_SDK_PROJECT_ID": emulator.project_id,
        "JUPYTER_DEVENV_ENDPOINT": url,
        "JUPYTER_DEVENV_INSTANCE_ID": first,
    }
    lines = [
        f"# ModelArts emulator (jupyter-devenv) on {url}; control API under {url}/_emulator/",
        "# Instances:",
    ]
    lines += [_line(backend, inst, now) for backend, insts in emulator.instances().items() for inst in insts]
    lines.append("# Accepted credentials (paste these lines into your shell):")
    lines += [f"export {name}={shlex.quote(value)}" for name, value in exports.items()]
    lines.append(
        f"# Also accepted: temporary AK {emulator.temp_access_key} / SK {emulator.temp_secret_key}"
        f" with HUAWEICLOUD_SDK_SECURITY_TOKEN={emulator.security_token};"
    )
    lines.append(
        f"#   IAM login {emulator.iam_user} / {emulator.iam_password} / domain {emulator.iam_domain}"
        f" at {url}/v3/auth/tokens"
        + (f"; JUPYTER_DEVENV_IAM_TOKEN={emulator.static_token}" if emulator.static_token else "")
    )
    lifetime = format_hms(emulator.credentials_lifetime)
    lines.append(
        f"#   temporary credentials ({lifetime} each) from the metadata service"
        f" at {url}/openstack/latest/securitykey"
    )
    return "\n".join(lines) + "\n"
