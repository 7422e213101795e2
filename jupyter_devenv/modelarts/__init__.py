"""The cloud side: models, validation, signing, authentication, the client. No Jupyter imports."""

from .errors import DevEnvError
from .state import build_state

__all__ = ["DevEnvError", "build_state"]
