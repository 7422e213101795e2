"""A Jupyter server with jupyter-devenv wired to a ModelArts emulator, on loopback.

``JupyterProcess`` runs ``jupyter_server`` or ``jupyterlab`` as a subprocess with the devenv
settings in the environment (``HUAWEICLOUD_SDK_*``, ``JUPYTER_DEVENV_*``), a fixed token, two
small notebooks in its root, and its own config, runtime, data, settings, workspaces and
IPython folders, so nothing of the machine's own Jupyter set-up leaks in and nothing is left
behind. ``EmulatorProcess`` runs the emulator in its own process too, and ``ProcessStack`` is
the two in a temporary folder (the benchmarks and the load test); the browser tests run the
emulator in-process instead (``tests/ui/stack.py``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import httpx

from jupyter_devenv.emulator.control import EmulatorControl, environment
from jupyter_devenv.emulator.store import DEMANAGER_RUNNING_ID, NOTEBOOK_RUNNING_ID

LAB_EXTENSIONS = ("jupyterlab", "notebook", "notebook_shim", "jupyter_lsp", "jupyter_server_terminals")
RUNNING_IDS = {"demanager": DEMANAGER_RUNNING_ID, "notebooks": NOTEBOOK_RUNNING_ID}
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "c0",
            "metadata": {},
            "outputs": [],
            "source": "x = 1",
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


# Debian's Chromium, as the browser tests and the front-end benchmark launch it (no network of its own).
CHROMIUM = os.environ.get("JUPYTER_DEVENV_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


def _die_with_parent() -> None:
    """In the child, before exec: be sent SIGTERM when the process that started it dies (Linux), so an
    interrupted benchmark or test leaves no server behind."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux, or no libc: nothing to arrange
        pass


def _stop(proc: Optional[subprocess.Popen], grace: float = 30.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


class EmulatorProcess:
    """``python -m jupyter_devenv emulator`` on a free port: ``url``, ``control``, ``close()``."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        assert port_is_free(self.port), f"port {self.port} is taken"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        args = [sys.executable, "-m", "jupyter_devenv", "emulator", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            args, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )
        self.control = EmulatorControl(self.url)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the emulator exited early:\n{log_path.read_text()[-2000:]}")
            try:
                if self.control.http.get("/stats").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the emulator did not start:\n{log_path.read_text()[-2000:]}")
            time.sleep(0.1)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def close(self) -> None:
        self.control.close()
        _stop(self.proc)
        self._log.close()


class JupyterProcess:
    """A Jupyter server with jupyter-devenv in ``tmp``, wired to ``emulator_url`` through the environment.

    ``instance_id`` None leaves the server unconfigured. ``app`` is ``"jupyter_server"`` (the bare
    server: fastest to start) or ``"jupyterlab"`` (needed to open a notebook in a browser).
    ``devenv`` holds ``c.DevEnv`` settings (``cache_ttl``, ``poll_interval``...), ``lab_settings``
    JupyterLab settings by plugin id, over ``LAB_SETTINGS``. ``extensions`` adds server
    extensions of the tests' own: module name -> the folder it is imported from. ``tls``
    (certificate, key: PEM files) serves HTTPS with them; ``verify`` then trusts that certificate.
    ``extra_env`` adds environment variables of the server process, over those above;
    ``terminals`` keeps jupyter_server_terminals on in the bare server.
    ``server_extension`` False leaves jupyter_devenv's server extension off (its labextension is
    still there): a package installed while Jupyter was not restarted. ``page_config`` adds
    JupyterLab page settings (``labconfig/page_config.json`` in its config folder).
    """

    def __init__(
        self,
        tmp: Path,
        emulator_url: str,
        backend: str,
        instance_id: Optional[str],
        app: str = "jupyter_server",
        devenv: Optional[Dict[str, Any]] = None,
        lab_settings: Optional[Dict[str, Dict[str, Any]]] = None,
        extensions: Optional[Dict[str, Path]] = None,
        tls: Optional[Tuple[Path, Path]] = None,
        extra_env: Optional[Dict[str, str]] = None,
        terminals: bool = False,
        server_extension: bool = True,
        page_config: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.instance_id = instance_id
        self.server_extension = server_extension
        self.token = secrets.token_hex(16)
        self.port = free_port()
        assert port_is_free(self.port), f"port {self.port} is taken"
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.verify: Union[bool, ssl.SSLContext] = True
        if tls:
            self.verify = ssl.create_default_context(cafile=str(tls[0]))
        self.root = tmp / "root"
        self.root.mkdir(parents=True, exist_ok=True)
        for name in ("a.ipynb", "b.ipynb"):
            _write_json(self.root / name, NOTEBOOK)
        dirs = {
            name: tmp / name for name in ("config", "runtime", "settings", "workspaces", "ipython", "data")
        }
        for d in dirs.values():
            d.mkdir(exist_ok=True)
        enabled = {"jupyter_devenv": server_extension}
        if app == "jupyter_server":  # the bare server: only our extension, so it starts fast
            enabled.update({name: False for name in LAB_EXTENSIONS})
        if terminals:
            enabled["jupyter_server_terminals"] = True
        enabled.update({name: True for name in extensions or {}})
        _write_json(
            dirs["config"] / "jupyter_server_config.json",
            {
                "ServerApp": {"jpserver_extensions": enabled},
                "DevEnv": dict(devenv or {}),
                "DevEnvApp": {"state_file": str(tmp / "devenv-state.json")},
            },
        )
        if page_config:
            _write_json(dirs["config"] / "labconfig" / "page_config.json", page_config)
        self.settings_dir = dirs["settings"]
        self.write_lab_settings(lab_settings)
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_DEVENV_", "HUAWEICLOUD_SDK_"))
        }
        env.update(
            {
                "JUPYTER_CONFIG_DIR": str(dirs["config"]),
                "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
                "JUPYTER_DATA_DIR": str(dirs["data"]),
                "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
                "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
                "IPYTHONDIR": str(dirs["ipython"]),
                **environment(emulator_url, instance_id, backend),
            }
        )
        env.update(extra_env or {})
        if extensions:
            folders = [str(folder) for folder in extensions.values()] + [env.get("PYTHONPATH", "")]
            env["PYTHONPATH"] = os.pathsep.join(f for f in folders if f)
        args: List[str] = [
            sys.executable,
            "-m",
            app,
            "--no-browser",
            f"--port={self.port}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--ServerApp.allow_root=True",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
        ]
        if tls:
            args += [f"--ServerApp.certfile={tls[0]}", f"--ServerApp.keyfile={tls[1]}"]
        if app == "jupyterlab":
            args += [
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ]
        self.log_path = tmp / "server.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            args,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=str(self.root),
            preexec_fn=_die_with_parent,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.close()
            raise

    def _wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Jupyter exited early:\n{self.log_text()[-3000:]}")
            try:
                # Our token opens it: a stale server on the port would answer 403.
                path = "/devenv/api/config" if self.server_extension else "/api/status"
                r = httpx.get(f"{self.url}{path}", headers=self.auth, timeout=2, verify=self.verify)
                if r.status_code == 200:
                    assert not self.server_extension or r.json().get("instance_id") == self.instance_id, (
                        r.text
                    )
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Jupyter did not start:\n{self.log_text()[-3000:]}")

    def write_lab_settings(self, lab_settings: Optional[Dict[str, Dict[str, Any]]] = None) -> None:
        """The user's JupyterLab settings: ``LAB_SETTINGS`` and ``lab_settings`` over them, nothing
        else. JupyterLab reads them at each request, so a page loaded afterwards has them."""
        for path in self.settings_dir.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        for name, value in {**LAB_SETTINGS, **(lab_settings or {})}.items():
            _write_json(self.settings_dir / f"{name}.jupyterlab-settings", value)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def auth(self) -> Dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    @property
    def api(self) -> str:
        return f"{self.url}/devenv/api"

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def close(self, grace: float = 30.0) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ``grace`` seconds (its kernels, started
        with ``JPY_PARENT_PID``, end with it)."""
        _stop(self.proc, grace)
        self._log.close()


class ProcessStack:
    """An EmulatorProcess and a JupyterProcess in a temporary folder; a context manager.

    ``extensions``, ``tls``: as for ``JupyterProcess``.
    """

    def __init__(
        self,
        backend: str = "demanager",
        app: str = "jupyter_server",
        devenv: Optional[Dict[str, Any]] = None,
        tmp: Optional[Path] = None,
        extensions: Optional[Dict[str, Path]] = None,
        tls: Optional[Tuple[Path, Path]] = None,
    ) -> None:
        self._own_tmp = tmp is None
        self.tmp = Path(tempfile.mkdtemp(prefix="devenv-bench-")) if tmp is None else tmp
        self.emulator: Optional[EmulatorProcess] = None
        self.server: Optional[JupyterProcess] = None
        try:
            self.emulator = EmulatorProcess(self.tmp / "emulator.log")
            self.server = JupyterProcess(
                self.tmp / "jupyter",
                self.emulator.url,
                backend,
                RUNNING_IDS[backend],
                app,
                devenv,
                extensions=extensions,
                tls=tls,
            )
        except BaseException:
            self.close()
            raise

    @property
    def instance_id(self) -> str:
        assert self.server is not None and self.server.instance_id is not None
        return self.server.instance_id

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
        if self.emulator is not None:
            self.emulator.close()
        if self._own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> "ProcessStack":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
