"""Shared pytest fixtures: the emulator, and the server extension wired to it.

The server fixtures run every test that uses them once per API generation (``backend``).
A module changes the extension's settings by overriding ``devenv_config`` (pytest-jupyter's
``jp_server_config`` is built from it), or ``backend`` to run on one generation only.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, List

import pytest
from traitlets.config import Config

from jupyter_devenv.emulator import EmulatorThread
from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.emulator.control import EmulatorControl
from jupyter_devenv.kernel_access import TOKEN_ENV, URL_ENV

# With no credentials configured the product asks the metadata service, which off ModelArts is
# nobody's: tests (and the servers they start, which inherit this) ask a closed loopback port instead.
os.environ["JUPYTER_DEVENV_METADATA_ENDPOINT"] = "http://127.0.0.1:9"


@pytest.fixture
def emulator():
    """A ModelArts emulator on a free loopback port, in its own thread and event loop.

    Works from sync tests and from async (pytest-jupyter) tests alike; yields the
    ``EmulatorThread`` (``.url``, ``.emulator``, ``.stop()``).
    """
    with EmulatorThread() as running:
        yield running


# -- the server extension against the emulator --------------------------------------------------
BACKENDS = ("demanager", "notebooks")


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def instance_id(emulator, backend) -> str:
    return emulator.emulator.seed_ids[f"{backend}_running"]


@pytest.fixture
def keeper(jp_serverapp):
    """The running extension's ``HoldKeeper`` (tests tick it themselves)."""
    return next(iter(jp_serverapp.extension_manager.extension_apps["jupyter_devenv"])).keeper


@pytest.fixture
def devenv_config(emulator, backend, instance_id, tmp_path) -> Dict[str, Any]:
    return {
        "endpoint": emulator.url,
        "project_id": PROJECT_ID,
        "instance_id": instance_id,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "backend": backend,
        "retries": 2,
        "request_timeout": 2.0,
        "cache_ttl": 5.0,
    }


@pytest.fixture
def jp_server_config(devenv_config, tmp_path):
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"jupyter_devenv": True}},
            "DevEnv": devenv_config,
            "DevEnvApp": {"state_file": str(tmp_path / "devenv-state.json")},
        }
    )


@pytest.fixture
def upstream(emulator):
    with EmulatorControl(emulator.url) as control:
        yield control


@pytest.fixture
def api(jp_fetch):
    """``await api(method, path, body)`` → (status, decoded JSON) without raising on 4xx/5xx."""

    async def call(method: str, path: str, body: Any = None, headers: Any = None, raw: Any = None):
        kwargs: Dict[str, Any] = {
            "method": method,
            "raise_error": False,
            "headers": {"Content-Type": "application/json", **(headers or {})},
        }
        if method in ("PUT", "POST", "PATCH"):
            kwargs["body"] = raw if raw is not None else json.dumps(body)
        response = await jp_fetch("devenv", "api", *path.split("/"), **kwargs)
        return response.code, json.loads(response.body or b"null")

    return call


@pytest.fixture
def server_log(jp_serverapp):
    """Every log line of the server, the extension and tornado during the test, as text."""
    lines: List[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    loggers = [
        jp_serverapp.log,
        logging.getLogger(),
        logging.getLogger("DevEnvApp"),
        logging.getLogger("tornado.access"),
        logging.getLogger("tornado.application"),
        logging.getLogger("tornado.general"),
    ]
    for logger in loggers:
        logger.addHandler(handler)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def kernel_env(jp_serverapp, jp_http_port, http_server_client):
    """The variables the extension publishes for kernels, with the server answering on its port."""
    app = next(iter(jp_serverapp.extension_manager.extension_apps["jupyter_devenv"]))
    app._publish_kernel_env()
    yield {URL_ENV: os.environ[URL_ENV], TOKEN_ENV: os.environ[TOKEN_ENV]}
    os.environ.pop(URL_ENV, None)
    os.environ.pop(TOKEN_ENV, None)


@pytest.fixture
def run_in_kernel(jp_serverapp, kernel_env):
    """``await run_in_kernel(code)`` → its stdout, in a kernel started by the server."""
    km = jp_serverapp.kernel_manager
    started = []

    async def run(code: str) -> str:
        if not started:
            kernel_id = await km.start_kernel(kernel_name="python3")
            client = km.get_kernel(kernel_id).client()
            client.start_channels()
            started.append((kernel_id, client))
            await client.wait_for_ready(timeout=60)
        client = started[0][1]
        out = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                out.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                out.append("\n".join(msg["content"]["traceback"]))

        reply = await client.execute_interactive(code, timeout=60, output_hook=keep)
        assert reply["content"]["status"] == "ok", "".join(out)
        return "".join(out)

    yield run
    for _kernel_id, client in started:
        client.stop_channels()  # the server's cleanup shuts the kernel down
