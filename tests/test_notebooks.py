"""The shipped notebooks run top to bottom in a kernel of a server wired to the emulator."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
async def test_notebook_runs(run_in_kernel, upstream, instance_id, backend, path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            await run_in_kernel(cell.source)
    auto = (
        upstream.instance(instance_id).get("spec", {}).get("auto_stop")
        or upstream.instance(instance_id)["lease"]
    )
    assert auto["enable"] is True  # every notebook leaves auto-stop on
