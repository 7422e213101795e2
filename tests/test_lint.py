"""``make lint`` fails on a planted violation: ruff, as configured in pyproject.toml, refuses
unsorted imports, an unused name and unformatted code (the same commands the Makefile runs).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    config = ["--config", str(ROOT / "pyproject.toml")]
    return subprocess.run([*RUFF, *args[:1], *config, *args[1:]], cwd=cwd, capture_output=True, text=True)


def test_the_repository_is_clean():
    assert ruff("check", ".", cwd=ROOT).returncode == 0
    assert ruff("format", "--check", ".", cwd=ROOT).returncode == 0


def test_a_planted_violation_fails_both_checks(tmp_path):
    (tmp_path / "planted.py").write_text("import sys\nimport os\nx=( 1 ,2 )\n")
    checked = ruff("check", "planted.py", cwd=tmp_path)
    assert checked.returncode == 1
    assert "I001" in checked.stdout and "F401" in checked.stdout  # unsorted, and imported but unused
    assert ruff("format", "--check", "planted.py", cwd=tmp_path).returncode == 1
