"""The toolbar countdown: visible, ticking locally, no request and no comm message per tick."""

from __future__ import annotations

import pytest
from pages import (
    PANEL,
    Traffic,
    countdown,
    label,
    open_lab,
    open_notebook7,
    open_popover,
    page_until,
    remaining,
    wait_counting,
    wait_kernel_idle,
)
from playwright.sync_api import expect


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_countdown_ticks_without_requests(page, shared_stack, artifacts, ui):
    stack = shared_stack(backend="demanager", poll_interval=30)
    traffic = Traffic(page)
    # The page's clock is Playwright's: it flows, and the test runs it 10 s on at once.
    page.clock.install()
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    first = wait_counting(page)
    # The deadline the API gives, ~1 h away.
    assert 3500 < first <= 3600
    # Let the kernel and the widget manager finish their start-up handshake first.
    wait_kernel_idle(page)
    traffic.settle(page)
    first = remaining(page)
    traffic.api.clear()
    traffic.comm.clear()
    seen = []
    for _ in range(10):  # 10 s of the page's time, every timer due in them fired
        page.clock.run_for(1000)
        seen.append(remaining(page))
    page.wait_for_timeout(500)  # what those timers sent is reported
    values = sorted(set(v for v in seen if v is not None), reverse=True)
    # It decreases about once a second, by itself.
    assert 8 <= first - values[-1] <= 12, values
    assert len(values) >= 8, values
    # A poll every 30 s at most; nothing per tick, and never a kernel message.
    assert len(traffic.api) <= 1, traffic.api
    print("COMM", traffic.comm)
    assert traffic.comm == []
    title = countdown(page).get_attribute("title")
    assert "local time" in title and "Emulated" in title
    countdown(page).screenshot(path=str(artifacts / f"toolbar-{ui}.png"))
    page.screenshot(path=str(artifacts / f"page-{ui}.png"))
    assert label(page)


HIDEABLE = """
(() => {
  window.__hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => window.__hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', {
    configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible')
  });
})();
"""


def test_no_polling_while_the_page_is_hidden(page, shared_stack):
    stack = shared_stack(backend="demanager", poll_interval=2)
    page.add_init_script(HIDEABLE)
    traffic = Traffic(page)
    page.clock.install()  # it flows; while hidden, the test runs it on at once
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)

    def reads() -> int:
        return sum("instances/current" in r for r in traffic.api)

    # It polls every 2 s while visible: the read at load, then another.
    assert page_until(page, lambda: reads() >= 2), traffic.api
    page.evaluate("() => { window.__hidden = true; document.dispatchEvent(new Event('visibilitychange')); }")
    page.wait_for_timeout(1000)  # a read already under way ends
    traffic.api.clear()
    for _ in range(6):  # 6 s of the page's time (three poll intervals), every timer due in them fired
        page.clock.run_for(1000)
    page.wait_for_timeout(500)  # what those timers sent is reported
    assert traffic.api == []
    page.evaluate("() => { window.__hidden = false; document.dispatchEvent(new Event('visibilitychange')); }")
    # Back in sight: read at once.
    assert page_until(page, reads, timeout=1), traffic.api


def test_settings_override_the_server_thresholds(page, shared_stack):
    stack = shared_stack(
        backend="demanager",
        stop_in=22 * 60,
        poll_interval=2,
        lab_settings={"jupyter-devenv/plugin": {"reminderThresholds": [1200, 120]}},
    )
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    stack.advance_to_remaining(19 * 60 + 40)
    toast = page.locator(".Toastify__toast", has_text="stops in")
    expect(toast).to_have_count(1, timeout=10_000)
    expect(toast).to_contain_text("20 min")


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_threshold_looks_in_light_and_dark_themes(page, shared_stack, artifacts, theme):
    stack = shared_stack(
        backend="demanager",
        stop_in=4 * 60,
        poll_interval=30,
        lab_settings={"@jupyterlab/apputils-extension/themes": {"theme": theme}},
    )
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    item = countdown(page)
    assert "jp-DevEnv-level-2" in item.get_attribute("class")
    colors = item.evaluate("el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; }")
    assert colors[0] != colors[1]
    name = theme.split()[-1].lower()
    page.wait_for_timeout(500)
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar").first.screenshot(
        path=str(artifacts / f"toolbar-level2-{name}.png")
    )
    popover = open_popover(page)
    popover.screenshot(path=str(artifacts / f"popover-{name}.png"))
