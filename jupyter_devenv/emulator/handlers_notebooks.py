"""``/v1/{project_id}/notebooks[/{id}[...]]``: the current API, with leases."""

from __future__ import annotations

from . import listing, notebooks
from .handlers_base import ApiHandler

LIST = r"/v1/(?P<project_id>[^/]+)/notebooks"
PREFIX = LIST + r"/(?P<instance_id>[^/]+)"


class ListHandler(ApiHandler):
    """ListNotebooks: see ``listing.page``; a repeated query parameter counts by its last value."""

    def get(self, project_id: str) -> None:
        self.permit("list")
        query = {name: self.get_query_argument(name) for name in self.request.query_arguments}
        answer = listing.page(self.emulator.store.stored(notebooks.BACKEND), query)
        now = self.emulator.clock.now_ms()
        answer["data"] = [notebooks.render(inst, now) for inst in answer["data"]]
        self.send(answer)


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
        """A ``duration`` query parameter overrides the body, which is then not even read."""
        self.permit("renew_lease")
        duration = notebooks.query_duration(self.get_query_argument("duration", None))
        body = self.json_body() if duration is None else None
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            answer = notebooks.renew(inst, body, duration, self.emulator.clock.now_ms())
        self.send(answer)


class StartHandler(ApiHandler):
    """``?duration=ms&type=TIMING|IDLE``: without duration the previous lease's, without type TIMING."""

    def post(self, project_id: str, instance_id: str) -> None:
        self.permit("start")
        duration = notebooks.query_duration(self.get_query_argument("duration", None))
        kind = notebooks.lease_type(self.get_query_argument("type", notebooks.TIMING))
        with self.emulator.store.instance(notebooks.BACKEND, instance_id) as inst:
            now = self.emulator.clock.now_ms()
            notebooks.start(inst, duration, kind, now)
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
