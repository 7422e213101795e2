"""The two API generations behind one interface: read, update and extend an instance.

``demanager`` is the older API (auto-stop settings on the instance); ``notebooks`` is
the current one (auto-stop is a lease). Both answer with the upstream instance object
and clock; ``state.build_state`` turns that into the one ``State`` shape.
"""

from __future__ import annotations

from typing import Any, Dict

from .client import Answer, AsyncModelArtsClient
from .codes import EXTEND_UNSUPPORTED, INSTANCE_NOT_FOUND, UNSUPPORTED
from .errors import DevEnvError
from .extend_guard import refuse_earlier
from .models import DURATION_MAX, DURATION_MIN
from .state import DEMANAGER, NOTEBOOKS, build_state


def guess_backend(instance_id: str) -> str:
    """``DE-...`` ids belong to the old API, UUIDs to the current one."""
    return DEMANAGER if instance_id.upper().startswith("DE-") else NOTEBOOKS


def is_not_found(error: DevEnvError) -> bool:
    return error.error_code == INSTANCE_NOT_FOUND or error.status == 404


async def read(client: AsyncModelArtsClient, backend: str, instance_id: str) -> Answer:
    if backend == NOTEBOOKS:
        return await client.get_notebook(instance_id)
    return await client.get_instance(instance_id)


async def detect_backend(client: AsyncModelArtsClient, instance_id: str) -> str:
    """The backend that knows ``instance_id``: the id's guess first, then the other."""
    first = guess_backend(instance_id)
    try:
        await read(client, first, instance_id)
        return first
    except DevEnvError as error:
        if not is_not_found(error):
            raise
    other = NOTEBOOKS if first == DEMANAGER else DEMANAGER
    await read(client, other, instance_id)
    return other


async def update(client: AsyncModelArtsClient, backend: str, instance_id: str, body: Any) -> Answer:
    """Apply an update body the caller validated (``prompt`` excepted on notebooks: the caller keeps it)."""
    if backend == DEMANAGER:
        return await client.update_instance(instance_id, body)
    auto: Dict[str, Any] = body.get("spec", {}).get("auto_stop", {})
    if "description" in body or "enable" in auto or "duration" in auto:
        raise DevEnvError(
            UNSUPPORTED,
            "On the current ModelArts API auto-stop is a lease: use Extend to move the stop time "
            "(1-72 h from now). Description and auto-stop on/off are changed in the ModelArts console.",
            status=409,
        )
    return await client.get_notebook(instance_id)


async def extend(
    client: AsyncModelArtsClient, backend: str, instance_id: str, seconds: int, allow_earlier: bool = False
) -> Answer:
    """Renew the lease by ``seconds`` from now (notebooks), then read the instance back.

    Unless ``allow_earlier``, the lease is read first and a renewal that would end it
    earlier than now is refused (``extend_guard``).
    """
    if backend == DEMANAGER:
        raise DevEnvError(
            EXTEND_UNSUPPORTED,
            "This instance uses the older ModelArts API, where a running instance cannot be extended: "
            f"a new duration ({DURATION_MIN // 3600}-{DURATION_MAX // 3600} h) only applies at the next "
            "start. Set the duration for the next start, or turn auto-stop off to keep it running.",
            status=409,
        )
    if not allow_earlier:
        now = await client.get_notebook(instance_id)
        refuse_earlier(build_state(now.data, NOTEBOOKS, now.server_time), seconds, allow_earlier)
    await client.renew_lease(instance_id, seconds)
    return await client.get_notebook(instance_id)
