"""A ModelArts emulator plus a Jupyter server wired to it, for the browser tests.

``Stack`` starts the in-process emulator (``EmulatorThread``) and a Jupyter server as
a subprocess on a free loopback port, with its own config, runtime, settings,
workspaces and IPython folders, the devenv settings in the environment, and two
small notebooks in its root folder.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

import httpx

from jupyter_devenv.emulator import EmulatorThread
from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY, Emulator

NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "c0", "metadata": {},
               "outputs": [], "source": "x = 1"}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                 "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


class Stack:
    """Emulator + Jupyter server. ``url``, ``token``, ``instance_id``, ``root``, control helpers."""

    def __init__(self, tmp: Path, backend: str = "demanager", stop_in: Optional[float] = None,
                 locale: Optional[str] = None, poll_interval: float = 30.0,
                 reminder_thresholds=(900, 300, 60), save_before_stop: int = 60,
                 lab_settings: Optional[Dict[str, Dict[str, Any]]] = None,
                 configured: bool = True) -> None:
        self.tmp = tmp
        self.backend = backend
        self.emulator = EmulatorThread(Emulator(stop_in=stop_in)).start()
        self.instance_id = self.emulator.emulator.seed_ids[f"{backend}_running"]
        self.control = httpx.Client(base_url=self.emulator.url + "/_emulator", timeout=10)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        assert port_is_free(self.port), f"port {self.port} is taken"
        self.url = f"http://127.0.0.1:{self.port}"
        self.root = tmp / "root"
        self.root.mkdir(parents=True)
        for name in ("a.ipynb", "b.ipynb"):
            _write_json(self.root / name, NOTEBOOK)
        dirs = {name: tmp / name for name in ("config", "runtime", "settings", "workspaces", "ipython", "data")}
        for d in dirs.values():
            d.mkdir()
        _write_json(dirs["config"] / "jupyter_server_config.json", {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": {"poll_interval": poll_interval, "cache_ttl": 0.0,
                       "reminder_thresholds": list(reminder_thresholds),
                       "save_before_stop": save_before_stop},
            "DevEnvApp": {"state_file": str(tmp / "devenv-state.json")},
        })
        settings = {
            "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
            "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        }
        if locale:
            settings["@jupyterlab/translation-extension/plugin"] = {"locale": locale}
        settings.update(lab_settings or {})
        for name, value in settings.items():
            _write_json(dirs["settings"] / f"{name}.jupyterlab-settings", value)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER_DEVENV_", "HUAWEICLOUD_SDK_"))}
        env.update({
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
            "IPYTHONDIR": str(dirs["ipython"]),
            "HUAWEICLOUD_SDK_AK": ACCESS_KEY,
            "HUAWEICLOUD_SDK_SK": SECRET_KEY,
            "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT_ID,
            "JUPYTER_DEVENV_ENDPOINT": self.emulator.url,
            "JUPYTER_DEVENV_INSTANCE_ID": self.instance_id,
            "JUPYTER_DEVENV_BACKEND": backend,
            "JUPYTER_DEVENV_EMULATED": "1",
        })
        if not configured:
            del env["JUPYTER_DEVENV_INSTANCE_ID"]
        self.configured = configured
        self.log_path = tmp / "server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}",
             "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", "--ServerApp.allow_root=True",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=str(self.root),
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Jupyter exited early:\n{self.log_path.read_text()[-3000:]}")
            try:
                # Our token opens it: a stale server on the port would answer 403.
                r = httpx.get(f"{self.url}/devenv/api/config", headers=self.auth, timeout=2)
                if r.status_code == 200:
                    expected = self.instance_id if self.configured else None
                    assert r.json().get("instance_id") == expected, r.text
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"Jupyter did not start:\n{self.log_path.read_text()[-3000:]}")

    @property
    def auth(self) -> Dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    # --- what the tests read and steer -------------------------------------------------
    def raw_instance(self) -> Dict[str, Any]:
        return self.control.get(f"/instances/{self.instance_id}").json()

    def emulator_now(self) -> int:
        return self.control.get("/clock").json()["now"]

    def advance(self, seconds: float) -> int:
        return self.control.post("/clock", json={"advance": seconds}).json()["now"]

    def stop_timestamp(self) -> Optional[int]:
        """The deadline as the emulator keeps it (ms), or None."""
        raw = self.raw_instance()
        if self.backend == "notebooks":
            lease = raw.get("lease") or {}
            return lease["create_at"] + lease["duration"] if lease.get("enable") else None
        return raw["spec"]["auto_stop"].get("stop_timestamp")

    def advance_to_remaining(self, seconds: float) -> int:
        """Advance the emulator clock until ``seconds`` are left before the deadline."""
        stop = self.stop_timestamp()
        assert stop is not None, "no deadline"
        step = (stop - self.emulator_now()) / 1000 - seconds
        assert step >= 0, f"already less than {seconds} s left"
        return self.advance(step)

    def state(self) -> Dict[str, Any]:
        """The REST State, as the server extension answers it."""
        return httpx.get(f"{self.url}/devenv/api/instances/current", headers=self.auth, timeout=10).json()

    def lab_url(self, *paths: str, workspace: Optional[str] = None) -> str:
        ws = workspace or secrets.token_hex(4)
        tree = "/".join(paths)
        return f"{self.url}/lab/workspaces/{ws}/tree/{tree}?token={self.token}"

    def notebook7_url(self, path: str) -> str:
        return f"{self.url}/notebooks/{path}?token={self.token}"

    def kill_server(self) -> None:
        """Stop the Jupyter server (the page stays open): "the server is gone"."""
        self.proc.kill()
        self.proc.wait(timeout=15)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()
        self.control.close()
        self.emulator.stop()
