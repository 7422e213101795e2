"""The metadata service of a server with an agency, served at the emulator's own address.

``PUT /meta-data/latest/api/token`` (header ``X-Metadata-Token-Ttl-Seconds``) answers a
session token as plain text; ``GET /openstack/latest/securitykey`` answers fresh
temporary credentials. Counted in stats; never faulted, never authenticated; errors are
plain text, as the metadata service is not the API gateway.
"""

from __future__ import annotations

from typing import Any

from tornado import httputil

from ..modelarts.errors import DevEnvError
from .handlers_base import ApiHandler
from .metadata import TOKEN_TTL_MAX

TEXT = "text/plain; charset=utf-8"


def _refused(status: int, msg: str) -> DevEnvError:
    return DevEnvError("EMULATOR.METADATA", msg, status=status)


class MetadataHandler(ApiHandler):
    auth = False
    faulted = False

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, DevEnvError):
            status_code, msg = exc.status, exc.error_msg
        else:
            msg = httputil.responses.get(status_code, "Error")
        self.set_status(status_code)
        self.set_header("Content-Type", TEXT)
        self.finish(msg + "\n")


class TokenHandler(MetadataHandler):
    def put(self) -> None:
        text = self.request.headers.get("X-Metadata-Token-Ttl-Seconds", "")
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= TOKEN_TTL_MAX:
            raise _refused(
                400,
                f"X-Metadata-Token-Ttl-Seconds must be a whole number of seconds from 1 to {TOKEN_TTL_MAX}.",
            )
        token = self.emulator.metadata_tokens.issue(int(text))
        self.set_header("Content-Type", TEXT)
        self.set_header("X-Metadata-Token-Ttl-Seconds", text)
        self.finish(token)


class SecurityKeyHandler(MetadataHandler):
    """Without ``X-Metadata-Token`` it answers too; with one, it must be valid and unexpired."""

    def get(self) -> None:
        token = self.request.headers.get("X-Metadata-Token")
        if token is not None and not self.emulator.metadata_tokens.valid(token):
            raise _refused(401, "The metadata token is invalid or has expired.")
        self.send({"credential": self.emulator.issue_credentials()})


def routes(emulator) -> list:
    kw = {"emulator": emulator}
    return [
        (r"/meta-data/latest/api/token", TokenHandler, kw),
        (r"/openstack/latest/securitykey", SecurityKeyHandler, kw),
    ]
