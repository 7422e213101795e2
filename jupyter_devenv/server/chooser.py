"""``Chooser``: which instance ``current`` is (configured, chosen, or none yet), and choosing it.

A choice applies at once to every client: ``current`` is resolved from the settings on
each request (kernels included), and the service caches by instance id, so only what
it knew of the chosen id is dropped to read it fresh.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..config import DevEnv
from ..modelarts import backends
from ..modelarts.codes import INSTANCE_CONFIGURED, NO_SUCH_INSTANCE
from ..modelarts.errors import DevEnvError
from .choice import ChoiceStore, validate_choice_body
from .service import InstanceService


class Chooser:
    """``source`` is ``"config"`` (``c.DevEnv.instance_id``, which wins), ``"chosen"`` or None."""

    def __init__(self, settings: DevEnv, service: InstanceService, store: ChoiceStore, log: Any) -> None:
        self.settings, self.service, self.store = settings, service, store
        self.source: Optional[str] = "config" if settings.instance_id else None
        if store.problem:
            log.warning(
                "jupyter-devenv: the chosen instance in %s is not used: %s. Choose it again.",
                store.path,
                store.problem,
            )
        if self.source is None and store.instance_id:
            settings.instance_id, self.source = store.instance_id, "chosen"
            log.info("jupyter-devenv: using instance %s, chosen earlier (%s)", store.instance_id, store.path)

    def config(self) -> Dict[str, Any]:
        return {**self.service.config(), "instance_source": self.source}

    async def choose(self, body: Any) -> Dict[str, Any]:
        """Read the instance (it must exist), save the choice, then make it ``current``."""
        instance_id = validate_choice_body(body)
        if self.source == "config":
            raise DevEnvError(
                INSTANCE_CONFIGURED,
                "The instance is set by c.DevEnv.instance_id (env "
                "JUPYTER_DEVENV_INSTANCE_ID), which wins over a choice: change or remove it "
                "there and restart Jupyter to choose here.",
                status=409,
                field="instance_id",
            )
        self.service.forget(instance_id)
        try:
            await self.service.state_of(instance_id)
        except DevEnvError as error:
            if backends.is_not_found(error):
                raise self._not_found(instance_id) from None
            raise
        self.store.save(instance_id)  # raises, with nothing changed, when the file cannot be written
        self.settings.instance_id, self.source = instance_id, "chosen"
        return self.config()

    def _not_found(self, instance_id: str) -> DevEnvError:
        backend = self.settings.backend
        asked = (
            "neither API generation knows it"
            if backend == "auto"
            else f"the {backend} API (c.DevEnv.backend) does not know it"
        )
        return DevEnvError(
            NO_SUCH_INSTANCE,
            f"No instance {instance_id} in this project: {asked}. Pick one "
            "from GET devenv/api/instances (`jupyter devenv list`).",
            status=404,
            field="instance_id",
        )
