"""``/_emulator/``: the control API for tests, benchmarks and the demo (no auth, loopback only).

Not counted in stats and never faulted.
"""

from __future__ import annotations

import ipaddress

from tornado import web

from ..modelarts.errors import DevEnvError
from .handlers_base import JsonHandler


class ControlHandler(JsonHandler):
    def prepare(self) -> None:
        if not ipaddress.ip_address(self.request.remote_ip or "0.0.0.0").is_loopback:
            raise web.HTTPError(403)


class StatsHandler(ControlHandler):
    def get(self) -> None:
        self.send(self.emulator.stats.snapshot())

    def delete(self) -> None:
        self.emulator.stats.reset()
        self.send(self.emulator.stats.snapshot())


class InstancesHandler(ControlHandler):
    def get(self) -> None:
        self.send({"instances": self.emulator.instances()})

    def post(self) -> None:
        body = self.json_body()
        if not isinstance(body, dict):
            raise DevEnvError("EMULATOR.BAD_REQUEST", "The body must be a JSON object.", status=400)
        self.send(self.emulator.store.seed(body)[1], status=201)


class InstanceHandler(ControlHandler):
    def get(self, instance_id: str) -> None:
        found = self.emulator.store.raw(instance_id)
        if found is None:
            raise DevEnvError("EMULATOR.NOT_FOUND", f"No instance {instance_id}.", status=404)
        self.send(found[1])


class IdleStopHandler(ControlHandler):
    """POST: stop a RUNNING notebooks instance with an IDLE lease as if it had stayed idle.

    The only way such an instance stops by itself: idleness is not emulated.
    """

    def post(self, instance_id: str) -> None:
        self.send(self.emulator.store.idle_stop(instance_id))


class ClockHandler(ControlHandler):
    def get(self) -> None:
        self.send({"now": self.emulator.clock.now_ms()})

    def post(self) -> None:
        body = self.json_body()
        seconds = body.get("advance") if isinstance(body, dict) else None
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            raise DevEnvError("EMULATOR.BAD_REQUEST", 'Give {"advance": seconds >= 0}.', status=400)
        self.send({"now": self.emulator.advance(seconds)})


class FaultsHandler(ControlHandler):
    def get(self) -> None:
        self.send(self.emulator.faults.snapshot())

    def post(self) -> None:
        self.emulator.set_faults(self.json_body())
        self.send(self.emulator.faults.snapshot())

    def delete(self) -> None:
        self.emulator.faults.clear()
        self.send(self.emulator.faults.snapshot())


class CredentialsHandler(ControlHandler):
    """The temporary credentials' lifetime (settable) and how many were issued."""

    def get(self) -> None:
        self.send(self.emulator.credentials())

    def post(self) -> None:
        self.emulator.set_credentials(self.json_body())
        self.send(self.emulator.credentials())


def routes(emulator) -> list:
    kw = {"emulator": emulator}
    return [
        (r"/_emulator/stats", StatsHandler, kw),
        (r"/_emulator/instances", InstancesHandler, kw),
        (r"/_emulator/instances/(?P<instance_id>[^/]+)", InstanceHandler, kw),
        (r"/_emulator/instances/(?P<instance_id>[^/]+)/idle-stop", IdleStopHandler, kw),
        (r"/_emulator/clock", ClockHandler, kw),
        (r"/_emulator/faults", FaultsHandler, kw),
        (r"/_emulator/credentials", CredentialsHandler, kw),
    ]
