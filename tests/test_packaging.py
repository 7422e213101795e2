"""``pip wheel .`` carries the prebuilt labextension, the server extension's config and the translations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from jupyter_devenv import __version__
from jupyter_devenv.widget.panel import MODULE_VERSION

ROOT = Path(__file__).parents[1]


def test_wheel_carries_the_labextension_and_the_server_config(tmp_path):
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    wheel = next(tmp_path.glob("jupyter_devenv-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    data = next(n.split("/", 1)[0] for n in names if ".data/" in n)
    lab = f"{data}/data/share/jupyter/labextensions/jupyter-devenv/"
    assert f"{lab}package.json" in names and f"{lab}install.json" in names
    assert any(n.startswith(f"{lab}static/remoteEntry.") for n in names)
    assert any(n.startswith(f"{lab}schemas/jupyter-devenv/") for n in names)
    assert f"{data}/data/etc/jupyter/jupyter_server_config.d/jupyter_devenv.json" in names
    assert "jupyter_devenv/server/openapi.yaml" in names
    assert "jupyter_devenv/locale/zh_CN/LC_MESSAGES/jupyter_devenv.json" in names
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/entry_points.txt")))
    assert b"[jupyterlab.locale]\njupyter_devenv = jupyter_devenv" in entry_points, entry_points
    assert not any("node_modules" in n or n.endswith(".ts") for n in names)


def test_one_version_for_the_package_the_labextension_the_rest_contract_and_the_panel():
    package = json.loads((ROOT / "labextension" / "package.json").read_text(encoding="utf-8"))
    spec = yaml.safe_load((ROOT / "jupyter_devenv" / "server" / "openapi.yaml").read_text(encoding="utf-8"))
    assert __version__ == package["version"] == spec["info"]["version"]
    assert MODULE_VERSION == f"^{package['version']}"
