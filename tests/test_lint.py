"""``make lint`` fails on a planted violation: ruff, as configured in pyproject.toml, refuses
unsorted imports, an unused name and unformatted code; the labextension's ``jlpm lint:check``
refuses unformatted TypeScript (prettier) and an eslint finding (the same commands the Makefile runs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = [sys.executable, "-m", "ruff"]
LABEXT = ROOT / "labextension"
# jlpm is JupyterLab's yarn, installed next to this interpreter.
JLPM_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


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


def lint_check(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["jlpm", "lint:check"], cwd=cwd, env=JLPM_ENV, capture_output=True, text=True)


@pytest.fixture
def labext_copy(tmp_path):
    """The labextension's lint configuration in a scratch directory, with its node_modules' packages
    but not their caches (a run here would prune the real eslint and prettier caches' entries)."""
    if not (LABEXT / "node_modules" / ".bin" / "eslint").exists():
        pytest.skip("labextension/node_modules not installed (make lint installs it)")
    for name in ("package.json", "eslint.config.mjs", ".prettierignore", ".yarnrc.yml", "yarn.lock"):
        shutil.copy(LABEXT / name, tmp_path / name)
    (tmp_path / "node_modules").mkdir()
    for entry in (LABEXT / "node_modules").iterdir():
        if entry.name != ".cache":
            (tmp_path / "node_modules" / entry.name).symlink_to(entry)
    (tmp_path / "src").mkdir()
    return tmp_path


def test_the_labextension_is_clean():
    if not (LABEXT / "node_modules" / ".bin" / "eslint").exists():
        pytest.skip("labextension/node_modules not installed (make lint installs it)")
    checked = lint_check(LABEXT)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_planted_prettier_violation_fails(labext_copy):
    (labext_copy / "src" / "planted.ts").write_text('export const x = { a: "1" , b:2 };\n')
    checked = lint_check(labext_copy)
    assert checked.returncode != 0
    assert "src/planted.ts" in checked.stdout + checked.stderr


def test_a_planted_eslint_violation_fails(labext_copy):
    # Formatted as prettier wants, so eslint is what refuses it: `==` (eqeqeq), `if` without braces (curly).
    planted = "export function f(a: number): number {\n  if (a == 1) return 0;\n  return a;\n}\n"
    (labext_copy / "src" / "planted.ts").write_text(planted)
    checked = lint_check(labext_copy)
    assert checked.returncode != 0
    assert "eqeqeq" in checked.stdout and "curly" in checked.stdout
