"""The instance chosen without a restart, kept in ``chosen_instance.json`` next to the state file.

``PUT devenv/api/config`` and ``jupyter devenv use`` write it; a server uses it at start
when ``c.DevEnv.instance_id`` is not set (configuration wins). Nothing here guesses which
instance this container is: no public ModelArts document names an environment variable
or a metadata key that tells a notebook container its own instance id, so the instance
is configured or chosen, never inferred (and never picked among several).

No Jupyter server imports: the CLI writes the same file.
"""

from __future__ import annotations

import os
from typing import Any, Optional, Tuple

from jupyter_core.paths import jupyter_data_dir

from ..modelarts.codes import INCORRECT_PROPERTY, MISSING_PROPERTY, STATE_NOT_SAVED
from ..modelarts.errors import DevEnvError
from ..modelarts.models import validate_instance_id
from .state_files import read_json, write_json

CHOICE_FILE = "chosen_instance.json"


def default_state_file() -> str:
    """``DevEnvApp.state_file``'s default: ``<Jupyter data dir>/jupyter_devenv/state.json``."""
    return os.path.join(jupyter_data_dir(), "jupyter_devenv", "state.json")


def choice_path(state_file: str) -> str:
    return os.path.join(os.path.dirname(state_file) or ".", CHOICE_FILE)


def validate_choice_body(body: Any) -> str:
    """``{"instance_id": "<id>"}``, nothing else; returns the id."""
    if not isinstance(body, dict):
        raise DevEnvError(
            INCORRECT_PROPERTY, 'body must be a JSON object: {"instance_id": "<id>"}.', field="body"
        )
    extra = sorted(str(key) for key in body if key != "instance_id")
    if extra:
        raise DevEnvError(
            INCORRECT_PROPERTY,
            f"{extra[0]} is not a known property; allowed here: instance_id.",
            field=extra[0],
        )
    if "instance_id" not in body:
        raise DevEnvError(
            MISSING_PROPERTY,
            'instance_id is missing: send {"instance_id": "<id>"} with an id from GET devenv/api/instances.',
            field="instance_id",
        )
    return validate_instance_id(body["instance_id"])


class ChoiceStore:
    """The chosen id on disk: ``instance_id`` (None when none), ``problem`` (why a file was unusable)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.instance_id, self.problem = self._load()

    def _load(self) -> Tuple[Optional[str], Optional[str]]:
        try:
            data = read_json(self.path)
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, f"it cannot be read ({exc.strerror or type(exc).__name__})"
        except ValueError:
            return None, "it is not JSON"
        try:
            return validate_instance_id(data.get("instance_id") if isinstance(data, dict) else None), None
        except DevEnvError:
            return None, 'it holds no valid {"instance_id": "<id>"}'

    def save(self, instance_id: str) -> None:
        """Replace the file atomically (a temporary file, then ``os.replace``); memory changes only after."""
        try:
            write_json(self.path, {"instance_id": instance_id}, prefix=".chosen-")
        except OSError as exc:
            raise DevEnvError(
                STATE_NOT_SAVED,
                f"The chosen instance could not be saved to {self.path}: "
                f"{exc.strerror or type(exc).__name__}. Nothing changed. Make that folder "
                "writable, or set JUPYTER_DATA_DIR (or c.DevEnvApp.state_file, next to which "
                "the choice is kept) to a writable place, and choose again.",
                status=500,
            ) from None
        self.instance_id, self.problem = instance_id, None
