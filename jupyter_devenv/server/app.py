"""``DevEnvApp``: the server extension, wiring configuration, service, handlers and kernel token."""

from __future__ import annotations

import os
import secrets

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop
from traitlets import Unicode, default

from ..config import SECRET_ENV, DevEnv
from ..kernel_access import SERVER_CERT_ENV, TOKEN_ENV, URL_ENV
from .choice import ChoiceStore, choice_path, default_state_file
from .chooser import Chooser
from .handlers import FALLBACK_ROUTES, ROUTES
from .holds import HoldStore, holds_path
from .holds_api import HoldsApi
from .keeper import HoldKeeper
from .prompts import PromptStore
from .service import InstanceService


def kernel_host(ip: str, tls: bool) -> str:
    """The host in the URL kernels get: the server's own ``ip``, or 127.0.0.1 for a wildcard bind.

    Over HTTPS the certificate must name that host, so a server on ``localhost`` keeps the
    name certificates for a local server carry; over plain HTTP it is 127.0.0.1 (no lookup).
    """
    if ip in ("", "0.0.0.0", "*", "::") or (ip == "localhost" and not tls):
        return "127.0.0.1"
    return f"[{ip}]" if ":" in ip else ip


class DevEnvApp(ExtensionApp):
    name = "jupyter_devenv"
    load_other_extensions = True

    state_file = Unicode(
        help="JSON file keeping per-instance preferences the API cannot hold (the "
        "notebooks API's prompt); the chosen instance is kept next to it, in "
        "chosen_instance.json, and the holds in holds.json."
    ).tag(config=True)

    @default("state_file")
    def _state_file(self) -> str:
        return default_state_file()

    def initialize_settings(self) -> None:
        self.devenv = DevEnv(parent=self)
        self._scrub_secrets()
        self.service = InstanceService(self.devenv, PromptStore(self.state_file), self.log)
        self.chooser = Chooser(self.devenv, self.service, ChoiceStore(choice_path(self.state_file)), self.log)
        self.keeper = HoldKeeper(
            HoldStore(holds_path(self.state_file), self.log),
            self.service,
            self.devenv,
            self.log,
            self.serverapp.kernel_manager,
            self.serverapp.session_manager,
        )
        self.kernel_token = secrets.token_urlsafe(32)
        self.settings.update(
            {
                "devenv_service": self.service,
                "devenv_chooser": self.chooser,
                "devenv_kernel_token": self.kernel_token,
                "devenv_holds": HoldsApi(self.keeper.store, self.keeper, self.service),
            }
        )
        self.log.info(self.devenv.describe())
        # The port is only final once the HTTP server is bound, after extensions load.
        IOLoop.current().add_callback(self._publish_kernel_env)
        IOLoop.current().add_callback(self.keeper.start)

    def _scrub_secrets(self) -> None:
        """Credentials stay in this process: kernels and terminals started from now on do not inherit
        them (``DevEnv`` has read them already)."""
        removed = [name for name in SECRET_ENV if os.environ.pop(name, None) is not None]
        if removed:
            self.log.info(
                "jupyter-devenv: removed %s from the server's environment, so kernels and "
                "terminals do not inherit them",
                ", ".join(removed),
            )

    def _publish_kernel_env(self) -> None:
        """Let kernels started by this server reach ``/devenv/api/*`` (and nothing else)."""
        app = self.serverapp
        if app is None or app.sock:
            return
        tls = bool(app.certfile)
        host = kernel_host(app.ip, tls)
        os.environ[URL_ENV] = f"{'https' if tls else 'http'}://{host}:{app.port}{app.base_url}devenv/api/"
        os.environ[TOKEN_ENV] = self.kernel_token
        if tls:  # kernels start elsewhere: the path must not depend on the server's working directory
            os.environ[SERVER_CERT_ENV] = os.path.abspath(app.certfile)
        else:
            os.environ.pop(SERVER_CERT_ENV, None)

    def initialize_handlers(self) -> None:
        self.handlers.extend(ROUTES + FALLBACK_ROUTES)

    async def stop_extension(self) -> None:
        self.keeper.stop()
        await self.service.close()
