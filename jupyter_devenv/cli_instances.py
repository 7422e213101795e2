"""``jupyter devenv list`` and ``jupyter devenv use``: the project's instances, and choosing one.

Inside a Jupyter server's kernel or terminal (``JUPYTER_DEVENV_URL`` and ``_TOKEN`` set) both
go through the server: ``use`` changes the server's instance at once, for every page and
kernel. Elsewhere they talk to ModelArts directly, and ``use`` writes the chosen-instance
file a Jupyter server reads when it starts (next to ``c.DevEnvApp.state_file``).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable, Dict, Optional

from .cli_config import file_config
from .config import DevEnv
from .connection import ProxyConnection
from .kernel_access import TOKEN_ENV, URL_ENV
from .modelarts import backends
from .modelarts.codes import AMBIGUOUS_NAME, NO_SUCH_INSTANCE
from .modelarts.durations import format_hms
from .modelarts.errors import DevEnvError
from .modelarts.listing import list_all, pick
from .modelarts.models import validate_instance_id
from .server.choice import ChoiceStore, choice_path, default_state_file

COLUMNS = ("", "NAME", "ID", "STATUS", "FLAVOR", "TIME LEFT", "API")


def state_file() -> str:
    """The state file of a Jupyter server with these config files (``c.DevEnvApp.state_file``)."""
    config, _ = file_config()
    app = config["DevEnvApp"] if "DevEnvApp" in config else {}
    return app.get("state_file") or default_state_file()


def choice_store() -> ChoiceStore:
    """The file a Jupyter server with these config files reads its chosen instance from."""
    return ChoiceStore(choice_path(state_file()))


def with_choice(settings: DevEnv) -> DevEnv:
    """``settings``, with the chosen instance when ``c.DevEnv.instance_id`` is not set (it wins)."""
    if not settings.instance_id:
        settings.instance_id = choice_store().instance_id or ""
    return settings


def _left(seconds: Optional[int]) -> str:
    return "-" if seconds is None else format_hms(seconds)


def table(answer: Dict[str, Any], chosen: Optional[str]) -> str:
    rows = [COLUMNS] + [
        (
            "*" if s["id"] == chosen else "",
            s["name"] or "-",
            s["id"],
            s["status"] or "-",
            s["flavor"] or "-",
            _left(s["remain_time"]),
            s["backend"],
        )
        for s in answer["instances"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _is_id(text: str) -> bool:
    try:
        validate_instance_id(text)
    except DevEnvError:
        return False
    return True


def resolve(wanted: str, listed: Callable[[], Dict[str, Any]]) -> str:
    """The id ``wanted`` names (an id or an exact name); an id is tried even if the list fails."""
    try:
        found = pick(listed()["instances"], wanted)
    except DevEnvError as error:
        if error.error_code == AMBIGUOUS_NAME or not _is_id(wanted):
            raise
        found = None
    if found is None and not _is_id(wanted):
        raise DevEnvError(
            NO_SUCH_INSTANCE,
            f"No instance has the id or the exact name {wanted!r}: `jupyter devenv list` shows them.",
            status=404,
            field="instance_id",
        )
    return found or wanted


def inside_server() -> bool:
    """Whether this runs in a kernel or terminal of a Jupyter server with jupyter-devenv."""
    return bool(os.environ.get(URL_ENV) and os.environ.get(TOKEN_ENV))


def server() -> Optional[ProxyConnection]:
    """The Jupyter server's connection when this runs in one of its kernels or terminals."""
    return ProxyConnection(os.environ[URL_ENV], os.environ[TOKEN_ENV]) if inside_server() else None


class Direct:
    """Straight to ModelArts with the CLI's settings (no instance needed)."""

    def __init__(self, settings: DevEnv) -> None:
        if settings.missing(instance=False):
            raise settings.not_configured(instance=False)
        self.settings = settings
        self.client = settings.make_client()

    def listing(self) -> Dict[str, Any]:
        return self.client.run(list_all(self.client.aio, self.settings.backend))

    def check(self, instance_id: str) -> None:
        """Raise unless an API generation knows ``instance_id``."""
        backend = self.settings.backend
        try:
            if backend == "auto":
                self.client.run(backends.detect_backend(self.client.aio, instance_id))
            else:
                self.client.run(backends.read(self.client.aio, backend, instance_id))
        except DevEnvError as error:
            if backends.is_not_found(error):
                raise DevEnvError(
                    NO_SUCH_INSTANCE,
                    f"No instance {instance_id} in this project: `jupyter devenv list` shows them.",
                    status=404,
                    field="instance_id",
                ) from None
            raise


def list_command(settings: Callable[[], DevEnv], as_json: bool) -> int:
    """Print the instances (``*``: the one in use); ``settings`` only for a direct connection."""
    conn = server()
    if conn is not None:
        try:
            answer, chosen = conn.instances(), conn.config().get("instance_id")
        finally:
            conn.close()
    else:
        direct = Direct(with_choice(settings()))
        try:
            answer, chosen = direct.listing(), direct.settings.instance_id
        finally:
            direct.client.close()
    if as_json:
        print(json.dumps(answer, indent=2, sort_keys=True))
    else:
        print(table(answer, chosen) if answer["instances"] else "No instances in this project.")
    if answer["partial"]:
        print(f"note: {answer['partial']}", file=sys.stderr)
    return 0


def use_command(settings: Callable[[], DevEnv], wanted: str) -> int:
    """Choose by id or exact name: on the Jupyter server, else in the file a server starts with."""
    conn = server()
    if conn is not None:
        try:
            config = conn.choose(resolve(wanted, conn.instances))
        finally:
            conn.close()
        print(
            f"Using {config['instance_id']} ({config['backend']}) on this Jupyter server: its pages, its "
            "kernels and `jupyter devenv status` here follow at once; it is kept for the next start too."
        )
        return 0
    direct = Direct(settings())
    try:
        instance_id = resolve(wanted, direct.listing)
        direct.check(instance_id)
    finally:
        direct.client.close()
    store = choice_store()
    store.save(instance_id)
    configured = direct.settings.instance_id
    print(
        f"Chose {instance_id}, saved in {store.path}: a Jupyter server started from now on with these "
        "settings uses it, and so do status, update and extend here. A server already running keeps its "
        "instance: choose in its toolbar's picker or run `jupyter devenv use` in its terminal."
    )
    if configured and configured != instance_id:
        print(
            f"note: c.DevEnv.instance_id (env JUPYTER_DEVENV_INSTANCE_ID) is {configured} here, and wins "
            "over the choice: unset it for the choice to apply.",
            file=sys.stderr,
        )
    return 0
