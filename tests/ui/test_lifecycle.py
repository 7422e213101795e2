"""Before and after the stop: dirty documents saved, a stopped instance or a gone server said plainly."""

from __future__ import annotations

import json
import re

from pages import (
    PANEL,
    countdown,
    open_lab,
    open_notebook7,
    visible_toasts,
    wait_counting,
    wait_kernel_ready,
    watch_toasts,
)
from playwright.sync_api import expect


def test_dirty_notebook_is_saved_before_the_stop(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", stop_in=240, poll_interval=2, save_before_stop=60)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    watch_toasts(page)
    editor = page.locator(f"{PANEL} .jp-Cell .cm-content").first
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type("  # edited before the stop")
    page.keyboard.press("Escape")

    def on_disk() -> str:
        return "".join(json.loads((stack.root / "a.ipynb").read_text())["cells"][0]["source"])

    assert "edited" not in on_disk()
    stack.advance_to_remaining(50)  # inside the 60 s lead
    expect(visible_toasts(page, "Saved 1 document")).to_have_count(1, timeout=10_000)
    assert "# edited before the stop" in on_disk()
    page.screenshot(path=str(artifacts / "saved-before-stop.png"))
    # Past the deadline the emulator stops the instance: the toolbar says so.
    stack.advance(60)  # past the deadline
    expect(countdown(page)).to_have_text("stopped", timeout=10_000)
    expect(visible_toasts(page, "has stopped")).to_have_count(1, timeout=5000)
    page.screenshot(path=str(artifacts / "stopped.png"))


def test_server_gone_is_said_plainly_notebook7(page, make_stack):
    stack = make_stack(backend="demanager", poll_interval=2)
    open_notebook7(page, stack, "a.ipynb")
    wait_counting(page)
    wait_kernel_ready(page, stack)  # the document is loaded: a kill mid-load is a load error, not our case
    stack.kill_server()
    expect(countdown(page)).to_have_text("unreachable", timeout=15_000)
    assert "does not answer" in countdown(page).get_attribute("title")


def test_server_gone_is_said_plainly_lab(page, make_stack):
    # A reminder is up first (14 min left). JupyterLab loads its toast code lazily, from
    # the server: only a page that has shown a toast can show one once the server is gone.
    stack = make_stack(backend="demanager", poll_interval=2, stop_in=14 * 60)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    expect(visible_toasts(page, "stops in")).to_have_count(1, timeout=10_000)
    wait_kernel_ready(page, stack)
    stack.kill_server()
    expect(countdown(page)).to_have_text("unreachable", timeout=15_000)
    expect(visible_toasts(page, "server is gone")).to_have_count(1, timeout=5000)
    # No frozen number anywhere in the toolbar.
    assert ":" not in countdown(page).inner_text()


def test_unconfigured_shows_what_is_missing(page, make_stack):
    # More than the instance is missing (only the instance missing: it is chosen in the page,
    # see test_setup.py).
    stack = make_stack(backend="demanager", configured=False, devenv={"project_id": ""})
    open_lab(page, stack, "a.ipynb")
    expect(countdown(page)).to_have_text("not configured", timeout=15_000)
    title = countdown(page).get_attribute("title")
    assert re.search(r"instance_id, project_id", title), title
    assert "restart Jupyter" in title
