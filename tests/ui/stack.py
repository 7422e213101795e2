"""A ModelArts emulator plus a Jupyter server wired to it, for the browser tests.

``Stack`` starts the in-process emulator (``EmulatorThread``: the tests steer its clock and
faults) and JupyterLab as a subprocess (``jupyter_stack.JupyterProcess``: isolated folders,
two small notebooks in its root).
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path
from typing import Any, Dict, Optional

import httpx
from jupyter_stack import NOTEBOOK, JupyterProcess

from jupyter_devenv.emulator import EmulatorThread
from jupyter_devenv.emulator.app import Emulator

# What a shared stack can change between tests without a restart (``Stack.reset``): the
# emulator is made anew anyway, and JupyterLab reads its settings at each page load.
PER_TEST = ("stop_in", "locale", "lab_settings")


def _lab_settings(locale: Optional[str], lab_settings: Optional[Dict[str, Dict[str, Any]]]):
    settings = {"@jupyterlab/translation-extension/plugin": {"locale": locale}} if locale else {}
    return {**settings, **(lab_settings or {})}


class Stack:
    """Emulator + Jupyter server. ``url``, ``token``, ``instance_id``, ``root``, control helpers.

    ``configured`` False starts Jupyter without an instance id (to be chosen in the page);
    ``server_extension`` False without jupyter_devenv's server extension (labextension only);
    ``devenv``: more ``c.DevEnv`` settings; ``seed``: which seeded instance (``seed_ids`` key,
    e.g. ``notebooks_idle``; default ``<backend>_running``).
    """

    def __init__(
        self,
        tmp: Path,
        backend: str = "demanager",
        stop_in: Optional[float] = None,
        locale: Optional[str] = None,
        poll_interval: float = 30.0,
        reminder_thresholds=(900, 300, 60),
        save_before_stop: int = 60,
        lab_settings: Optional[Dict[str, Dict[str, Any]]] = None,
        configured: bool = True,
        server_extension: bool = True,
        devenv: Optional[Dict[str, Any]] = None,
        seed: Optional[str] = None,
    ) -> None:
        self.backend = backend
        self.stop_in = stop_in
        self.emulator = EmulatorThread(Emulator(stop_in=stop_in)).start()
        self.instance_id = self.emulator.emulator.seed_ids[seed or f"{backend}_running"]
        self.control = httpx.Client(base_url=self.emulator.url + "/_emulator", timeout=10)
        try:
            self.server = JupyterProcess(
                tmp,
                self.emulator.url,
                backend,
                self.instance_id if configured else None,
                app="jupyterlab",
                devenv={
                    "poll_interval": poll_interval,
                    "cache_ttl": 0.0,
                    "reminder_thresholds": list(reminder_thresholds),
                    "save_before_stop": save_before_stop,
                    **(devenv or {}),
                },
                lab_settings=_lab_settings(locale, lab_settings),
                server_extension=server_extension,
                # JupyterLab's own "a rebuild is needed" check: 1-2 s of the server's CPU at every
                # page load, for a prompt no test looks at (the labextension is prebuilt).
                page_config={"buildCheck": False},
                # GET /api/nbconvert (every notebook page asks) lists nbconvert's exporters without
                # making one of each to ask whether it is enabled (all are): 0.3-0.7 s of CPU less.
                extra_env={"NBCONVERT_DISABLE_CONFIG_EXPORTERS": "1"},
            )
        except BaseException:  # Jupyter did not start: nothing else should outlive the test
            self.control.close()
            self.emulator.stop()
            raise
        self.url, self.token, self.root, self.auth = (
            self.server.url,
            self.server.token,
            self.server.root,
            self.server.auth,
        )

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

    def lab_url(self, *paths: str, workspace: Optional[str] = None) -> str:
        ws = workspace or secrets.token_hex(4)
        tree = "/".join(paths)
        return f"{self.url}/lab/workspaces/{ws}/tree/{tree}?token={self.token}"

    def notebook7_url(self, path: str) -> str:
        return f"{self.url}/notebooks/{path}?token={self.token}"

    def requests_received(self) -> Dict[str, int]:
        """The emulator's count of ModelArts requests by ``METHOD path`` (control calls not counted)."""
        return self.control.get("/stats").json()["requests"]

    def emulator_down(self) -> None:
        """Stop the emulator's HTTP server (its state stays): ModelArts does not answer."""
        self.emulator.stop()

    def emulator_up(self) -> None:
        """Serve the same emulator again, on the same port."""
        port = self.emulator.server.port
        self.emulator = EmulatorThread(self.emulator.emulator, port=port).start()

    def advance_offline(self, seconds: float) -> int:
        """Advance the emulator clock in-process: works while it is down."""
        return self.emulator.emulator.advance(seconds)

    def kill_server(self) -> None:
        """Stop the Jupyter server (the page stays open): "the server is gone"."""
        self.server.proc.kill()
        self.server.proc.wait(timeout=15)

    def reset(
        self,
        stop_in: Optional[float] = None,
        locale: Optional[str] = None,
        lab_settings: Optional[Dict[str, Dict[str, Any]]] = None,
    ) -> None:
        """Back to the state of a newly made stack, for the next test on a shared one (see
        ``shared_stack``): no sessions or kernels, no holds, the notebooks' ``prompt`` on, the
        root holding the two notebooks as written at the start, and a fresh emulator (its
        instances, clock, faults and stats as seeded) on the same port. The options in
        ``PER_TEST`` are those of the next test: a fresh emulator seeded with its ``stop_in``,
        and the JupyterLab settings its ``locale`` and ``lab_settings`` make (pages loaded
        from then on have them)."""
        with httpx.Client(base_url=self.url, headers=self.auth, timeout=60, trust_env=False) as http:
            for session in http.get("/api/sessions").raise_for_status().json():
                http.delete(f"/api/sessions/{session['id']}").raise_for_status()
            for kernel in http.get("/api/kernels").raise_for_status().json():
                http.delete(f"/api/kernels/{kernel['id']}").raise_for_status()
            if self.server.server_extension:
                for hold in http.get("/devenv/api/holds").raise_for_status().json()["holds"]:
                    http.delete(f"/devenv/api/holds/{hold['id']}")
                if self.backend == "notebooks" and self.server.instance_id:
                    http.put(
                        "/devenv/api/instances/current", json={"spec": {"auto_stop": {"prompt": True}}}
                    ).raise_for_status()
        for path in self.root.iterdir():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        for name in ("a.ipynb", "b.ipynb"):
            (self.root / name).write_text(json.dumps(NOTEBOOK))
        self.server.write_lab_settings(_lab_settings(locale, lab_settings))
        self.stop_in = stop_in
        port = self.emulator.server.port
        self.emulator.stop()
        self.emulator = EmulatorThread(Emulator(stop_in=stop_in), port=port).start()

    def close(self) -> None:
        # A server told to stop while a page still has a kernel starting can hang in its
        # shutdown (seen for 30 s and more): it is given a few seconds, then killed.
        self.server.close(grace=5)
        self.control.close()
        self.emulator.stop()
