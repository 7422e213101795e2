"""``/v1/{project_id}/demanager/instances[...]``: the older API's family."""

from __future__ import annotations

from ..modelarts.codes import INCORRECT_PROPERTY
from ..modelarts.errors import DevEnvError
from . import demanager
from .handlers_base import ApiHandler

PREFIX = r"/v1/(?P<project_id>[^/]+)/demanager/instances"


class InstanceHandler(ApiHandler):
    def get(self, project_id: str, instance_id: str) -> None:
        self.permit("detail")
        with self.emulator.store.instance(demanager.BACKEND, instance_id) as inst:
            answer = demanager.render(inst, self.emulator.clock.now_ms())
        self.send(answer)

    def put(self, project_id: str, instance_id: str) -> None:
        self.permit("update")
        body = self.json_body()
        with self.emulator.store.instance(demanager.BACKEND, instance_id) as inst:
            now = self.emulator.clock.now_ms()
            demanager.update(inst, body, now)
            answer = demanager.render(inst, now)
        self.send(answer)

    def delete(self, project_id: str, instance_id: str) -> None:
        self.permit("delete")
        with self.emulator.store.instance(demanager.BACKEND, instance_id):
            self.emulator.store.remove(instance_id)
        self.send({"instance_id": instance_id})


class ActionHandler(ApiHandler):
    """Checked for the ``action`` deny switch after the body is read: the IAM action is the body's."""

    def post(self, project_id: str, instance_id: str) -> None:
        action = demanager.parse_action(self.json_body())
        self.permit("action", action=action)
        with self.emulator.store.instance(demanager.BACKEND, instance_id) as inst:
            answer = demanager.act(inst, action, self.emulator.clock.now_ms())
        self.send(answer)


class ListHandler(ApiHandler):
    """``?de_type=Notebook&limit=&offset=``; without ``limit`` every instance is listed."""

    def get(self, project_id: str) -> None:
        self.permit("list")
        offset = self._whole("offset", 0)
        limit = self._whole("limit", None)
        de_type = self.get_query_argument("de_type", "Notebook")
        found = self.emulator.store.all(demanager.BACKEND) if de_type == "Notebook" else []
        page = found[offset:] if limit is None else found[offset : offset + limit]
        self.send({"total_count": len(found), "instances": page})

    def _whole(self, name: str, default):
        text = self.get_query_argument(name, None)
        if text is None:
            return default
        if not text.isdigit():
            raise DevEnvError(INCORRECT_PROPERTY, f"{name} must be a whole number >= 0.", status=400)
        return int(text)


def routes(emulator) -> list:
    kw = {"emulator": emulator}
    return [
        (PREFIX, ListHandler, kw),
        (PREFIX + r"/(?P<instance_id>[^/]+)", InstanceHandler, kw),
        (PREFIX + r"/(?P<instance_id>[^/]+)/action", ActionHandler, kw),
    ]
