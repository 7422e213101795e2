"""The project's instances of both API generations, as short redacted summaries for a picker.

Each generation's list is followed page by page (``offset`` counts instances, ``total``
says when to stop); the two run at once. A summary holds ``id``, ``name``, ``status``,
``flavor``, ``backend`` and the ``stop_timestamp``/``remain_time`` that ``build_state``
derives, nothing else: list answers carry the same secrets as an instance's details.
A generation whose list fails (an account without that API answers 404; a policy
without ``modelarts:notebook:list`` answers 403) leaves the other's instances, and
``partial`` says in plain words which one failed and why; when both fail, that is the error.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple, Union

from .answers import Answer, malformed
from .client import AsyncModelArtsClient
from .codes import AMBIGUOUS_NAME, LIST_FAILED
from .errors import DevEnvError
from .models import validate_instance_id
from .state import DEMANAGER, NOTEBOOKS, build_state

PAGE = {NOTEBOOKS: 50, DEMANAGER: 100}  # ListNotebooks takes at most 50 a page
MAX_PAGES = 100  # a paging that never ends (an upstream bug) stops here
GENERATION = {NOTEBOOKS: "the current API (notebooks)", DEMANAGER: "the older API (demanager)"}
Summary = Dict[str, Any]
Fetch = Callable[[int, int], Awaitable[Answer]]
Listed = Tuple[List[Summary], int]  # the summaries and the upstream clock (ms) of the last page


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def summary(instance: Any, backend: str, server_time: int) -> Optional[Summary]:
    """The picker's view of one listed instance; None for an entry without a usable id."""
    if not isinstance(instance, dict):
        return None
    try:
        validate_instance_id(instance.get("id"))
    except DevEnvError:
        return None
    state = build_state(instance, backend, server_time)
    inst, auto = state["instance"], state["auto_stop"]
    return {
        "id": inst["id"],
        "name": _text(inst.get("name")),
        "status": _text(inst.get("status")),
        "flavor": _text(inst.get("flavor")),
        "backend": backend,
        "phase": state["phase"],
        "stop_timestamp": auto["stop_timestamp"],
        "remain_time": auto["remain_time"],
    }


async def _generation(fetch: Fetch, backend: str, items: str, total: str) -> Listed:
    """Every instance one generation lists, page after page."""
    found: List[Summary] = []
    offset = server_time = 0
    for _ in range(MAX_PAGES):
        answer = await fetch(PAGE[backend], offset)
        page, count = answer.data.get(items), answer.data.get(total)
        if not isinstance(page, list):
            raise malformed(f"a list of instances without its {items!r} array")
        found += [s for s in (summary(i, backend, answer.server_time) for i in page) if s is not None]
        offset, server_time = offset + len(page), answer.server_time
        if not page or not isinstance(count, int) or offset >= count:
            break
    return found, server_time


def reason(backend: str, error: DevEnvError) -> str:
    """Why a generation could not list, in plain words."""
    name = GENERATION[backend]
    if error.status == 404:
        return f"{name} is not available to this account or region (HTTP 404, {error.error_code})"
    if error.status == 403:
        return (
            f"{name} refused to list instances: the credentials' IAM policy does not allow it "
            f"({error.error_code}: {error.error_msg})"
        )
    return f"{name} could not list instances ({error.error_code}: {error.error_msg})"


def _order(s: Summary) -> Any:
    return (s["status"] != "RUNNING", (s["name"] or "").lower(), s["id"])


async def list_all(client: AsyncModelArtsClient, backend: str = "auto") -> Dict[str, Any]:
    """``{"instances": [summary...], "server_time": ms, "partial": None or "<which failed, why>"}``.

    RUNNING first, then by name; ``server_time`` is the upstream clock of the latest answer.
    ``backend`` fixed to one API generation lists that one only: the others' instances
    could not be used.
    """

    async def attempt(backend: str, fetch: Fetch, items: str, total: str) -> Union[Listed, DevEnvError]:
        try:
            return await _generation(fetch, backend, items, total)
        except DevEnvError as error:
            return error

    generations = {
        NOTEBOOKS: (client.list_notebooks, "data", "total"),
        DEMANAGER: (client.list_instances, "instances", "total_count"),
    }
    asked = [b for b in generations if backend in ("auto", b)]
    outcomes = dict(zip(asked, await asyncio.gather(*(attempt(b, *generations[b]) for b in asked))))
    failed = {b: o for b, o in outcomes.items() if isinstance(o, DevEnvError)}
    if len(failed) == len(outcomes):
        raise failed[backend] if backend in failed else _both_failed(failed[NOTEBOOKS], failed[DEMANAGER])
    listed = [o for o in outcomes.values() if not isinstance(o, DevEnvError)]
    seen: Dict[str, Summary] = {}
    for summaries, _ in listed:
        for s in summaries:
            seen.setdefault(s["id"], s)
    partial = "".join(f"Only part of the project is listed: {reason(b, e)}." for b, e in failed.items())
    return {
        "instances": sorted(seen.values(), key=_order),
        "server_time": max(t for _, t in listed),
        "partial": partial or None,
    }


def _both_failed(notebooks: DevEnvError, demanager: DevEnvError) -> DevEnvError:
    if notebooks.error_code == demanager.error_code:  # one cause (credentials, network): say it as it is
        return notebooks
    return DevEnvError(
        LIST_FAILED,
        f"No instance could be listed: {reason(NOTEBOOKS, notebooks)}; "
        f"{reason(DEMANAGER, demanager)}. Check the credentials and their IAM policy "
        "(modelarts:notebook:list), or set c.DevEnv.instance_id directly.",
        status=502,
    )


def pick(instances: List[Summary], wanted: str) -> Optional[str]:
    """The id ``wanted`` names: an instance's id, else its exact name; None when nothing matches.

    A name that several instances share is an error listing them: never a guess.
    """
    if any(s["id"] == wanted for s in instances):
        return wanted
    named = [s for s in instances if s["name"] == wanted]
    if len(named) > 1:
        which = "; ".join(f"{s['id']} ({s['backend']}, {s['status']})" for s in named)
        raise DevEnvError(
            AMBIGUOUS_NAME,
            f"{len(named)} instances are named {wanted!r}: {which}. Give the id of the one you mean.",
            status=409,
            field="instance_id",
        )
    return named[0]["id"] if named else None
