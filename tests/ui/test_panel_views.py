"""The panel's views between themselves: the header's badge, the reminder times beside "Remind
me", a description draft that a poll leaves alone and Revert brings back, a result line that
goes when what it said is no longer so, and the model's error with its code."""

from __future__ import annotations

import httpx
from pages import open_lab, wait_counting
from playwright.sync_api import expect
from test_panel import show_panel


def put_description(stack, text: str) -> None:
    """Change the description elsewhere (through the REST API, not this page)."""
    r = httpx.put(
        f"{stack.url}/devenv/api/instances/current",
        headers=stack.auth,
        json={"description": text},
        timeout=10,
    )
    assert r.status_code == 200, r.text


def test_panel_views_work_together(page, shared_stack, artifacts):
    # Polls far apart: the page reads the instance again on Refresh only.
    stack = shared_stack(backend="demanager", poll_interval=600)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    view = show_panel(page, stack)
    field = view.locator
    refresh = field("[data-action='refresh']")
    box = field("[data-field='description']")
    save = field("[data-action='save-description']")
    revert = field("[data-action='revert-description']")
    message = field("[data-field='message']")

    # Header and the auto-stop section.
    expect(field(".jp-DevEnv-badge")).to_have_text("emulated")
    expect(field("[data-field='prompt-hint']")).to_have_text("(at 15 min, 5 min, 1 min before)")

    # A draft stays while the API's description changes; Revert brings the API's back.
    expect(revert).to_be_hidden()
    box.fill("my draft")
    expect(revert).to_be_visible()
    expect(save).to_be_enabled()
    put_description(stack, "from elsewhere")
    refresh.click()
    page.wait_for_timeout(1000)
    expect(box).to_have_value("my draft")
    revert.click()
    expect(box).to_have_value("from elsewhere")
    expect(revert).to_be_hidden()
    expect(save).to_be_disabled()

    # "Description saved." goes when the description changes elsewhere (the box follows it)...
    box.fill("Week 13")
    save.click()
    expect(message).to_have_text("Description saved.", timeout=3000)
    put_description(stack, "changed again")
    refresh.click()
    expect(box).to_have_value("changed again", timeout=5000)
    expect(message).to_be_hidden()
    # ... and when the box is edited into something that cannot be saved.
    box.fill("Week 14")
    save.click()
    expect(message).to_have_text("Description saved.", timeout=3000)
    box.press_sequentially("<")
    expect(field("[data-field='description-rule']")).to_contain_text("Not allowed: <")
    expect(message).to_be_hidden()

    # A failed read shows in the panel with its code, and goes once ModelArts answers again.
    error = field("[data-field='error']")
    expect(error).to_be_hidden()
    stack.control.post("/faults", json={"error_rate": 1.0}).raise_for_status()
    try:
        refresh.click()
        expect(error).to_be_visible(timeout=30_000)
        expect(error).to_have_attribute("data-code", "ModelArts.6200")
        expect(error).to_contain_text("Error ModelArts.6200")
        view.screenshot(path=str(artifacts / "panel-views-error.png"))
    finally:
        stack.control.delete("/faults").raise_for_status()
    refresh.click()
    expect(error).to_be_hidden(timeout=15_000)
