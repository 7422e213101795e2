"""REST handlers under ``{base_url}devenv/api/``: thin, the logic lives in ``service``."""

from __future__ import annotations

import hmac
import json
from typing import Any

from jupyter_server.auth.identity import User
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..kernel_access import TOKEN_HEADER
from ..modelarts.codes import BAD_CONTENT_TYPE, BAD_JSON, BODY_TOO_LARGE, HTTP_PREFIX, LOCALE_NOT_FOUND
from ..modelarts.errors import DevEnvError
from . import locales
from .chooser import Chooser
from .holds_api import HoldsApi
from .service import InstanceService, error_status

MAX_BODY = 64 * 1024
# Translations change only with the package; after an hour the browser revalidates (ETag → 304).
LOCALE_MAX_AGE = 3600
KERNEL_USER = User(username="devenv-kernel", name="jupyter-devenv kernel client")


class DevEnvHandler(ExtensionHandlerMixin, APIHandler):
    """JSON in and out; Jupyter auth (with XSRF for browsers) or the per-server kernel token."""

    @property
    def service(self) -> InstanceService:
        return self.settings["devenv_service"]

    @property
    def chooser(self) -> Chooser:
        return self.settings["devenv_chooser"]

    @property
    def holds(self) -> HoldsApi:
        return self.settings["devenv_holds"]

    def _kernel_token_ok(self) -> bool:
        given = self.request.headers.get(TOKEN_HEADER, "")
        expected = self.settings.get("devenv_kernel_token", "")
        return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())

    async def prepare(self) -> None:  # type: ignore[override]
        if self._kernel_token_ok():
            if not self.check_host():
                raise web.HTTPError(403)
            # A kernel is not a browser: no cookie, hence no XSRF to check.
            self.current_user = self._jupyter_current_user = KERNEL_USER
            return
        await super().prepare()

    def fail(self, error: DevEnvError) -> None:
        self.set_status(error_status(error))
        if error.retry_after is not None:
            self.set_header("Retry-After", str(int(error.retry_after)))
        self.finish(json.dumps(error.to_dict()))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            message = exc.log_message
        elif status_code == 403:
            message = "Not authenticated: open this from a Jupyter page, or pass the server or kernel token."
        elif status_code == 405:
            message = f"{self.request.method} is not allowed here: see openapi.yaml for each route's methods."
        else:
            message = "Unexpected error in jupyter-devenv; see the server log and try again."
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"error_code": f"{HTTP_PREFIX}{status_code}", "error_msg": message}))

    def json_body(self) -> Any:
        ctype = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise DevEnvError(
                BAD_CONTENT_TYPE, "Send the body as JSON with Content-Type: application/json.", status=415
            )
        if len(self.request.body) > MAX_BODY:
            raise DevEnvError(
                BODY_TOO_LARGE,
                f"The body is {len(self.request.body)} bytes; at most {MAX_BODY} are accepted.",
                status=413,
            )
        try:
            return json.loads(self.request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply
            raise DevEnvError(
                BAD_JSON,
                "The body is not valid JSON: send a JSON object such as "
                '{"spec": {"auto_stop": {"enable": false}}}.',
                status=400,
            ) from None

    async def run(self, operation: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        try:
            self.finish(json.dumps(await operation()))
        except DevEnvError as error:
            if error.status >= 500:
                self.log.warning("jupyter-devenv: %s %s", error.error_code, error.error_msg)
            self.fail(error)


class InstanceHandler(DevEnvHandler):
    @web.authenticated
    async def get(self, instance_id: str) -> None:
        await self.run(lambda: self.service.get_state(instance_id))

    @web.authenticated
    async def put(self, instance_id: str) -> None:
        await self.run(lambda: self.service.update(instance_id, self.json_body()))


class ExtendHandler(DevEnvHandler):
    @web.authenticated
    async def post(self, instance_id: str) -> None:
        await self.run(lambda: self.service.extend(instance_id, self.json_body()))


class InstancesHandler(DevEnvHandler):
    """The project's instances, for a picker (redacted summaries)."""

    @web.authenticated
    async def get(self) -> None:
        await self.run(self.service.list_instances)


class ConfigHandler(DevEnvHandler):
    @web.authenticated
    async def get(self) -> None:
        async def config() -> Any:
            return self.chooser.config()

        await self.run(config)

    @web.authenticated
    async def put(self) -> None:
        await self.run(lambda: self.chooser.choose(self.json_body()))


class HoldsHandler(DevEnvHandler):
    """Holds: keep this instance running while ... (``holds_api``); a kernel token call holds as "kernel"."""

    @web.authenticated
    async def get(self) -> None:
        await self.run(self.holds.list)

    @web.authenticated
    async def post(self) -> None:
        holder = "kernel" if self.current_user is KERNEL_USER else "user"
        self.set_status(201)
        await self.run(lambda: self.holds.create(self.json_body(), holder))


class HoldHandler(DevEnvHandler):
    @web.authenticated
    async def delete(self, hold_id: str) -> None:
        self.set_header("Cache-Control", "no-store")
        try:
            await self.holds.release(hold_id)
        except DevEnvError as error:
            self.set_header("Content-Type", "application/json")
            self.fail(error)
            return
        self.set_status(204)
        self.finish()


class LocaleHandler(DevEnvHandler):
    """The translation table for a UI language (see ``locales`` for how it is chosen)."""

    @web.authenticated
    def get(self, locale: str) -> None:
        name = locales.resolve(locale)
        if name is None:
            self.set_header("Cache-Control", "no-store")
            self.fail(
                DevEnvError(
                    LOCALE_NOT_FOUND,
                    f"No jupyter-devenv translations for "
                    f"{locale[:40]!r}: its UI stays in English. Translated languages (Settings "
                    f"→ Language): {locales.names()}.",
                    status=404,
                )
            )
            return
        self.set_header("Cache-Control", f"private, max-age={LOCALE_MAX_AGE}")
        self.finish(locales.table(name))


class NotFoundHandler(DevEnvHandler):
    """Any other path under ``devenv/api/``: a JSON 404 (not Jupyter's HTML page), after authentication."""

    @web.authenticated
    def not_found(self, *args: Any) -> None:
        raise web.HTTPError(404, "No such jupyter-devenv API path: see openapi.yaml for the routes.")

    get = put = post = patch = delete = not_found


ROUTES = [
    (r"/devenv/api/instances", InstancesHandler),
    (r"/devenv/api/instances/([^/]+)", InstanceHandler),
    (r"/devenv/api/instances/([^/]+)/extend", ExtendHandler),
    (r"/devenv/api/config", ConfigHandler),
    (r"/devenv/api/holds", HoldsHandler),
    (r"/devenv/api/holds/(?P<hold_id>[^/]+)", HoldHandler),
    (r"/devenv/api/locale/(?P<locale>[^/]+)", LocaleHandler),
]
# Served after ROUTES; kept out of them because openapi.yaml describes ROUTES exactly.
FALLBACK_ROUTES = [(r"/devenv/api(?:/.*)?", NotFoundHandler)]
