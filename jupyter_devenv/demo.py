"""``jupyter devenv demo`` (``make demo``): the emulator and JupyterLab wired to it.

The emulated instance stops a few minutes from now, so the countdown, the reminders and
save-before-stop can be seen at once. Ctrl-C stops both.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Dict

from .emulator import Emulator, EmulatorThread

STOP_IN = 16 * 60  # seconds: just past the first reminder threshold (15 min)


def _notebooks_dir() -> Path:
    here = Path(__file__).resolve().parents[1] / "notebooks"
    return here if (here / "demo.ipynb").exists() else Path.cwd()


def demo_env(emulator: EmulatorThread, instance_id: str) -> Dict[str, str]:
    emu = emulator.emulator
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_DEVENV_", "HUAWEICLOUD_SDK_"))}
    env.update({"HUAWEICLOUD_SDK_AK": emu.access_key, "HUAWEICLOUD_SDK_SK": emu.secret_key,
                "HUAWEICLOUD_SDK_PROJECT_ID": emu.project_id, "JUPYTER_DEVENV_ENDPOINT": emulator.url,
                "JUPYTER_DEVENV_INSTANCE_ID": instance_id, "JUPYTER_DEVENV_EMULATED": "1"})
    return env


def run_demo(port: int = 8888, open_browser: bool = True, backend: str = "demanager") -> int:
    emulator = EmulatorThread(Emulator(stop_in=STOP_IN)).start()
    instance_id = emulator.emulator.seed_ids[f"{backend}_running"]
    token = secrets.token_hex(16)
    root = _notebooks_dir()
    cmd = [sys.executable, "-m", "jupyterlab", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.default_url=/lab/tree/demo.ipynb"]
    if not open_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    print(f"ModelArts emulator: {emulator.url}  (instance {instance_id}, stops in {STOP_IN // 60} min)")
    print(f"JupyterLab:         http://127.0.0.1:{port}/lab/tree/demo.ipynb?token={token}")
    print("Press Ctrl-C to stop both.", flush=True)
    proc = subprocess.Popen(cmd, env=demo_env(emulator, instance_id))
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
