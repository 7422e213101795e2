"""``jupyter devenv demo`` (``make demo``): the emulator and JupyterLab wired to it.

The emulated instance stops a few minutes from now, so the countdown, the reminders and
save-before-stop can be seen at once. Ctrl-C stops both. JupyterLab works on copies of
the example notebooks in a temporary folder, with its own settings (no news toast) and
workspaces there too, so the repository is left as it was found.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict

from .emulator import Emulator, EmulatorThread
from .emulator.control import environment

STOP_IN = 16 * 60  # seconds: just past the first reminder threshold (15 min)


NEWS_OFF = {"fetchNews": "false", "checkForUpdates": False}


def _notebooks_dir() -> Path:
    here = Path(__file__).resolve().parents[1] / "notebooks"
    return here if (here / "demo.ipynb").exists() else Path.cwd()


def demo_folder(work: Path) -> Path:
    """``work`` with copies of the example notebooks, and JupyterLab settings without the news toast."""
    for notebook in _notebooks_dir().glob("*.ipynb"):
        shutil.copy2(notebook, work / notebook.name)
    settings = work / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(NEWS_OFF), encoding="utf-8")
    return work


def demo_env(emulator: EmulatorThread, instance_id: str, work: Path) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_DEVENV_", "HUAWEICLOUD_SDK_"))}
    env.update(environment(emulator.url, instance_id))
    env.update(
        {
            "JUPYTERLAB_SETTINGS_DIR": str(work / ".settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(work / ".workspaces"),
        }
    )
    return env


def run_demo(port: int = 8888, open_browser: bool = True, backend: str = "demanager") -> int:
    emulator = EmulatorThread(Emulator(stop_in=STOP_IN)).start()
    instance_id = emulator.emulator.seed_ids[f"{backend}_running"]
    token = secrets.token_hex(16)
    work = Path(tempfile.mkdtemp(prefix="jupyter-devenv-demo-"))
    root = demo_folder(work)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.default_url=/lab/tree/demo.ipynb",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    print(f"ModelArts emulator: {emulator.url}  (instance {instance_id}, stops in {STOP_IN // 60} min)")
    print(f"JupyterLab:         http://127.0.0.1:{port}/lab/tree/demo.ipynb?token={token}")
    print(f"Notebooks:          copies in {work} (removed at the end)")
    print("Press Ctrl-C to stop both.", flush=True)
    proc = subprocess.Popen(cmd, env=demo_env(emulator, instance_id, work))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
    finally:
        emulator.stop()
        shutil.rmtree(work, ignore_errors=True)
