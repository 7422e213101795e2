"""A browser clock that is off still counts to the API's deadline; the Chinese UI."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pages import countdown, open_lab, open_notebook7, open_popover, remaining, wait_counting

SHIFT_DATE = """
(() => {
  const Real = Date;
  const shift = %d;
  class Shifted extends Real {
    constructor(...args) { if (args.length === 0) { super(Real.now() + shift); } else { super(...args); } }
    static now() { return Real.now() + shift; }
  }
  window.Date = Shifted;
})();
"""


@pytest.mark.parametrize("shift_hours", [1, -1])
def test_countdown_matches_emulator_with_browser_clock_off(page, make_stack, shift_hours):
    stack = make_stack(backend="notebooks", poll_interval=2)
    page.add_init_script(SHIFT_DATE % (shift_hours * 3600 * 1000))
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    page.wait_for_timeout(8000)  # a few answers to estimate the clock offset from
    assert abs(page.evaluate("() => Date.now()") - stack.emulator_now()) > 3500 * 1000
    for _ in range(3):
        lease = stack.raw_instance()["lease"]
        before = stack.emulator_now()
        shown = remaining(page)
        after = stack.emulator_now()
        truth = (lease["create_at"] + lease["duration"] - (before + after) / 2) / 1000
        # The label is floored: it stands for shown..shown+1 s.
        assert abs(shown + 0.5 - truth) <= 1.0, (shown, truth)
        page.wait_for_timeout(700)


def test_chinese_ui(page, make_stack, artifacts):
    stack = make_stack(backend="demanager", locale="zh_CN", stop_in=14 * 60)
    open_notebook7(page, stack, "a.ipynb")
    wait_counting(page)
    title = countdown(page).get_attribute("title")
    assert "自动停止倒计时" in title and "本地时间" in title, title
    reminder = page.locator(".Toastify__toast", has_text="将在")
    expect(reminder).to_have_count(1, timeout=10_000)
    expect(reminder).to_contain_text("分钟")
    popover = open_popover(page)
    expect(popover.locator("[data-action='turn-off']")).to_have_text("关闭自动停止")
    expect(popover).to_contain_text("下次启动")
    page.screenshot(path=str(artifacts / "chinese-notebook7.png"))
