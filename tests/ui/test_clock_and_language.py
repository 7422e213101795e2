"""A browser clock that is off still counts to the API's deadline; the Chinese UI and its table."""

from __future__ import annotations

import pytest
from pages import Reads, countdown, open_lab, open_notebook7, open_popover, remaining, wait_counting
from playwright.sync_api import expect

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
def test_countdown_matches_emulator_with_browser_clock_off(page, shared_stack, shift_hours):
    stack = shared_stack(backend="notebooks", poll_interval=2)
    page.add_init_script(SHIFT_DATE % (shift_hours * 3600 * 1000))
    reads = Reads(page)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    reads.wait_answered(0, 4)  # a few answers to estimate the clock offset from
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


def _locale_requests(page) -> list:
    """URLs of the page's requests for the extension's translation table, as they happen."""
    urls = []
    page.on(
        "request", lambda request: urls.append(request.url) if "/devenv/api/locale/" in request.url else None
    )
    return urls


def test_chinese_ui(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", locale="zh_CN", stop_in=14 * 60)
    fetched = _locale_requests(page)
    open_notebook7(page, stack, "a.ipynb")
    wait_counting(page)
    assert len(fetched) == 1 and fetched[0].endswith("/devenv/api/locale/zh-CN"), fetched  # once per page
    title = countdown(page).get_attribute("title")
    assert "自动停止倒计时" in title and "本地时间" in title, title
    reminder = page.locator(".Toastify__toast", has_text="将在")
    expect(reminder).to_have_count(1, timeout=10_000)
    expect(reminder).to_contain_text("分钟")
    popover = open_popover(page)
    expect(popover.locator("[data-action='turn-off']")).to_have_text("关闭自动停止")
    expect(popover).to_contain_text("下次启动")
    page.screenshot(path=str(artifacts / "chinese-notebook7.png"))


def test_english_page_does_not_load_the_table(page, shared_stack):
    stack = shared_stack(backend="demanager")
    fetched = _locale_requests(page)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    assert "Auto-stop countdown" in countdown(page).get_attribute("title")
    assert fetched == []


def test_chinese_page_stays_english_when_the_table_fails(page, shared_stack):
    stack = shared_stack(backend="demanager", locale="zh_CN")
    page.route("**/devenv/api/locale/**", lambda route: route.fulfill(status=500, body="{}"))
    warnings = []
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    open_notebook7(page, stack, "a.ipynb")
    wait_counting(page)
    assert "Auto-stop countdown" in countdown(page).get_attribute("title")
    assert any("no Chinese translations" in text for text in warnings), warnings
