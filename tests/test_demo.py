"""``jupyter devenv demo`` works on copies in a temporary folder and leaves the repository as it was."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from jupyter_stack import free_port
from waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def _notebooks_state() -> dict:
    return {p.name: p.read_bytes() for p in (ROOT / "notebooks").iterdir()}


def test_the_demo_opens_copies_without_the_news_toast_and_cleans_up(tmp_path):
    before = _notebooks_state()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_devenv", "demo", "--no-browser", f"--port={port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    lines = []
    try:
        deadline = time.monotonic() + 90
        work = None
        while work is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            found = re.search(r"copies in (\S+) \(removed", line)
            work = Path(found.group(1)) if found else None
        assert work is not None, "".join(lines)
        token = next(re.search(r"token=(\w+)", line).group(1) for line in lines if "token=" in line)

        contents = f"http://127.0.0.1:{port}/api/contents?token={token}"

        def answers() -> bool:
            try:
                return httpx.get(contents, timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_until(answers, timeout=max(1.0, deadline - time.monotonic()), step=0.5), "".join(lines)
        listed = httpx.get(contents, timeout=5).json()
        assert {"demo.ipynb", "keep-alive-during-training.ipynb"} <= {
            item["name"] for item in listed["content"]
        }
        news = work / ".settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        assert json.loads(news.read_text()) == {"fetchNews": "false", "checkForUpdates": False}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert not work.exists()  # the copies went with the demo
    assert _notebooks_state() == before  # nothing written next to the tracked notebooks
