"""The toolbar popover: controls that work at once, even while the kernel is busy."""

from __future__ import annotations

import time

import pytest
from pages import (
    PANEL,
    POPOVER,
    countdown,
    label,
    open_lab,
    open_notebook7,
    open_popover,
    remaining,
    run_in_new_cell,
    wait_counting,
)
from playwright.sync_api import expect


def start_busy_kernel(page, stack) -> None:
    run_in_new_cell(page, stack, "import time; time.sleep(120)")
    page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='busy']").first.wait_for(
        timeout=30_000
    )


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_turn_off_while_kernel_is_busy(page, shared_stack, artifacts, ui):
    stack = shared_stack(backend="demanager")
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    wait_counting(page)
    start_busy_kernel(page, stack)
    popover = open_popover(page)
    popover.screenshot(path=str(artifacts / f"popover-demanager-{ui}.png"))
    started = time.monotonic()
    popover.locator("[data-action='turn-off']").click()
    expect(countdown(page)).to_have_text("auto-stop off", timeout=2000)
    assert time.monotonic() - started < 2.5
    assert stack.raw_instance()["spec"]["auto_stop"]["enable"] is False
    # The kernel was busy all along.
    assert page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='busy']").count() == 1
    # And it can be turned on again, with a new deadline from the API.
    popover.locator("[data-field='duration']").select_option("7200")
    popover.locator("[data-action='turn-on']").click()
    expect(countdown(page)).to_have_text(__import__("re").compile(r"^\s*1:59:\d\d\s*$"), timeout=3000)
    assert stack.raw_instance()["spec"]["auto_stop"]["duration"] == 7200


def test_demanager_offers_no_extend(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    popover = open_popover(page)
    expect(popover.locator("[data-action='extend']")).to_be_hidden()  # built once, shown per API
    note = popover.locator("[data-note='no-extend']")
    expect(note).to_be_visible()
    assert "next start" in note.inner_text()
    expect(popover.locator("[data-action='turn-off']")).to_be_visible()
    expect(popover).to_contain_text("Emulated")
    # The instance comes from the server's configuration: it is said, not offered for change.
    expect(popover.locator("[data-note='fixed']")).to_have_text(
        "The instance is set in the server configuration."
    )
    expect(popover.locator("[data-action='change-instance']")).to_be_hidden()
    page.screenshot(path=str(artifacts / "popover-demanager-page.png"))
    # Escape closes it.
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_have_count(0)


def test_extend_on_notebooks_moves_deadline_while_kernel_is_busy(page, shared_stack, artifacts):
    stack = shared_stack(backend="notebooks")
    open_lab(page, stack, "a.ipynb")
    before = wait_counting(page)
    assert before <= 3600
    start_busy_kernel(page, stack)
    popover = open_popover(page)
    expect(popover.locator("[data-action='turn-off']")).to_be_hidden()
    expect(popover.locator("[data-note='lease']")).to_be_visible()
    popover.screenshot(path=str(artifacts / "popover-notebooks.png"))
    popover.locator("[data-field='extend']").select_option("7200")
    popover.locator("[data-action='extend']").click()
    expect(countdown(page)).to_have_text(
        __import__("re").compile(r"^\s*(1:59:\d\d|2:00:00)\s*$"), timeout=2000
    )
    lease = stack.raw_instance()["lease"]
    stop = lease["create_at"] + lease["duration"]
    assert abs(stop - (stack.emulator_now() + 7_200_000)) < 5000
    # The page shows the API's deadline.
    assert abs(remaining(page) - (stop - stack.emulator_now()) / 1000) <= 2


def test_remind_me_checkbox_sets_prompt(page, shared_stack):
    stack = shared_stack(backend="demanager")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    popover = open_popover(page)
    box = popover.locator("[data-field='prompt']")
    expect(box).to_be_checked()
    box.uncheck()
    page.wait_for_function("() => !document.querySelector('.jp-DevEnv-busy')")
    deadline = time.monotonic() + 5
    while stack.raw_instance()["spec"]["auto_stop"]["prompt"] is not False and time.monotonic() < deadline:
        time.sleep(0.2)
    assert stack.raw_instance()["spec"]["auto_stop"]["prompt"] is False
    expect(page.locator(POPOVER).locator("[data-field='prompt']")).not_to_be_checked()


def test_insert_panel_adds_and_runs_a_cell(page, shared_stack):
    stack = shared_stack(backend="demanager")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    popover = open_popover(page)
    popover.locator("[data-action='insert-panel']").click()
    cells = page.locator(f"{PANEL} .jp-CodeCell")
    expect(cells).to_have_count(2)
    expect(cells.nth(1).locator(".cm-content")).to_contain_text("AutoStopPanel()")
    # It was sent to the kernel: an execution count appears (whatever the panel shows).
    expect(cells.nth(1).locator(".jp-InputPrompt")).to_contain_text(
        __import__("re").compile(r"\[\d+\]"), timeout=30_000
    )
    assert label(page)
