"""``InstanceService``: upstream reads shared, cached and coalesced; writes refresh the cache.

However many browser tabs and kernels ask, there is at most one upstream read in flight
per instance, and a read is reused for ``cache_ttl`` seconds; an id that neither API
generation knows is remembered for as long, so asking again costs nothing upstream.
Each write bumps the instance's generation when it starts and when it ends: a read
that began before then is handed to its callers but never replaces the write's newer
state in the cache. ``server_time`` in every
``State`` is the upstream clock (its ``Date`` header) carried forward by the local
monotonic clock, so a cached answer still counts down correctly.

An explicit instance id other than the one ``current`` names is refused (403
``DEVENV.INSTANCE_NOT_ALLOWED``, nothing sent upstream) unless ``c.DevEnv.allowed_instances``
names it (or is ``["*"]``). The listing of the project's instances is coalesced too.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple

from ..config import DevEnv
from ..modelarts import backends, listing
from ..modelarts.client import Answer, AsyncModelArtsClient
from ..modelarts.codes import INSTANCE_NOT_ALLOWED, NOT_CONFIGURED
from ..modelarts.errors import DevEnvError
from ..modelarts.models import validate_extend_body, validate_instance_id, validate_update_body
from ..modelarts.single_flight import single_flight
from ..modelarts.state import NOTEBOOKS, build_state
from .prompts import PromptStore

Clock = Callable[[], float]
HOW_TO_CHOOSE = (
    "choose it with the toolbar's instance picker or `jupyter devenv use <id or name>` in a terminal"
)


class InstanceService:
    def __init__(
        self, settings: DevEnv, prompts: PromptStore, log: Any, monotonic: Clock = time.monotonic
    ) -> None:
        self.settings = settings
        self.prompts = prompts
        self.log = log
        self._monotonic = monotonic
        self._client: Optional[AsyncModelArtsClient] = None
        self._backends: Dict[str, str] = {}
        # instance id -> (monotonic time of receipt, answer)
        self._cache: Dict[str, Tuple[float, Answer]] = {}
        self._inflight: Dict[str, "asyncio.Future[Answer]"] = {}
        self._generation: Dict[str, int] = {}
        # instance id -> (monotonic time, the not-found error) for ids no API generation knows
        self._unknown: Dict[str, Tuple[float, DevEnvError]] = {}
        self._detecting: Dict[str, "asyncio.Future[str]"] = {}
        self._listing: Dict[str, "asyncio.Future[Dict[str, Any]]"] = {}

    # -- plumbing ---------------------------------------------------------------------
    def resolve_id(self, instance_id: str) -> str:
        """The id ``instance_id`` stands for, once it is one this server may act on."""
        current = self.settings.instance_id
        if instance_id == "current":
            if not current:
                raise self.no_instance()
            return current
        instance_id = validate_instance_id(instance_id)
        allowed = self.settings.allowed_instances
        if instance_id != current and instance_id not in allowed and "*" not in allowed:
            chosen = f"the chosen instance is {current}" if current else "no instance is chosen yet"
            raise DevEnvError(
                INSTANCE_NOT_ALLOWED,
                f"This server acts on the chosen instance only, and "
                f"{chosen}. To work on {instance_id}, {HOW_TO_CHOOSE}, or add it to "
                'c.DevEnv.allowed_instances (env JUPYTER_DEVENV_ALLOWED_INSTANCES; "*" '
                "allows every instance).",
                status=403,
                field="instance_id",
            )
        return instance_id

    def no_instance(self) -> DevEnvError:
        if self.settings.missing(instance=False):
            return self.settings.not_configured()
        return DevEnvError(
            NOT_CONFIGURED,
            f"No instance is chosen yet: {HOW_TO_CHOOSE}, or set "
            "c.DevEnv.instance_id (env JUPYTER_DEVENV_INSTANCE_ID).",
            status=503,
            field="instance_id",
        )

    @property
    def client(self) -> AsyncModelArtsClient:
        if self._client is None:
            self._client = self.settings.make_async_client()  # raises DEVENV.NOT_CONFIGURED
        return self._client

    async def backend_for(self, instance_id: str) -> str:
        if self.settings.backend != "auto":
            return self.settings.backend
        if instance_id in self._backends:
            return self._backends[instance_id]
        unknown = self._unknown.get(instance_id)
        if unknown is not None and self._monotonic() - unknown[0] < self.settings.cache_ttl:
            raise unknown[1]
        return await single_flight(self._detecting, instance_id, lambda: self._detect(instance_id))

    async def _detect(self, instance_id: str) -> str:
        try:
            picked = await backends.detect_backend(self.client, instance_id)
        except DevEnvError as error:
            if backends.is_not_found(error):
                self._unknown[instance_id] = (self._monotonic(), error)
            raise
        self._unknown.pop(instance_id, None)
        self._backends[instance_id] = picked
        self.log.info("jupyter-devenv: backend=auto picked %s for instance %s", picked, instance_id)
        return picked

    def _bump(self, instance_id: str) -> int:
        self._generation[instance_id] = self._generation.get(instance_id, 0) + 1
        return self._generation[instance_id]

    def _store(self, instance_id: str, answer: Answer, generation: int) -> Answer:
        """Cache ``answer`` unless a write started since ``generation`` was taken."""
        if self._generation.get(instance_id, 0) == generation:
            self._cache[instance_id] = (self._monotonic(), answer)
        return answer

    async def _write(self, instance_id: str, send: Callable[[], Awaitable[Answer]]) -> Answer:
        self._bump(instance_id)
        try:
            answer = await send()
        finally:
            generation = self._bump(instance_id)
        return self._store(instance_id, answer, generation)

    def _state(self, instance_id: str, backend: str, read: Optional[Answer] = None) -> Dict[str, Any]:
        """The State of the newest answer: the cache's, else ``read`` (one a write kept out of it)."""
        received, answer = self._cache.get(instance_id) or (self._monotonic(), read)
        server_time = answer.server_time + int((self._monotonic() - received) * 1000)
        prompt = self.prompts.get(instance_id)
        return build_state(answer.data, backend, server_time, prompt=prompt, emulated=answer.emulated)

    async def _read(self, instance_id: str, backend: str) -> Answer:
        """One upstream read at a time per instance; concurrent callers share it."""

        async def read() -> Answer:
            generation = self._generation.get(instance_id, 0)
            return self._store(
                instance_id, await backends.read(self.client, backend, instance_id), generation
            )

        return await single_flight(self._inflight, instance_id, read)

    def forget(self, instance_id: str) -> None:
        """Drop what is cached about ``instance_id`` (its answer, or that no API knew it)."""
        self._cache.pop(instance_id, None)
        self._unknown.pop(instance_id, None)

    # -- the REST operations ----------------------------------------------------------
    async def get_state(self, instance_id: str) -> Dict[str, Any]:
        return await self.state_of(self.resolve_id(instance_id))

    async def state_of(self, instance_id: str) -> Dict[str, Any]:
        """The State of an id already resolved (and allowed): cached, or read once for every caller."""
        backend = await self.backend_for(instance_id)
        cached = self._cache.get(instance_id)
        if cached is None or self._monotonic() - cached[0] >= self.settings.cache_ttl:
            return self._state(instance_id, backend, await self._read(instance_id, backend))
        return self._state(instance_id, backend)

    async def update(self, instance_id: str, body: Any) -> Dict[str, Any]:
        instance_id = self.resolve_id(instance_id)
        body = validate_update_body(body)  # the server's one check: backends and the client trust it
        backend = await self.backend_for(instance_id)
        await self._write(instance_id, lambda: backends.update(self.client, backend, instance_id, body))
        prompt = body.get("spec", {}).get("auto_stop", {}).get("prompt")
        if backend == NOTEBOOKS and prompt is not None:
            self.prompts.set(instance_id, prompt)
        return self._state(instance_id, backend)

    async def extend(self, instance_id: str, body: Any) -> Dict[str, Any]:
        instance_id = self.resolve_id(instance_id)
        seconds = validate_extend_body(body)
        earlier = body.get("allow_earlier") is True
        backend = await self.backend_for(instance_id)
        await self._write(
            instance_id, lambda: backends.extend(self.client, backend, instance_id, seconds, earlier)
        )
        return self._state(instance_id, backend)

    async def list_instances(self) -> Dict[str, Any]:
        """The project's instances (``listing.list_all``); ids listed teach ``backend=auto`` their API."""
        backend = self.settings.backend
        answer = await single_flight(self._listing, "all", lambda: listing.list_all(self.client, backend))
        for summary in answer["instances"]:
            self._backends.setdefault(summary["id"], summary["backend"])
        return answer

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
            "credentials": s.credential_source(),
        }

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def error_status(error: DevEnvError) -> int:
    return error.status if 400 <= error.status < 600 else 502
