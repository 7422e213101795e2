"""A Jupyter served over HTTPS with a self-signed certificate: its kernels still reach /devenv/api/*.

A real server (``jupyter_stack.ProcessStack``) with ``--ServerApp.certfile/keyfile``; a kernel
started through its REST API and driven over its websocket reports the variables it was given
and makes the call itself.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Dict, Iterator

import httpx
import pytest
import websocket
from jupyter_stack import JupyterProcess, ProcessStack
from scripted_http import make_certificate

from jupyter_devenv.connection import ProxyConnection
from jupyter_devenv.kernel_access import SERVER_CERT_ENV, TOKEN_ENV, URL_ENV
from jupyter_devenv.modelarts.errors import DevEnvError


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> Dict[str, Path]:
    folder = make_certificate(tmp_path_factory.mktemp("tls"))
    if folder is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    return {"cert": cert, "key": key}


@pytest.fixture(scope="module")
def stack(tls_files, tmp_path_factory) -> Iterator[ProcessStack]:
    with ProcessStack(
        "demanager", tmp=tmp_path_factory.mktemp("stack"), tls=(tls_files["cert"], tls_files["key"])
    ) as running:
        yield running


class Kernel:
    """A kernel started through the server's REST API; ``run(code)`` is its stdout."""

    def __init__(self, server: JupyterProcess, cert: Path) -> None:
        self.server = server
        answer = httpx.post(
            f"{server.url}/api/kernels",
            json={"name": "python3"},
            headers=server.auth,
            verify=server.verify,
            timeout=60,
        )
        answer.raise_for_status()
        self.id = answer.json()["id"]
        ws_url = server.url.replace("https://", "wss://") + f"/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(
            ws_url,
            header=[f"Authorization: token {server.token}"],
            sslopt={"ca_certs": str(cert)},
            timeout=60,
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "session": self.session,
                        "username": "test",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        out, status, idle = [], None, False
        while status is None or not idle:  # the reply (shell) and the output (iopub) come in any order
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                out.append("\n".join(content["traceback"]))
            elif kind == "execute_reply":
                status = content["status"]
            elif kind == "status":
                idle = content["execution_state"] == "idle"
        assert status == "ok", "".join(out)[-3000:]
        return "".join(out)

    def close(self) -> None:
        self.ws.close()
        httpx.delete(
            f"{self.server.url}/api/kernels/{self.id}",
            headers=self.server.auth,
            verify=self.server.verify,
            timeout=30,
        )


@pytest.fixture(scope="module")
def kernel(stack, tls_files) -> Iterator[Kernel]:
    assert stack.server is not None
    started = Kernel(stack.server, tls_files["cert"])
    yield started
    started.close()


@pytest.fixture(scope="module")
def kernel_env(kernel) -> Dict[str, str]:
    """The variables the server gave its kernel."""
    names = [URL_ENV, TOKEN_ENV, SERVER_CERT_ENV]
    code = f"import os, json\nprint(json.dumps({{k: os.getenv(k) for k in {names!r}}}))"
    return json.loads(kernel.run(code))


def test_the_kernel_is_given_an_https_url_and_the_servers_certificate(kernel_env, stack, tls_files):
    assert stack.server is not None
    assert kernel_env[URL_ENV] == f"https://127.0.0.1:{stack.server.port}/devenv/api/"
    assert kernel_env[SERVER_CERT_ENV] == str(tls_files["cert"].resolve())


def test_the_kernel_reaches_the_server_with_what_it_was_given(kernel, stack):
    out = kernel.run(
        "from jupyter_devenv.connection import connect\nc = connect()\n"
        "print(type(c).__name__, c.get()['instance']['id'])"
    )
    assert out.split() == ["ProxyConnection", stack.instance_id]


def test_a_connection_built_from_the_kernels_variables_answers(kernel_env, stack):
    connection = ProxyConnection(
        kernel_env[URL_ENV], kernel_env[TOKEN_ENV], server_cert=kernel_env[SERVER_CERT_ENV]
    )
    try:
        assert connection.get()["instance"]["id"] == stack.instance_id
    finally:
        connection.close()


def test_without_the_certificate_the_server_is_not_trusted(kernel_env, monkeypatch):
    """The certificate really is checked: the system's CAs alone do not accept it."""
    monkeypatch.delenv(SERVER_CERT_ENV, raising=False)
    connection = ProxyConnection(kernel_env[URL_ENV], kernel_env[TOKEN_ENV])
    try:
        with pytest.raises(DevEnvError) as caught:
            connection.get()
    finally:
        connection.close()
    assert caught.value.error_code == "DEVENV.SERVER_UNREACHABLE"
    assert "certificate is not trusted" in caught.value.error_msg
    assert kernel_env[TOKEN_ENV] not in str(caught.value)


def test_an_unreadable_certificate_file_is_named(kernel_env, tmp_path):
    missing = tmp_path / "no-such-cert.pem"
    with pytest.raises(DevEnvError) as caught:
        ProxyConnection(kernel_env[URL_ENV], kernel_env[TOKEN_ENV], server_cert=str(missing))
    assert caught.value.error_code == "DEVENV.BAD_CONFIG"
    assert SERVER_CERT_ENV in caught.value.error_msg and str(missing) in caught.value.error_msg
