"""Reminders: notifications at each threshold, once per deadline per page, with actions."""

from __future__ import annotations

import re

from pages import (
    ITEM,
    PANEL,
    countdown,
    open_lab,
    remaining,
    toasts_seen,
    visible_toasts,
    wait_counting,
    wait_until,
    watch_toasts,
)
from playwright.sync_api import expect

REMINDER = "stops in"


def test_reminder_pops_when_crossing_a_threshold_and_dont_remind_again(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    open_lab(page, stack, "a.ipynb")
    assert wait_counting(page) > 900
    watch_toasts(page)
    page.wait_for_timeout(1000)  # a reminder the first answer brought would be up by now
    assert toasts_seen(page, REMINDER) == []
    stack.advance_to_remaining(14 * 60 + 40)  # the 15 min threshold is crossed
    toast = visible_toasts(page, REMINDER)
    expect(toast).to_have_count(1, timeout=10_000)
    expect(toast).to_contain_text("15 min")
    expect(toast.get_by_role("button", name="Turn off auto-stop")).to_be_visible()
    # Extend is not offered on demanager.
    assert toast.get_by_role("button", name=re.compile("^Extend")).count() == 0
    # The toolbar looks different once a threshold has passed.
    assert "jp-DevEnv-level-1" in countdown(page).get_attribute("class")
    page.screenshot(path=str(artifacts / "reminder-lab.png"))
    toast.get_by_role("button", name="Don't remind again").click()
    assert wait_until(lambda: stack.raw_instance()["spec"]["auto_stop"]["prompt"] is False)
    # No more reminders for this deadline: 5 min threshold crossed, nothing pops.
    stack.advance_to_remaining(4 * 60 + 40)
    assert wait_until(lambda: (remaining(page) or 9999) < 300, timeout=10)
    page.wait_for_timeout(1000)  # the page is past 5 min: a reminder would be up by now
    assert len(toasts_seen(page, REMINDER)) == 1
    expect(visible_toasts(page, REMINDER)).to_have_count(0)


def test_one_reminder_per_threshold_with_two_notebooks_open(page, shared_stack):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    open_lab(page, stack, "a.ipynb")
    page.locator(".jp-DirListing-itemText", has_text="b.ipynb").dblclick()
    expect(page.locator(".jp-NotebookPanel")).to_have_count(2, timeout=30_000)
    expect(page.locator(f".jp-NotebookPanel {ITEM}")).to_have_count(2)
    wait_counting(page)
    watch_toasts(page)
    stack.advance_to_remaining(14 * 60 + 40)
    expect(visible_toasts(page, REMINDER)).to_have_count(1, timeout=10_000)
    page.wait_for_timeout(1000)  # a second one, shown on the same tick, would be up by now
    assert len(toasts_seen(page, REMINDER)) == 1
    stack.advance_to_remaining(4 * 60 + 40)  # the 5 min threshold
    wait_until(lambda: len(toasts_seen(page, REMINDER)) >= 2, timeout=10)
    page.wait_for_timeout(1000)  # and a third one by now
    seen = toasts_seen(page, REMINDER)
    assert len(seen) == 2, seen
    assert "5 min" in seen[1]
    # The 15 min one was replaced, not stacked.
    expect(visible_toasts(page, REMINDER)).to_have_count(1)
    # Both toolbars agree.
    labels = page.locator(f".jp-NotebookPanel {ITEM} .jp-DevEnv-countdown").all()
    assert len({label.get_attribute("class") for label in labels}) == 1


def test_reminder_extend_on_notebooks(page, shared_stack, artifacts):
    stack = shared_stack(backend="notebooks", stop_in=17 * 60, poll_interval=2)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    stack.advance_to_remaining(14 * 60 + 40)
    toast = visible_toasts(page, REMINDER)
    expect(toast).to_have_count(1, timeout=10_000)
    # No on/off on the lease API: Extend and Don't remind again.
    assert toast.get_by_role("button", name="Turn off auto-stop").count() == 0
    page.screenshot(path=str(artifacts / "reminder-notebooks.png"))
    toast.get_by_role("button", name=re.compile("^Extend")).click()
    expect(countdown(page)).to_have_text(re.compile(r"^\s*(0:59:\d\d|1:00:00)\s*$"), timeout=5000)
    lease = stack.raw_instance()["lease"]
    assert abs(lease["create_at"] + lease["duration"] - (stack.emulator_now() + 3_600_000)) < 5000


def test_no_reminder_when_prompt_is_false(page, shared_stack):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    import httpx

    httpx.put(
        f"{stack.url}/devenv/api/instances/current",
        headers=stack.auth,
        json={"spec": {"auto_stop": {"prompt": False}}},
    ).raise_for_status()
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    watch_toasts(page)
    stack.advance_to_remaining(14 * 60 + 40)
    assert wait_until(lambda: (remaining(page) or 9999) < 900, timeout=10)
    page.wait_for_timeout(1500)  # the page is past 15 min: a reminder would be up by now
    assert toasts_seen(page, REMINDER) == []
    # The countdown stays visible.
    expect(page.locator(f"{PANEL} {ITEM}")).to_be_visible()


def test_one_reminder_across_notebook7_tabs(page, context, shared_stack):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    from pages import open_notebook7

    other = context.new_page()
    open_notebook7(page, stack, "a.ipynb")
    open_notebook7(other, stack, "b.ipynb")
    wait_counting(page)
    wait_counting(other)
    watch_toasts(page)
    watch_toasts(other)
    stack.advance_to_remaining(14 * 60 + 40)
    wait_until(lambda: toasts_seen(page, REMINDER) or toasts_seen(other, REMINDER), timeout=10)
    # Both tabs have read the new deadline (each at its own poll): a second reminder would be up
    # a moment later.
    assert wait_until(lambda: all((remaining(p) or 9999) < 900 for p in (page, other)), timeout=10)
    page.wait_for_timeout(1000)
    assert len(toasts_seen(page, REMINDER)) + len(toasts_seen(other, REMINDER)) == 1
    # Both tabs count down to the same deadline.
    assert abs(remaining(page) - remaining(other)) <= 1
