"""``/v1/{project_id}/notebooks[/{id}[...]]``: the current API, with leases."""
from __future__ import annotations

from ..modelarts.errors import DevEnvError
from ..modelarts.models import INCORRECT_PROPERTY
from . import listing, notebooks
from .handlers_base import ApiHandler

LIST = r"/v1/(?P<project_id>[^/]+)/notebooks"
PREFIX = LIST + r"/(?P<instance_id>[^/]+)"


class ListHandler(ApiHandler):
    """ListNotebooks: see ``listing.page``; a repeated query parameter counts by its last value."""

    def get(self, project_id: str) -> None:
        self.permit("list")
        query = {name: self.get_query_argument(name) for name in self.request.query_arguments}
        self.send(listing.page(self.emulator.store.all(notebooks.BACKEND), query))


class InstanceHandler(ApiHandler):
    def get(self, project_id: str, instance_id: str) -> None:
        self.permit("detail")
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            answer = notebooks.render(inst, self.emulator.clock.now_ms())
        self.send(answer)


class LeaseHandler(ApiHandler):
    """GET needs no IAM action (ShowLease), so no deny switch refuses it."""

    def get(self, project_id: str, instance_id: str) -> None:
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            answer = dict(inst["lease"])
        self.send(answer)

    def patch(self, project_id: str, instance_id: str) -> None:
        self.permit("renew_lease")
        body = self.json_body()
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            answer = notebooks.renew(inst, body, self.emulator.clock.now_ms())
        self.send(answer)


class StartHandler(ApiHandler):
    """``?duration=ms&type=TIMING``; without duration the previous lease's is reused."""

    def post(self, project_id: str, instance_id: str) -> None:
        self.permit("start")
        text = self.get_query_argument("duration", None)
        if text is not None and not text.isdigit():
            raise DevEnvError(INCORRECT_PROPERTY, "duration must be a whole number of milliseconds.", status=400)
        duration = notebooks.lease_duration(int(text)) if text is not None else None
        if self.get_query_argument("type", None) is not None:
            notebooks.lease_type(self.get_query_argument("type"))
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            now = self.emulator.clock.now_ms()
            notebooks.start(inst, duration, now)
            answer = notebooks.render(inst, now)
        self.send(answer)


class StopHandler(ApiHandler):
    def post(self, project_id: str, instance_id: str) -> None:
        self.permit("stop")
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            now = self.emulator.clock.now_ms()
            notebooks.stop_now(inst, now)
            answer = notebooks.render(inst, now)
        self.send(answer)


def routes(emulator) -> list:
    kw = {"emulator": emulator}
    return [
        (LIST, ListHandler, kw),
        (PREFIX, InstanceHandler, kw),
        (PREFIX + "/lease", LeaseHandler, kw),
        (PREFIX + "/start", StartHandler, kw),
        (PREFIX + "/stop", StopHandler, kw),
    ]
