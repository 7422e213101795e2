"""The REST operations on holds: make one, list them, release one (``handlers`` serve them)."""

from __future__ import annotations

from typing import Any, Dict

from ..modelarts.codes import KERNEL_NOT_FOUND
from ..modelarts.errors import DevEnvError
from .holds import Hold, HoldStore, new_hold, validate_hold_body
from .keeper import HoldKeeper, notebook_of, restore_words
from .service import InstanceService


class HoldsApi:
    def __init__(self, store: HoldStore, keeper: HoldKeeper, service: InstanceService) -> None:
        self.store, self.keeper, self.service = store, keeper, service

    def show(self, hold: Hold) -> Dict[str, Any]:
        """A hold as answered: what is kept, and the keeper's ``note`` when it cannot keep it fully."""
        return {**hold, "note": self.keeper.notes.get(hold["instance_id"])}

    async def create(self, body: Any, holder: str) -> Dict[str, Any]:
        """Check the body and the kernel, read the instance (its clock dates the hold), keep it, then tick."""
        clean = validate_hold_body(body)
        kernel_id = clean["kernel_id"]
        if kernel_id is not None and not self.keeper.kernel_alive(kernel_id):
            raise DevEnvError(
                KERNEL_NOT_FOUND,
                f"kernel_id {kernel_id} is not a running kernel of this "
                "server. Nothing was kept. Give the id of a running kernel (GET /api/kernels), "
                "or none for a hold that only its time ends.",
                status=400,
                field="kernel_id",
            )
        instance_id = self.service.resolve_id("current")
        state = await self.keeper.read(instance_id)
        notebook = await notebook_of(self.keeper.sessions, kernel_id)
        hold = new_hold(
            instance_id,
            clean["reason"],
            int(state["server_time"]),
            clean["max_seconds"],
            kernel_id,
            notebook,
            holder,
        )
        self.store.add(hold)
        await self.keeper.tick()
        return self.show(hold)

    async def list(self) -> Dict[str, Any]:
        """The active holds, the upstream clock (as last read) and what the end of the last hold restores."""
        now = self.keeper.now_ms()
        holds = [self.show(h) for h in self.store.holds if h["ends_at"] > now]
        instance_id = self.service.settings.instance_id
        restore = self.store.restores.get(instance_id) if instance_id else None
        if restore is not None:
            restore = {
                "instance_id": instance_id,
                "enable": bool(restore.get("enable")),
                "duration": restore.get("duration"),
                "note": restore_words(restore),
            }
        return {"holds": holds, "server_time": now, "restore": restore}

    async def release(self, hold_id: str) -> None:
        self.store.get(hold_id)  # 404 DEVENV.HOLD_NOT_FOUND
        self.store.remove([hold_id])
        await self.keeper.tick()
