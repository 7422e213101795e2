"""Truth under every condition: a stop when idle is no countdown, an extend that would end the
lease sooner asks first, and the deadline survives ModelArts not answering."""

from __future__ import annotations

import json
import re

import pytest
from pages import (
    PANEL,
    POPOVER,
    Reads,
    countdown,
    label,
    open_lab,
    open_notebook7,
    open_popover,
    remaining,
    toasts_seen,
    visible_toasts,
    wait_counting,
    wait_until,
    watch_toasts,
)
from playwright.sync_api import expect

REMINDER = "stops in"
IDLE_RULE = "CPU ≤ 5 %, GPU and NPU ≤ 1 %, network receive ≤ 1.6 kbit/s"


def writes_received(stack) -> dict:
    """What the emulator received besides reads (a renewal, an update...)."""
    return {k: n for k, n in stack.requests_received().items() if not k.startswith("GET ")}


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_idle_lease_shows_no_countdown_and_no_reminder(page, shared_stack, artifacts, ui):
    stack = shared_stack(backend="notebooks", seed="notebooks_idle", poll_interval=2)
    reads = Reads(page)
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    expect(countdown(page)).to_have_text("stops when idle", timeout=30_000)
    watch_toasts(page)
    title = countdown(page).get_attribute("title")
    assert IDLE_RULE in title, title
    popover = open_popover(page)
    expect(popover).to_contain_text(IDLE_RULE)
    expect(popover).to_contain_text("ModelArts notebook (current API)")
    # Nothing to count down, extend or remind of.
    assert not re.search(r"\d+:\d\d:\d\d", popover.inner_text())
    expect(popover.locator("[data-action='extend']")).to_be_hidden()
    expect(popover.locator("[data-row='prompt']")).to_be_hidden()
    expect(popover.locator("[data-note='lease']")).to_be_hidden()
    popover.screenshot(path=str(artifacts / f"idle-popover-{ui}.png"))
    page.keyboard.press("Escape")
    # The clock passes create_at + duration: an IDLE lease does not stop by time.
    lease = stack.raw_instance()["lease"]
    assert lease["type"] == "IDLE"
    since = reads.mark()
    stack.advance((lease["create_at"] + lease["duration"] - stack.emulator_now()) / 1000 + 120)
    reads.wait_answered(since, 2)  # two polls at least
    page.wait_for_timeout(500)  # a reminder the last one brought would be up by now
    assert label(page) == "stops when idle"
    assert stack.raw_instance()["status"] == "RUNNING"
    assert toasts_seen(page, REMINDER) == []
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar").first.screenshot(
        path=str(artifacts / f"idle-toolbar-{ui}.png")
    )


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_extend_that_ends_sooner_asks_first(page, shared_stack, artifacts, ui):
    stack = shared_stack(backend="notebooks", stop_in=20 * 3600, poll_interval=30)
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    assert wait_counting(page) > 19 * 3600
    before = stack.stop_timestamp()
    popover = open_popover(page)
    select = popover.locator("[data-field='extend']")
    # By default the shortest choice that does not end the lease sooner; each says when it ends.
    assert select.input_value() == str(24 * 3600)
    one_hour = select.locator("option[value='3600']")
    assert one_hour.get_attribute("data-earlier") is not None
    assert re.search(r"^1 h \(until .*\d\d:\d\d.*, sooner\)$", one_hour.inner_text()), one_hour.inner_text()
    day = select.locator(f"option[value='{24 * 3600}']")
    assert day.get_attribute("data-earlier") is None and "sooner" not in day.inner_text()
    stack.control.delete("/stats").raise_for_status()
    select.select_option("3600")
    popover.locator("[data-action='extend']").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=5000)
    expect(dialog).to_contain_text("Stop sooner?")
    expect(dialog).to_contain_text("before its current stop time")
    page.screenshot(path=str(artifacts / f"extend-sooner-dialog-{ui}.png"))
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    page.wait_for_timeout(1500)
    # Declined: nothing was sent upstream, the deadline is the same.
    assert writes_received(stack) == {}, stack.requests_received()
    assert stack.stop_timestamp() == before
    assert remaining(page) > 19 * 3600
    if ui == "notebook7":
        return
    # Confirmed: sent with allow_earlier, and the lease now ends in an hour.
    popover = page.locator(POPOVER) if page.locator(POPOVER).count() else open_popover(page)
    popover.locator("[data-field='extend']").select_option("3600")
    popover.locator("[data-action='extend']").click()
    page.locator(".jp-Dialog").get_by_role("button", name="Stop sooner").click()
    expect(countdown(page)).to_have_text(re.compile(r"^\s*(0:59:\d\d|1:00:00)\s*$"), timeout=5000)
    assert abs(stack.stop_timestamp() - (stack.emulator_now() + 3_600_000)) < 5000
    assert any(k.startswith("PATCH ") and k.endswith("/lease") for k in writes_received(stack)), (
        stack.requests_received()
    )


def test_deadline_survives_modelarts_not_answering(page, shared_stack, artifacts):
    # The page's clock is Playwright's: it flows, and jumps forward with the emulator's while
    # ModelArts is down, so minutes pass in seconds.
    stack = shared_stack(backend="demanager", stop_in=4 * 60, poll_interval=2, save_before_stop=60)
    page.clock.install()
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    stack.advance_to_remaining(180)
    assert wait_until(lambda: (remaining(page) or 9999) <= 180, timeout=10)
    watch_toasts(page)
    # A notebook with unsaved changes.
    page.locator(f"{PANEL} .jp-Cell .cm-content").first.click()
    page.keyboard.press("End")
    page.keyboard.type("  # edited while ModelArts was down")
    page.keyboard.press("Escape")

    def on_disk() -> str:
        return "".join(json.loads((stack.root / "a.ipynb").read_text())["cells"][0]["source"])

    assert "ModelArts was down" not in on_disk()

    stack.emulator_down()
    item = countdown(page)
    expect(item).to_have_class(re.compile("jp-DevEnv-unconfirmed"), timeout=15_000)
    # Still counting down to the last stop time the API gave, marked as not confirmed.
    left = remaining(page)
    assert left is not None and 150 < left <= 180, label(page)
    assert "Not confirmed for" in item.get_attribute("title")
    popover = open_popover(page)
    expect(popover).to_contain_text("Not confirmed for")
    expect(popover.locator("[data-action='retry']")).to_be_visible()
    popover.screenshot(path=str(artifacts / "unconfirmed-popover.png"))
    page.keyboard.press("Escape")

    # Two minutes later (page and emulator clocks alike): just over a minute left, no 1 min reminder yet.
    jump = left - 66
    stack.advance_offline(jump)
    page.clock.fast_forward(jump * 1000)
    assert wait_until(lambda: 60 < (remaining(page) or 0) <= 66, timeout=5), label(page)
    page.wait_for_timeout(1000)
    seen = toasts_seen(page, REMINDER)
    assert len(seen) <= 1 and not any(re.search(r"stops in \d+ s ", t) for t in seen), (
        seen
    )  # the 5 min one at most
    # Ten seconds more: the 1 min reminder appears on time, and the notebook is saved before the stop.
    stack.advance_offline(10)
    page.clock.fast_forward(10_000)
    expect(visible_toasts(page, REMINDER).filter(has_text=re.compile(r"stops in 5\d s "))).to_have_count(
        1, timeout=5000
    )
    expect(visible_toasts(page, "Saved 1 document")).to_have_count(1, timeout=10_000)
    assert "ModelArts was down" in on_disk()
    expect(item).to_have_class(re.compile("jp-DevEnv-unconfirmed"))
    assert re.search(r"Not confirmed for \d+ min", item.get_attribute("title")), item.get_attribute("title")
    page.screenshot(path=str(artifacts / "unconfirmed-reminder-lab.png"))

    # Past the stop: the page says it is due, still unconfirmed; then ModelArts answers again.
    stack.advance_offline(70)
    page.clock.fast_forward(70_000)
    expect(item).to_have_text("stopping…", timeout=5000)
    stack.emulator_up()
    expect(item).to_have_text("stopped", timeout=10_000)
    expect(item).not_to_have_class(re.compile("jp-DevEnv-unconfirmed"))
    assert "Not confirmed" not in item.get_attribute("title")
