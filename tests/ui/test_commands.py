"""The extension's commands: listed in the command palette, run from it, and the shortcut."""

from __future__ import annotations

import pytest
from pages import POPOVER, open_lab, open_notebook7, wait_counting, wait_kernel_ready, wait_until
from playwright.sync_api import expect

PALETTE_ITEM = ".lm-CommandPalette-item"
ALLOWED = {  # on a running instance of the current API (a lease, no on/off), reminders on
    "Show or hide the auto-stop controls",
    "Extend auto-stop by 1 h",
    "Extend auto-stop by 2 h",
    "Extend auto-stop by 4 h",
    "Extend auto-stop by 8 h",
    "Turn off auto-stop reminders",
    "Insert the auto-stop panel into the notebook",
    "Refresh the auto-stop countdown",
}


def search_palette(page, stack, text: str):
    """Open the command palette (Accel Shift C in both UIs) and filter it by ``text``."""
    wait_kernel_ready(page, stack)  # a notebook takes the focus as its kernel connects
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+C")
    search = page.locator(".lm-CommandPalette-input:focus")
    search.wait_for(timeout=10_000)
    page.keyboard.type(text)
    expect(search).to_have_value(text)
    return page.locator(f"{PALETTE_ITEM}:visible")


def labels(items) -> dict:
    """Palette label -> enabled, read at once (the palette redraws as the instance changes)."""
    pairs = items.evaluate_all(
        """items => items.map(item => [
            item.querySelector('.lm-CommandPalette-itemLabel').innerText,
            !item.classList.contains('lm-mod-disabled'),
        ])"""
    )
    return dict(pairs)


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_palette_lists_the_commands_and_runs_an_extend(page, shared_stack, ui):
    stack = shared_stack(backend="notebooks")
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    wait_counting(page)
    items = search_palette(page, stack, "auto-stop")

    def listed():
        found = labels(items)
        return found if ALLOWED <= {label for label, enabled in found.items() if enabled} else None

    shown = wait_until(listed)
    assert shown, f"the palette lists {sorted(labels(items))}"
    # What the instance allows: the notebooks API's lease extends, and has no on/off. The palette
    # lists what is not allowed greyed out, or leaves it out.
    not_allowed = {"Turn off auto-stop", "Turn on auto-stop", "Turn on auto-stop reminders"}
    assert not any(shown.get(label) for label in not_allowed), shown
    before = stack.stop_timestamp()
    items.filter(has_text="Extend auto-stop by 8 h").click()
    expected = stack.emulator_now() + 8 * 3600 * 1000
    wait_until(lambda: stack.stop_timestamp() != before, timeout=10)
    assert abs(stack.stop_timestamp() - expected) < 30_000
    expect(page.locator(".jp-Notification-Toast-success, .Toastify__toast")).to_contain_text(
        "Extended", timeout=10_000
    )


def test_shortcut_toggles_the_popover_with_the_emulated_badge(page, shared_stack):
    stack = shared_stack(backend="demanager")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    wait_kernel_ready(page, stack)
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("Alt+Shift+A")
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible(timeout=10_000)
    # Emulated however the emulator was started: from its answers, not from a setting.
    expect(popover.locator(".jp-DevEnv-badge")).to_have_text("emulated")
    expect(page.locator('[data-jp-item-name="devenv-countdown"] button')).to_have_attribute(
        "aria-expanded", "true"
    )
    # A click elsewhere closes it (the popover covers the notebook's middle: its left edge).
    page.locator(".jp-Notebook").first.click(position={"x": 20, "y": 300})
    expect(popover).to_have_count(0)
    page.keyboard.press("Alt+Shift+A")
    expect(popover).to_be_visible(timeout=10_000)
    page.keyboard.press("Alt+Shift+A")  # the same shortcut closes it
    expect(popover).to_have_count(0)
