"""The notebook panel (kernel side): ``AutoStopPanel``."""

from .panel import AutoStopPanel

__all__ = ["AutoStopPanel"]
