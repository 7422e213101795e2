"""``InstanceService``: upstream reads shared, cached and coalesced; writes refresh the cache.

However many browser tabs and kernels ask, there is at most one upstream read in flight
per instance, and a read is reused for ``cache_ttl`` seconds. ``server_time`` in every
``State`` is the upstream clock (its ``Date`` header) carried forward by the local
monotonic clock, so a cached answer still counts down correctly.
"""
from __future__ import annotations

import asyncio
import time
from typing import Any, Callable, Dict, Optional, Tuple

from ..config import DevEnv
from ..modelarts import backends
from ..modelarts.client import Answer, AsyncDevEnvClient
from ..modelarts.errors import DevEnvError
from ..modelarts.models import validate_extend_body, validate_instance_id, validate_update_body
from ..modelarts.state import NOTEBOOKS, build_state
from .prompts import PromptStore

Clock = Callable[[], float]


class InstanceService:
    def __init__(self, settings: DevEnv, prompts: PromptStore, log: Any,
                 monotonic: Clock = time.monotonic) -> None:
        self.settings = settings
        self.prompts = prompts
        self.log = log
        self._monotonic = monotonic
        self._client: Optional[AsyncDevEnvClient] = None
        self._backends: Dict[str, str] = {}
        # instance id -> (monotonic time of receipt, answer)
        self._cache: Dict[str, Tuple[float, Answer]] = {}
        self._inflight: Dict[str, "asyncio.Future[Answer]"] = {}

    # -- plumbing ---------------------------------------------------------------------
    def resolve_id(self, instance_id: str) -> str:
        if instance_id == "current":
            if not self.settings.instance_id:
                raise self.settings.not_configured()
            return self.settings.instance_id
        return validate_instance_id(instance_id)

    @property
    def client(self) -> AsyncDevEnvClient:
        if self._client is None:
            self._client = self.settings.make_async_client()  # raises DEVENV.NOT_CONFIGURED
        return self._client

    async def backend_for(self, instance_id: str) -> str:
        if self.settings.backend != "auto":
            return self.settings.backend
        if instance_id not in self._backends:
            picked = await backends.detect_backend(self.client, instance_id)
            self._backends[instance_id] = picked
            self.log.info("jupyter-devenv: backend=auto picked %s for instance %s", picked, instance_id)
        return self._backends[instance_id]

    def _store(self, instance_id: str, answer: Answer) -> Answer:
        self._cache[instance_id] = (self._monotonic(), answer)
        return answer

    def _state(self, instance_id: str, backend: str) -> Dict[str, Any]:
        received, answer = self._cache[instance_id]
        server_time = answer.server_time + int((self._monotonic() - received) * 1000)
        return build_state(answer.data, backend, server_time, prompt=self.prompts.get(instance_id))

    async def _read(self, instance_id: str, backend: str) -> Answer:
        """One upstream read at a time per instance; concurrent callers share it."""
        pending = self._inflight.get(instance_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: "asyncio.Future[Answer]" = asyncio.get_running_loop().create_future()
        self._inflight[instance_id] = future
        try:
            answer = self._store(instance_id, await backends.read(self.client, backend, instance_id))
            future.set_result(answer)
            return answer
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: callers that wait re-raise it themselves
            raise
        finally:
            del self._inflight[instance_id]

    # -- the REST operations ----------------------------------------------------------
    async def get_state(self, instance_id: str) -> Dict[str, Any]:
        instance_id = self.resolve_id(instance_id)
        backend = await self.backend_for(instance_id)
        cached = self._cache.get(instance_id)
        if cached is None or self._monotonic() - cached[0] >= self.settings.cache_ttl:
            await self._read(instance_id, backend)
        return self._state(instance_id, backend)

    async def update(self, instance_id: str, body: Any) -> Dict[str, Any]:
        instance_id = self.resolve_id(instance_id)
        body = validate_update_body(body)
        backend = await self.backend_for(instance_id)
        answer = await backends.update(self.client, backend, instance_id, body)
        prompt = body.get("spec", {}).get("auto_stop", {}).get("prompt")
        if backend == NOTEBOOKS and prompt is not None:
            self.prompts.set(instance_id, prompt)
        self._store(instance_id, answer)
        return self._state(instance_id, backend)

    async def extend(self, instance_id: str, body: Any) -> Dict[str, Any]:
        instance_id = self.resolve_id(instance_id)
        seconds = validate_extend_body(body)
        backend = await self.backend_for(instance_id)
        self._store(instance_id, await backends.extend(self.client, backend, instance_id, seconds))
        return self._state(instance_id, backend)

    def config(self) -> Dict[str, Any]:
        s = self.settings
        backend = s.backend
        if backend == "auto" and s.instance_id in self._backends:
            backend = self._backends[s.instance_id]
        return {
            "backend": backend,
            "backend_setting": s.backend,
            "instance_id": s.instance_id or None,
            "configured": not s.missing(),
            "missing": s.missing(),
            "poll_interval": s.poll_interval,
            "cache_ttl": s.cache_ttl,
            "reminder_thresholds": list(s.reminder_thresholds),
            "save_before_stop": s.save_before_stop,
            "emulated": s.emulated,
        }

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def error_status(error: DevEnvError) -> int:
    return error.status if 400 <= error.status < 600 else 502
