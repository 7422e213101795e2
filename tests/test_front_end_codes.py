"""The front end acts on error codes by name (labextension/src/errors.ts): each must be one
the server or ModelArts really answers with, or a branch of the front end is dead."""

from __future__ import annotations

import re
from pathlib import Path

from jupyter_devenv.modelarts import codes

ERRORS_TS = Path(__file__).resolve().parents[1] / "labextension" / "src" / "errors.ts"
FRONT_END_ONLY = {"NETWORK", "BAD_RESPONSE"}  # made in the page: no answer, or not JSON


def front_end_codes() -> set:
    block = re.search(r"export const ErrorCode = \{(.*?)\} as const;", ERRORS_TS.read_text(), re.S)
    assert block, "ErrorCode is no longer an object literal in errors.ts"
    return set(re.findall(r":\s*'([^']+)'", block.group(1)))


def test_every_code_the_front_end_names_is_answered_by_the_server_or_modelarts():
    known = {value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}
    named = front_end_codes()
    assert len(named) > 10
    assert sorted(named - known - FRONT_END_ONLY) == []
