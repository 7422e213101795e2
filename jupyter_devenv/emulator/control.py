"""``EmulatorControl``: the emulator's ``/_emulator/`` control API from Python, and the environment
that points jupyter-devenv at an emulator. One client for the tests, the benchmarks and the demo.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import httpx


class EmulatorControl:
    """Read and steer an emulator at ``url`` (no authentication: loopback only)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.http = httpx.Client(base_url=self.url + "/_emulator", timeout=timeout, trust_env=False)

    def stats(self) -> Dict[str, Any]:
        return self.http.get("/stats").json()

    def reset_stats(self) -> None:
        self.http.delete("/stats").raise_for_status()

    def total(self) -> int:
        return self.stats()["total"]

    def count(self, method: str, fragment: str = "") -> int:
        """Requests received with ``method`` whose path holds ``fragment``."""
        return sum(
            n
            for key, n in self.stats()["requests"].items()
            if key.startswith(method + " ") and fragment in key
        )

    def instance(self, instance_id: str) -> Dict[str, Any]:
        """The raw stored instance, secrets included."""
        return self.http.get(f"/instances/{instance_id}").json()

    def instances(self) -> List[Dict[str, Any]]:
        return self.http.get("/instances").json()["instances"]

    def seed(self, **spec: Any) -> Dict[str, Any]:
        answer = self.http.post("/instances", json=spec)
        answer.raise_for_status()
        return answer.json()

    def faults(self, **switches: Any) -> None:
        self.http.post("/faults", json=switches).raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete("/faults").raise_for_status()

    def advance(self, seconds: float) -> int:
        """Move the emulator's clock on; its new time in ms."""
        return self.http.post("/clock", json={"advance": seconds}).json()["now"]

    def now(self) -> int:
        return self.http.get("/clock").json()["now"]

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "EmulatorControl":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def environment(url: str, instance_id: Optional[str] = None, backend: Optional[str] = None) -> Dict[str, str]:
    """The environment variables that point jupyter-devenv at the emulator at ``url`` with its keys."""
    from .app import ACCESS_KEY, PROJECT_ID, SECRET_KEY

    env = {
        "JUPYTER_DEVENV_ENDPOINT": url,
        "JUPYTER_DEVENV_IAM_ENDPOINT": url,
        "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT_ID,
        "HUAWEICLOUD_SDK_AK": ACCESS_KEY,
        "HUAWEICLOUD_SDK_SK": SECRET_KEY,
        "JUPYTER_DEVENV_METADATA_ENDPOINT": url,
    }
    if instance_id:
        env["JUPYTER_DEVENV_INSTANCE_ID"] = instance_id
    if backend:
        env["JUPYTER_DEVENV_BACKEND"] = backend
    return env
