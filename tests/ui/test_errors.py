"""Upstream failures: the toolbar says what failed and recovers; a failed action says why."""

from __future__ import annotations

import re

from pages import countdown, open_lab, open_popover, visible_toasts, wait_counting
from playwright.sync_api import expect


def test_upstream_errors_show_code_and_recover(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", poll_interval=2)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    popover = open_popover(page)
    stack.control.post("/faults", json={"error_rate": 1.0}).raise_for_status()
    # An action that fails says why, with the code, and what to do next.
    popover.locator("[data-action='turn-off']").click()
    toast = visible_toasts(page, "Could not change auto-stop")
    expect(toast).to_have_count(1, timeout=20_000)
    expect(toast).to_contain_text("ModelArts.6200")
    expect(toast).to_contain_text("Try again later")
    assert stack.raw_instance()["spec"]["auto_stop"]["enable"] is True
    # The polled read fails too: the countdown goes on to the last stop time the API gave,
    # marked as not confirmed, with the reason in the tooltip.
    item = countdown(page)
    expect(item).to_have_class(re.compile("jp-DevEnv-unconfirmed"), timeout=30_000)
    expect(item).to_have_text(re.compile(r"^\s*0:5\d:\d\d\s*$"))
    title = item.get_attribute("title")
    assert "ModelArts.6200" in title and "Not confirmed for" in title, title
    page.screenshot(path=str(artifacts / "error-lab.png"))
    stack.control.delete("/faults").raise_for_status()
    # Reads are retried every few seconds: confirmed again soon after ModelArts answers.
    expect(item).not_to_have_class(re.compile("jp-DevEnv-unconfirmed"), timeout=10_000)
    expect(item).to_have_text(re.compile(r"^\s*0:5\d:\d\d\s*$"))
