"""The CLI's ``DevEnv``: ``--DevEnv.<name>=<value>`` flags, then Jupyter's config files, then the environment.

The files are the ones the Jupyter server reads (``jupyter_config`` then ``jupyter_server_config``,
``.py`` then ``.json``, in each folder of ``jupyter_config_path()``, the first folder winning), so
``c.DevEnv.*`` set for the server extension serves the CLI too. Like Jupyter since jupyter_core
4.11.2 (GHSA-m678-f26j-3hrp), the current directory is not searched. Every problem is a
``DEVENV.BAD_CONFIG`` error that names the setting or the file, and never a secret value.
"""

from __future__ import annotations

import sys
import traceback
import warnings
from typing import List, Optional, Tuple

from jupyter_core.paths import jupyter_config_path
from traitlets import TraitError
from traitlets.config import Config
from traitlets.config.loader import ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

from .config import DevEnv, from_text
from .modelarts.codes import BAD_CONFIG
from .modelarts.errors import DevEnvError

CONFIG_FILES = ("jupyter_config", "jupyter_server_config")
FLAG_PREFIX = "--DevEnv."


def bad_config(message: str, field: Optional[str] = None) -> DevEnvError:
    return DevEnvError(BAD_CONFIG, message, status=400, field=field)


def split_flags(argv: List[str]) -> Tuple[List[str], List[str]]:
    """The ``--DevEnv.*`` flags, and the other arguments."""
    flags = [arg for arg in argv if arg.startswith(FLAG_PREFIX)]
    return flags, [arg for arg in argv if not arg.startswith(FLAG_PREFIX)]


def flag_config(flags: List[str]) -> Config:
    traits = DevEnv.class_traits(config=True)
    section = Config()
    for flag in flags:
        name, equals, raw = flag[len(FLAG_PREFIX) :].partition("=")
        if name not in traits:
            raise bad_config(
                f"{FLAG_PREFIX}{name} is not a setting; the settings are {', '.join(sorted(traits))}."
            )
        if not equals:
            raise bad_config(f"{flag} has no value: write {FLAG_PREFIX}{name}=<value>.", name)
        try:
            section[name] = from_text(traits[name], raw)
        except ValueError:  # only non-string settings fail here: the value is no secret
            raise bad_config(f"{flag} is not a valid {name}: {traits[name].help}", name) from None
    return Config({"DevEnv": section})


def _reason(error: Exception, filename: str) -> str:
    """Why a config file could not be read, without its contents (they may hold secrets)."""
    if isinstance(error, SyntaxError):
        return f"{error.msg} (line {error.lineno})"
    if isinstance(error, ValueError) and filename.endswith(".json"):
        return str(error)  # json's messages give the position, not the text
    frames = traceback.extract_tb(error.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == filename]
    return f"{type(error).__name__} at line {lines[-1]}" if lines else type(error).__name__


def file_config() -> Tuple[Config, List[str]]:
    """What Jupyter's config files set, and the files read."""
    config, read = Config(), []
    folders = list(reversed(jupyter_config_path()))  # the first folder has the highest priority
    for base in CONFIG_FILES:
        for folder in folders:
            for loader in (
                PyFileConfigLoader(f"{base}.py", path=folder),
                JSONFileConfigLoader(f"{base}.json", path=folder),
            ):
                try:
                    config.merge(loader.load_config())
                except ConfigFileNotFound:
                    continue
                except Exception as error:
                    raise bad_config(
                        f"The Jupyter config file {loader.full_filename} could not be read: "
                        f"{_reason(error, loader.full_filename)}. Fix it (or move it away) and "
                        "run the command again."
                    ) from None
                read.append(loader.full_filename)
    return config, read


def load_settings(flags: List[str]) -> DevEnv:
    """``DevEnv`` from ``flags`` over Jupyter's config files over the environment.

    traitlets' warnings (a ``c.DevEnv`` name that is no setting) are printed as one line each.
    """
    config, read = file_config()
    config.merge(flag_config(flags))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            settings = DevEnv(config=config)
    except TraitError as error:
        raise bad_config(
            f"{error} Fix it in the {FLAG_PREFIX}<name>= flag or the Jupyter config file that "
            f"sets it (read: {', '.join(read) or 'none'})."
        ) from None
    except ValueError as error:  # from an environment variable, which it names
        raise bad_config(f"{error} Fix or unset that environment variable.") from None
    for warning in caught:
        print(f"warning: {warning.message} It is ignored.", file=sys.stderr)
    return settings
