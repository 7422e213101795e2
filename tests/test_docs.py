"""The project carries its own documentation: generated pages are current, and nothing cites a
document the repository lacks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A Markdown document named in the text of a tracked file, with or without a folder.
CITED = re.compile(r"(?<![\w/.-])((?:\.\./|\./)?(?:[\w.-]+/)*[\w.-]+\.md)(?![\w/-])")


def tracked_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in names.splitlines():
        path = ROOT / name
        if path.suffix in (".py", ".ts", ".md", ".css", ".yaml", ".toml", ".mjs") and path.is_file():
            yield path


def test_generated_pages_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_configuration_page_lists_every_setting():
    from jupyter_devenv.config import DevEnv

    page = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in DevEnv.class_traits(config=True):
        assert f"| `{name}` |" in page, name


def test_no_file_cites_a_document_outside_the_repository():
    missing = []
    for path in tracked_files():
        if path == Path(__file__).resolve():
            continue  # it names what it looks for
        text = path.read_text(encoding="utf-8", errors="replace")
        if "../shared" in text:
            missing.append(f"{path.relative_to(ROOT)} cites ../shared")
        for cited in CITED.findall(text):
            if cited.startswith(("http", "www.")) or "{" in cited:
                continue
            if not any((base / cited).exists() for base in (path.parent, ROOT, ROOT / "docs")) and not list(
                ROOT.glob(f"**/{Path(cited).name}")
            ):
                missing.append(f"{path.relative_to(ROOT)} cites {cited}")
    assert not missing, missing
