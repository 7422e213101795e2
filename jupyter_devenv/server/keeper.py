"""``HoldKeeper``: while a hold is active, keep the instance running, with no page open.

The server ticks it every ``c.DevEnv.hold_check_interval`` seconds, and after each change
of the holds; tests call ``tick()`` themselves. Each tick, holds whose kernel is gone or
dead end; with ``c.DevEnv.hold_while_busy`` a busy kernel gets a hold of at most
``hold_while_busy_max`` hours (one per busy spell); then, per instance, the instance is
read fresh (its ``server_time`` is "now": holds end by the upstream clock) and:

- current API (a lease): when the lease ends more than a minute before the latest hold,
  it is renewed by ``hold end - now`` (less 2 s: the upstream clock is known to the
  second) when that is 1-72 h, so it ends at the hold's end and never after; by 72 h
  once it is within ``margin`` of its stop when the hold ends further away; not at all
  when less than the API's minimum (1 h) is left (the hold's ``note`` says so). A lease
  that already ends after the hold is left alone, so it is never shortened.
- older API (on/off and a duration from the next start): the first hold turns auto-stop
  off, after keeping the user's ``enable``/``duration`` in the holds file; once the last
  hold ends they are put back (if the user had it on and it is still off).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Dict, List, Optional, Set

from tornado.ioloop import PeriodicCallback

from ..config import DevEnv
from ..modelarts import statuses
from ..modelarts.durations import spoken
from ..modelarts.errors import DevEnvError
from ..modelarts.models import DURATION_MIN, LEASE_MAX, LEASE_MIN
from ..modelarts.state import IDLE, NOTEBOOKS
from .holds import HoldStore, new_hold
from .service import InstanceService

COVERED_MS = 60_000  # a lease ending this close to the hold's end covers it: no renewal for a minute
EARLY_MS = 2_000  # renew to this much before the hold's end: the upstream clock is read to the second
BUSY_REASON = "a kernel is busy (c.DevEnv.hold_while_busy)"


def restore_words(restore: Dict[str, Any]) -> str:
    """What the end of the last hold puts back on the older API, in words."""
    if not restore.get("enable"):
        return "Auto-stop was off before the holds: it stays off when they end."
    duration = spoken(restore.get("duration") or 0)
    return (
        f"When the last hold ends, auto-stop is turned back on with {duration}; on the older API a "
        "duration counts from the instance's next start."
    )


async def notebook_of(sessions: Any, kernel_id: Optional[str]) -> Optional[str]:
    """The path of the notebook whose session runs ``kernel_id``, if the session manager knows one."""
    if sessions is None or not kernel_id:
        return None
    for session in await sessions.list_sessions():
        if (session.get("kernel") or {}).get("id") == kernel_id:
            return session.get("path") or None
    return None


class HoldKeeper:
    def __init__(
        self,
        store: HoldStore,
        service: InstanceService,
        settings: DevEnv,
        log: Any,
        kernels: Any = None,
        sessions: Any = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.service, self.settings, self.log = store, service, settings, log
        self.kernels, self.sessions = kernels, sessions
        self._clock = clock
        self._offset_ms = 0  # upstream clock - local clock, from the last read
        self._lock = asyncio.Lock()
        self._busy_spent: Set[str] = set()  # kernels whose busy spell had its hold
        self.notes: Dict[str, Optional[str]] = {}  # instance id -> why the keeper cannot do its job
        self._periodic: Optional[PeriodicCallback] = None

    @property
    def margin_ms(self) -> int:
        """How close to its stop a lease is renewed when the hold ends beyond one renewal."""
        return int(max(600.0, 3 * self.settings.hold_check_interval) * 1000)

    def now_ms(self) -> int:
        """The upstream clock as last read, carried forward by the local clock."""
        return int(self._clock() * 1000) + self._offset_ms

    async def read(self, instance_id: str) -> Dict[str, Any]:
        """The instance read fresh (not from the cache); it sets the clock."""
        self.service.forget(instance_id)
        state = await self.service.state_of(instance_id)
        self._offset_ms = int(state["server_time"]) - int(self._clock() * 1000)
        return state

    # -- the tick ---------------------------------------------------------------------
    def start(self) -> None:
        """The periodic tick, and a first one now (ending what expired while the server was down)."""
        self._periodic = PeriodicCallback(self._tick_logged, self.settings.hold_check_interval * 1000)
        self._periodic.start()
        asyncio.ensure_future(self._tick_logged())

    def stop(self) -> None:
        if self._periodic is not None:
            self._periodic.stop()

    async def _tick_logged(self) -> None:
        try:
            await self.tick()
        except Exception:  # the periodic callback must keep running
            self.log.exception("jupyter-devenv: checking the holds failed")

    async def tick(self) -> None:
        async with self._lock:
            self._end_gone_kernels()
            await self._busy_holds()
            for instance_id in self.store.instances():
                await self._keep(instance_id)

    def _end(self, holds: List[Dict[str, Any]], why: str) -> None:
        try:
            gone = self.store.remove([h["id"] for h in holds])
        except DevEnvError as error:
            self.log.warning("jupyter-devenv: %s", error.error_msg)
            return
        for hold in gone:
            self.log.info("jupyter-devenv: hold %s (%s) ended: %s", hold["id"], hold["reason"], why)

    def kernel_state(self, kernel_id: str) -> Optional[str]:
        """The kernel's execution state; None when the server has no such kernel."""
        if self.kernels is None or kernel_id not in self.kernels.list_kernel_ids():
            return None
        return getattr(self.kernels.get_kernel(kernel_id), "execution_state", "unknown")

    def kernel_alive(self, kernel_id: str) -> bool:
        return self.kernel_state(kernel_id) not in (None, "dead")

    def _end_gone_kernels(self) -> None:
        if self.kernels is None:
            return
        gone = [h for h in self.store.holds if h["kernel_id"] and not self.kernel_alive(h["kernel_id"])]
        if gone:
            self._end(gone, "its kernel was shut down or died")

    async def _busy_holds(self) -> None:
        if not self.settings.hold_while_busy or self.kernels is None or not self.settings.instance_id:
            return
        busy = {k for k in self.kernels.list_kernel_ids() if self.kernel_state(k) == "busy"}
        held = {h["kernel_id"] for h in self.store.holds if h["holder"] == "busy"}
        idle = [h for h in self.store.holds if h["holder"] == "busy" and h["kernel_id"] not in busy]
        if idle:
            self._end(idle, "its kernel is no longer busy")
        self._busy_spent &= busy
        for kernel_id in sorted(busy - held - self._busy_spent):
            hold = new_hold(
                self.settings.instance_id,
                BUSY_REASON,
                self.now_ms(),
                self.settings.hold_while_busy_max * 3600,
                kernel_id,
                await notebook_of(self.sessions, kernel_id),
                "busy",
            )
            try:
                self.store.add(hold)
            except DevEnvError as error:
                self.log.warning("jupyter-devenv: %s", error.error_msg)
                continue
            self._busy_spent.add(kernel_id)
            self.log.info(
                "jupyter-devenv: kernel %s is busy: the instance is kept running for at most %s",
                kernel_id,
                spoken(self.settings.hold_while_busy_max * 3600),
            )

    async def _keep(self, instance_id: str) -> None:
        try:
            state = await self.read(instance_id)
        except DevEnvError as error:
            # Holds still end on time: by the clock as last read.
            now = self.now_ms()
            self._end([h for h in self.store.of(instance_id) if h["ends_at"] <= now], "its time is up")
            self._note(
                instance_id,
                f"ModelArts could not be read ({error.error_code}: {error.error_msg}); "
                "the holds are checked again shortly.",
            )
            return
        now = int(state["server_time"])
        expired = [h for h in self.store.of(instance_id) if h["ends_at"] <= now]
        if expired:
            self._end(expired, "its time is up")
        holds = self.store.of(instance_id)
        try:
            if state["backend"] == NOTEBOOKS:
                note = await self._lease(instance_id, state, holds)
                if not holds and instance_id in self.store.restores:  # nothing to restore on a lease
                    self.store.set_restore(instance_id, None)
            else:
                note = await self._auto_stop(instance_id, state, holds)
        except DevEnvError as error:
            note = (
                f"Keeping the instance running failed ({error.error_code}: {error.error_msg}); tried "
                "again at the next check."
            )
        self._note(instance_id, note)

    def _note(self, instance_id: str, note: Optional[str]) -> None:
        """Keep (and log once) why the holds are not, or not fully, kept."""
        if note and note != self.notes.get(instance_id):
            self.log.warning("jupyter-devenv: holds on %s: %s", instance_id, note)
        self.notes[instance_id] = note

    # -- the rules --------------------------------------------------------------------
    async def _lease(
        self, instance_id: str, state: Dict[str, Any], holds: List[Dict[str, Any]]
    ) -> Optional[str]:
        if not holds:
            return None
        auto, now = state["auto_stop"], int(state["server_time"])
        end = max(h["ends_at"] for h in holds)
        if state["phase"] != statuses.RUNNING:
            return f"The instance is not running ({state['phase']}): there is no lease to renew."
        if not auto["enable"]:
            return None  # no automatic stop
        if auto["type"] == IDLE:
            return (
                "The instance stops when idle (an IDLE lease), not at a time: holds cannot renew it. "
                "Change the lease in the ModelArts console to keep it running."
            )
        stop = auto["stop_timestamp"]
        if stop is None:
            return "ModelArts did not give the lease's stop time, so it was not renewed."
        if stop >= end - COVERED_MS:
            return None  # the lease covers the holds (perhaps extended by the user): never shortened
        seconds = (end - now - EARLY_MS) // 1000
        if seconds < LEASE_MIN:
            return (
                f"The holds end in {spoken((end - now) / 1000)}, sooner than the shortest renewal "
                f"({spoken(LEASE_MIN)}): the lease is not renewed past their end, so the instance stops "
                f"when its lease ends, in {spoken(max(0, stop - now) / 1000)}."
            )
        if seconds > LEASE_MAX:
            if stop - now > self.margin_ms:
                return None  # renewed by 72 h once the stop gets close
            seconds = LEASE_MAX
        await self.service.extend(instance_id, {"seconds": int(seconds)})
        self.log.info(
            "jupyter-devenv: renewed the lease of %s by %s for %d hold(s)%s",
            instance_id,
            spoken(seconds),
            len(holds),
            "" if seconds == LEASE_MAX else ", to their end",
        )
        return None

    async def _auto_stop(
        self, instance_id: str, state: Dict[str, Any], holds: List[Dict[str, Any]]
    ) -> Optional[str]:
        auto = state["auto_stop"]
        restore = self.store.restores.get(instance_id)
        if holds:
            if restore is None:
                restore = {"enable": auto["enable"], "duration": auto["duration"]}
                self.store.set_restore(instance_id, restore)  # kept before anything changes
                if auto["enable"]:
                    await self.service.update(instance_id, {"spec": {"auto_stop": {"enable": False}}})
                    self.log.info(
                        "jupyter-devenv: turned auto-stop of %s off while held. %s",
                        instance_id,
                        restore_words(restore),
                    )
            return None
        if restore is None:
            return None
        if restore["enable"] and not auto["enable"]:
            duration = restore.get("duration") or auto["duration"] or DURATION_MIN
            body = {"spec": {"auto_stop": {"enable": True, "duration": duration}}}
            await self.service.update(instance_id, body)
            self.log.info(
                "jupyter-devenv: the last hold on %s ended: auto-stop is on again with %s; on the "
                "older API a duration counts from the instance's next start.",
                instance_id,
                spoken(duration),
            )
        elif restore["enable"]:
            self.log.info(
                "jupyter-devenv: the last hold on %s ended; auto-stop was turned on meanwhile and "
                "is left as it is.",
                instance_id,
            )
        self.store.set_restore(instance_id, None)
        return None
