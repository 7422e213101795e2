"""Protection when nobody is looking: a reminder reaches a hidden tab as a browser notification,
the tab title carries the time left in the last 15 minutes, and nothing is shown twice.

Headless Chromium never hides a background page by itself, so the tests hide it the way a
browser does: an init script makes ``document.visibilityState``/``document.hidden`` read a flag,
and the test flips it and dispatches ``visibilitychange``. ``window.Notification`` is replaced by
a recorder (permission granted, or not yet asked). Time is driven as in test_truth: the page's
clock (Playwright's) and the emulator's jump together, so the hidden page, which does not read
the instance, reaches the threshold on its own clock.
"""

from __future__ import annotations

import re

from pages import (
    POPOVER,
    Reads,
    countdown,
    open_lab,
    open_popover,
    toasts_seen,
    visible_toasts,
    wait_counting,
    wait_until,
    watch_toasts,
)
from playwright.sync_api import expect

REMINDER = "stops in"

FAKES = """
(() => {
  window.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible')
  });
  window.__notes = [];
  window.__asked = 0;
  class Recorder {
    constructor(title, options) { this.title = title; this.body = options && options.body; window.__notes.push(this); }
    close() { this.closed = true; }
    static requestPermission() { window.__asked++; Recorder.permission = 'granted'; return Promise.resolve('granted'); }
  }
  Recorder.permission = '%s';
  window.Notification = Recorder;
})();
"""


def set_hidden(page, hidden: bool) -> None:
    page.evaluate(
        f"() => {{ window.__hidden = {'true' if hidden else 'false'}; "
        "document.dispatchEvent(new Event('visibilitychange')); }"
    )


def notes(page):
    return page.evaluate("() => window.__notes.map(n => [n.title, n.body])")


def test_hidden_tab_gets_a_browser_notification_and_the_time_in_its_title(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    page.add_init_script(FAKES % "granted")
    reads = Reads(page)
    page.clock.install()
    open_lab(page, stack, "a.ipynb")
    left = wait_counting(page)
    base = page.title()
    assert not re.match(r"^\d+:\d\d:\d\d · ", base), base  # more than 15 min left: the title alone
    watch_toasts(page)
    set_hidden(page, True)
    page.wait_for_timeout(500)
    # 15 min threshold crossed while hidden: page and emulator clocks jump together.
    jump = left - (14 * 60 + 50)
    stack.advance(jump)
    page.clock.fast_forward(jump * 1000)
    assert wait_until(lambda: notes(page), timeout=8), "no browser notification"
    [(title, body)] = notes(page)
    assert title == "Auto-stop countdown"
    assert re.search(r"The instance .+ stops in 15 min \(at .+\)\.", body), body
    assert wait_until(lambda: re.match(r"^0:14:\d\d · ", page.title()), timeout=3), page.title()
    assert page.title().endswith(base)
    # Back on the page: the one toast is there, no second one, no second notification.
    since = reads.mark()
    set_hidden(page, False)
    reads.wait_answered(since)  # read at once on being shown
    page.wait_for_timeout(1000)  # a second reminder would be up by now
    assert len(toasts_seen(page, REMINDER)) == 1, toasts_seen(page, REMINDER)
    assert len(notes(page)) == 1
    page.screenshot(path=str(artifacts / "background-reminder-title.png"))
    # A click on the notification focuses the tab and opens the popover.
    page.evaluate("() => window.__notes[0].onclick()")
    expect(page.locator(POPOVER)).to_be_visible(timeout=5000)
    page.keyboard.press("Escape")
    # Auto-stop off: the title is the page's own again.
    visible_toasts(page, REMINDER).get_by_role("button", name="Turn off auto-stop").click()
    expect(countdown(page)).to_have_text("auto-stop off", timeout=10_000)
    assert wait_until(lambda: page.title() == base, timeout=5), page.title()


def test_permission_is_asked_from_a_click_never_on_load(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", stop_in=17 * 60, poll_interval=2)
    page.add_init_script(FAKES % "default")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.__asked") == 0  # never on load
    # The first reminder offers it.
    stack.advance_to_remaining(14 * 60 + 40)
    toast = visible_toasts(page, REMINDER)
    expect(toast).to_have_count(1, timeout=10_000)
    page.screenshot(path=str(artifacts / "reminder-asks-permission.png"))
    toast.get_by_role("button", name="Enable browser notifications").click()
    assert wait_until(lambda: page.evaluate("() => window.__asked") == 1, timeout=5)
    # Granted: the popover no longer offers it (before, it did: the next test).
    popover = open_popover(page)
    expect(popover.locator("[data-action='notify']")).to_be_hidden()


def test_popover_offers_browser_notifications_and_title_can_be_turned_off(page, shared_stack, artifacts):
    stack = shared_stack(
        backend="demanager",
        stop_in=10 * 60,
        poll_interval=2,
        lab_settings={"jupyter-devenv/plugin": {"titleCountdown": False}},
    )
    page.add_init_script(FAKES % "default")
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    page.wait_for_timeout(1500)
    assert not re.match(r"^\d+:\d\d:\d\d · ", page.title()), page.title()  # turned off in the settings
    popover = open_popover(page)
    ask = popover.locator("[data-action='notify']")
    expect(ask).to_be_visible()
    popover.screenshot(path=str(artifacts / "popover-notifications.png"))
    ask.click()
    assert wait_until(lambda: page.evaluate("() => window.__asked") == 1, timeout=5)
    expect(ask).to_be_hidden()
