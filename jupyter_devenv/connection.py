"""``connect()``: a kernel's or a script's connection to the instance (``Connection``).

Inside a kernel started by a Jupyter server with jupyter-devenv, ``JUPYTER_DEVENV_URL`` and
``JUPYTER_DEVENV_TOKEN`` lead to ``/devenv/api/*`` (``ProxyConnection``: the kernel never holds
cloud credentials). Elsewhere (a terminal, a script) ``DirectConnection`` talks to ModelArts with the
``DevEnv`` configuration. Both answer with the same ``State`` and raise ``DevEnvError``.
"""

from __future__ import annotations

import json
import os
import ssl
from typing import Any, Dict, Optional
from urllib.parse import quote

import httpx

from .config import DevEnv
from .kernel_access import SERVER_CERT_ENV, TOKEN_ENV, TOKEN_HEADER, URL_ENV
from .modelarts import backends
from .modelarts.answers import decode_answer
from .modelarts.client import ModelArtsClient
from .modelarts.codes import BAD_CONFIG, SERVER_UNREACHABLE, UNSUPPORTED
from .modelarts.errors import DevEnvError
from .modelarts.models import validate_extend_body, validate_instance_id, validate_update_body
from .modelarts.state import NOTEBOOKS, build_state
from .server.prompts import PromptStore

State = Dict[str, Any]


class Connection:
    """The operations a user or the panel needs, on top of ``get``/``update``/``extend``."""

    instance_id = "current"

    def get(self) -> State:
        raise NotImplementedError

    def update(self, body: Any) -> State:
        raise NotImplementedError

    def extend(self, seconds: int, allow_earlier: bool = False) -> State:
        """Renew the lease ``seconds`` from now; one that would end it earlier is refused unless allowed."""
        raise NotImplementedError

    def config(self) -> Dict[str, Any]:
        raise NotImplementedError

    def disable(self) -> State:
        return self.update({"spec": {"auto_stop": {"enable": False}}})

    def enable(self, duration: int) -> State:
        return self.update({"spec": {"auto_stop": {"enable": True, "duration": duration}}})

    def set_prompt(self, prompt: bool) -> State:
        return self.update({"spec": {"auto_stop": {"prompt": prompt}}})

    def set_description(self, description: str) -> State:
        return self.update({"description": description})

    def close(self) -> None:
        pass


def _server_trust(cert: Optional[str]) -> ssl.SSLContext:
    """The system's CAs, plus the Jupyter server's own certificate (PEM, e.g. self-signed) if given."""
    context = ssl.create_default_context()
    if cert:
        try:
            context.load_verify_locations(cafile=cert)
        except ssl.SSLError:
            reason = "it holds no PEM certificate"
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
        else:
            return context
        raise DevEnvError(
            BAD_CONFIG,
            f"{SERVER_CERT_ENV} is {cert}, which cannot be used: {reason}. "
            "It should name the Jupyter server's certificate (PEM), readable by this kernel.",
            status=503,
        )
    return context


def _unreachable(exc: httpx.HTTPError) -> DevEnvError:
    """The error for a failed call, naming a server certificate this process does not trust."""
    cause = exc.__context__
    while cause is not None and not isinstance(cause, ssl.SSLCertVerificationError):
        cause = cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        msg = f"The Jupyter server's certificate is not trusted here ({cause.verify_message})."
    else:
        msg = f"The Jupyter server could not be reached ({type(exc).__name__}); is it still running?"
    return DevEnvError(SERVER_UNREACHABLE, msg, status=502)


class ProxyConnection(Connection):
    """Through the server extension's REST API, with the per-server kernel token.

    Proxy settings of the environment are ignored: the server is this machine's own.
    ``server_cert`` (default ``$JUPYTER_DEVENV_SERVER_CERT``) is trusted as well as the
    system's CAs, for a Jupyter served over HTTPS with a self-signed certificate.
    """

    def __init__(
        self,
        url: str,
        token: str,
        instance_id: str = "current",
        timeout: float = 60.0,
        server_cert: Optional[str] = None,
    ) -> None:
        self.instance_id = instance_id if instance_id == "current" else validate_instance_id(instance_id)
        verify = _server_trust(server_cert or os.environ.get(SERVER_CERT_ENV))
        self._http = httpx.Client(
            base_url=url, timeout=timeout, headers={TOKEN_HEADER: token}, trust_env=False, verify=verify
        )

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self._http.request(
                method,
                path,
                content=None if body is None else json.dumps(body),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _unreachable(exc) from None
        return decode_answer(response).data

    def get(self) -> State:
        return self._call("GET", f"instances/{self.instance_id}")

    def hold(self, body: Dict[str, Any]) -> Dict[str, Any]:
        """Make a hold (``POST holds``): the server keeps the instance running while it lasts."""
        return self._call("POST", "holds", body)

    def release(self, hold_id: str) -> None:
        self._call("DELETE", f"holds/{quote(hold_id, safe='')}")

    def holds(self) -> Dict[str, Any]:
        return self._call("GET", "holds")

    def update(self, body: Any) -> State:
        return self._call("PUT", f"instances/{self.instance_id}", validate_update_body(body))

    def extend(self, seconds: int, allow_earlier: bool = False) -> State:
        body = {"seconds": seconds, "allow_earlier": allow_earlier}
        validate_extend_body(body)
        return self._call("POST", f"instances/{self.instance_id}/extend", body)

    def config(self) -> Dict[str, Any]:
        return self._call("GET", "config")

    def instances(self) -> Dict[str, Any]:
        """The project's instances (``GET instances``), for ``jupyter devenv list``."""
        return self._call("GET", "instances")

    def choose(self, instance_id: str) -> Dict[str, Any]:
        """Make ``instance_id`` the server's instance (``PUT config``); its settings after."""
        return self._call("PUT", "config", {"instance_id": validate_instance_id(instance_id)})

    def close(self) -> None:
        self._http.close()


class DirectConnection(Connection):
    """Straight to ModelArts (or the emulator) with the ``DevEnv`` configuration.

    ``prompts`` keeps the current API's ``prompt`` preference (which that API has no field
    for) where the Jupyter server keeps it, so both agree; without it, it is not kept.
    """

    def __init__(
        self,
        settings: Optional[DevEnv] = None,
        instance_id: Optional[str] = None,
        prompts: Optional[PromptStore] = None,
    ) -> None:
        self.settings = settings or DevEnv()
        self._prompts = prompts
        self.instance_id = validate_instance_id(instance_id or self.settings.instance_id or "")
        self._client: ModelArtsClient = self.settings.make_client()
        self._backend: Optional[str] = None if self.settings.backend == "auto" else self.settings.backend

    @property
    def backend(self) -> str:
        if self._backend is None:
            self._backend = self._client.run(backends.detect_backend(self._client.aio, self.instance_id))
        return self._backend

    def _state(self, answer: Any) -> State:
        prompt = self._prompts.get(self.instance_id) if self._prompts is not None else True
        return build_state(
            answer.data, self.backend, answer.server_time, prompt=prompt, emulated=answer.emulated
        )

    def get(self) -> State:
        return self._state(self._client.run(backends.read(self._client.aio, self.backend, self.instance_id)))

    def update(self, body: Any) -> State:
        body = validate_update_body(body)  # this boundary's one check, before backend detection
        coro = backends.update(self._client.aio, self.backend, self.instance_id, body)
        answer = self._client.run(coro)
        prompt = body.get("spec", {}).get("auto_stop", {}).get("prompt")
        if self.backend == NOTEBOOKS and prompt is not None:
            if self._prompts is None:
                raise DevEnvError(
                    UNSUPPORTED,
                    "The current API has no reminder setting of its own: the "
                    "Jupyter server keeps it. Run this in a Jupyter terminal, or use the "
                    "notebook toolbar's popover.",
                    status=409,
                    field="spec.auto_stop.prompt",
                )
            self._prompts.set(self.instance_id, prompt)
        return self._state(answer)

    def extend(self, seconds: int, allow_earlier: bool = False) -> State:
        seconds = validate_extend_body({"seconds": seconds, "allow_earlier": allow_earlier})
        coro = backends.extend(self._client.aio, self.backend, self.instance_id, seconds, allow_earlier)
        return self._state(self._client.run(coro))

    def config(self) -> Dict[str, Any]:
        s = self.settings
        return {
            "backend": self.backend,
            "instance_id": self.instance_id,
            "reminder_thresholds": list(s.reminder_thresholds),
            "poll_interval": s.poll_interval,
        }

    def close(self) -> None:
        self._client.close()


def connect(
    instance_id: str = "current", settings: Optional[DevEnv] = None, prompts: Optional[PromptStore] = None
) -> Connection:
    """A connection for this process: the server extension's when this is one of its kernels.

    ``settings`` (default: ``DevEnv()``, from the environment) and ``prompts`` configure a
    direct connection.
    """
    url, token = os.environ.get(URL_ENV), os.environ.get(TOKEN_ENV)
    if url and token:
        return ProxyConnection(url, token, instance_id)
    settings = DevEnv() if settings is None else settings
    if settings.missing():
        raise settings.not_configured()
    return DirectConnection(settings, None if instance_id == "current" else instance_id, prompts)
