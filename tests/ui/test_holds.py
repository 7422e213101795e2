"""Holds in the UI: a hold made through the REST API shows in the toolbar (a mark; the countdown
still shows the lease) and in the popover with its reason; Release ends it (the server then
answers 404 for it)."""

from __future__ import annotations

import re

import httpx
import pytest
from pages import ITEM, PANEL, countdown, open_lab, open_notebook7, open_popover, wait_counting
from playwright.sync_api import expect


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_hold_shows_and_is_released(page, shared_stack, artifacts, ui):
    stack = shared_stack(backend="notebooks", stop_in=2 * 3600, poll_interval=2)
    made = httpx.post(
        f"{stack.url}/devenv/api/holds",
        headers=stack.auth,
        json={"reason": "training run", "max_seconds": 3 * 3600},
    )
    assert made.status_code == 201, made.text
    hold = made.json()
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    wait_counting(page)
    mark = page.locator(f"{PANEL} {ITEM} .jp-DevEnv-held")
    expect(mark).to_have_text("held", timeout=20_000)
    assert mark.get_attribute("title") == "training run"
    # The countdown is still the lease's.
    expect(countdown(page).locator(".jp-DevEnv-countdown-label")).to_have_text(re.compile(r"^\d+:\d\d:\d\d$"))
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar").first.screenshot(
        path=str(artifacts / f"hold-toolbar-{ui}.png")
    )
    popover = open_popover(page)
    row = popover.locator(f"[data-hold='{hold['id']}']")
    expect(row).to_contain_text("training run")
    expect(row).to_contain_text("set by you")  # made through the REST API, not by a kernel
    expect(row).to_contain_text("left")
    popover.screenshot(path=str(artifacts / f"hold-popover-{ui}.png"))
    row.get_by_role("button", name="Release").click()
    expect(row).to_have_count(0, timeout=10_000)
    expect(mark).to_have_count(0)
    gone = httpx.delete(f"{stack.url}/devenv/api/holds/{hold['id']}", headers=stack.auth)
    assert gone.status_code == 404 and gone.json()["error_code"] == "DEVENV.HOLD_NOT_FOUND", gone.text
    assert httpx.get(f"{stack.url}/devenv/api/holds", headers=stack.auth).json()["holds"] == []
