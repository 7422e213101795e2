"""The base of every ModelArts and IAM handler: stats, faults, authentication, JSON answers."""

from __future__ import annotations

import asyncio
import json
import math
import uuid
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import parse_qsl

from tornado import httputil, web

from ..modelarts.answers import EMULATOR
from ..modelarts.codes import INCORRECT_PROPERTY, INSTANCE_NOT_FOUND
from ..modelarts.errors import DevEnvError
from .permissions import IAM_ACTIONS, denied

if TYPE_CHECKING:
    from .app import Emulator

MALFORMED_BODY = b'{"ai_project": {"id": "default-ai-proj'


class JsonHandler(web.RequestHandler):
    """JSON answers, and DevEnvError raised anywhere turned into ModelArts' error body."""

    def initialize(self, emulator: "Emulator") -> None:
        self.emulator = emulator

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json;charset=utf-8")

    def send(self, body: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(body))

    def compute_etag(self) -> None:
        return None

    def json_body(self) -> Any:
        try:
            return json.loads(self.request.body or b"null")
        except ValueError:
            raise DevEnvError(INCORRECT_PROPERTY, "The request body is not valid JSON.", status=400) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if not isinstance(exc, DevEnvError):
            exc = _http_error(status_code)
        self.set_status(exc.status)
        if exc.retry_after is not None:
            self.set_header("Retry-After", str(math.ceil(exc.retry_after)))
        message_key = "error_message" if exc.error_code == INSTANCE_NOT_FOUND else "error_msg"
        self.finish(json.dumps({"error_code": exc.error_code, message_key: exc.error_msg}))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, DevEnvError):
            super().log_exception(typ, value, tb)


def _http_error(status: int) -> DevEnvError:
    if status in (404, 405):
        return DevEnvError(
            "APIGW.0101",
            "The API does not exist or has not been published in the environment.",
            status=status,
        )
    return DevEnvError("ModelArts.6200", "Internal error.", status=status)


class ApiHandler(JsonHandler):
    """A ModelArts, IAM or metadata path: counted, faulted (unless ``faulted = False``), authenticated
    (unless ``auth = False``).

    Answers carry ``Date`` from the emulator clock, ``X-Request-Id`` and ``X-Emulator``.
    """

    auth = True
    faulted = True
    dropped = False

    def initialize(self, emulator: "Emulator") -> None:
        super().initialize(emulator)
        self.request_id = uuid.uuid4().hex

    def finish(self, chunk: Any = None) -> Any:
        self.set_header("Date", httputil.format_timestamp(self.emulator.clock.now_ms() / 1000))
        self.set_header("X-Request-Id", self.request_id)
        self.set_header("X-Emulator", EMULATOR)
        return super().finish(chunk)

    async def prepare(self) -> None:
        self.emulator.stats.received(self.request.method, self.request.path)
        if self.faulted:
            if self.emulator.faults.latency:
                await asyncio.sleep(self.emulator.faults.latency)
            self._apply_fault(self.emulator.faults.take())
        if self.auth:
            self.emulator.auth.check(
                self.request.method,
                self.request.path,
                parse_qsl(self.request.query, keep_blank_values=True),
                self.request.headers,
                self.request.body,
            )
            self._check_project(self.path_kwargs.get("project_id"))

    def _apply_fault(self, fault: Optional[str]) -> None:
        if fault == "drop":
            self.dropped = True
            self.request.connection.close()
            raise web.Finish()
        if fault == "rate_limit":
            raise DevEnvError(
                "APIGW.0308",
                "The throttling threshold has been reached.",
                status=429,
                retry_after=self.emulator.faults.retry_after,
            )
        if fault == "unavailable":
            raise DevEnvError("APIGW.0203", "Backend unavailable.", status=503)
        if fault == "malformed":
            raise web.Finish(MALFORMED_BODY)
        if fault == "error":
            raise DevEnvError("ModelArts.6200", "Internal error.", status=500)

    def permit(self, call: str, **details: str) -> None:
        """403 ModelArts.0203 naming the IAM action when the ``deny`` switch for ``call`` is on.

        ``details`` fill the action's placeholders (the demanager action's ``action``).
        """
        if self.emulator.faults.denies(call):
            raise denied(IAM_ACTIONS[call].format(**details))

    def _check_project(self, project_id: Optional[str]) -> None:
        header = self.request.headers.get("X-Project-Id")
        expected = self.emulator.project_id
        if (project_id is not None and project_id != expected) or (header is not None and header != expected):
            raise DevEnvError(
                "APIGW.0302",
                "The IAM user is not authorized to access the API: "
                "the project id does not match the credentials.",
                status=403,
            )

    def on_finish(self) -> None:
        if self.dropped or self.get_status() >= 400:
            self.emulator.stats.rejected()


class NotFoundHandler(ApiHandler):
    """Any other path: 404 APIGW.0101, before authentication as a gateway does.

    Counted (and faulted) unless under ``/_emulator/``.
    """

    auth = False

    async def prepare(self) -> None:
        if not self.request.path.startswith("/_emulator/"):
            await super().prepare()
        raise web.HTTPError(404)

    def on_finish(self) -> None:
        if not self.request.path.startswith("/_emulator/"):
            super().on_finish()
