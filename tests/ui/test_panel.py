"""AutoStopPanel's view in a notebook cell: renders from the page's countdown, acts through the
REST API while the kernel is busy, checks the description as it is typed, keeps the kernel
side's traits in step, and looks right in the light and dark themes."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from pages import (
    ITEM,
    PANEL,
    countdown,
    open_lab,
    open_notebook7,
    remaining,
    run_in_new_cell,
    wait_counting,
    wait_until,
)
from playwright.sync_api import Page, expect

VIEW = ".jp-DevEnv-panel"
PANEL_CODE = "from jupyter_devenv import AutoStopPanel; AutoStopPanel()"
DARK = {"@jupyterlab/apputils-extension/themes": {"theme": "JupyterLab Dark"}}
BUSY = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='busy']"


def wait_kernel_listed(stack, timeout: float = 60.0) -> None:
    """Wait until GET /api/kernels lists a kernel. While one is starting, jupyter_server can
    answer 500 (its ``last_activity`` is not set yet): ask again rather than fail."""

    def listed():
        r = httpx.get(f"{stack.url}/api/kernels", headers=stack.auth, timeout=5)
        return r.status_code == 200 and isinstance(r.json(), list) and len(r.json()) > 0

    assert wait_until(listed, timeout, 0.25), "no kernel was started"


def show_panel(page: Page, stack):
    """Run the panel cell (the first cell); the rendered view."""
    wait_kernel_listed(stack)
    run_in_new_cell(page, stack, PANEL_CODE)
    view = page.locator(f"{PANEL} {VIEW}")
    expect(view).to_be_visible(timeout=30_000)
    expect(view.locator("[data-field='name']")).not_to_be_empty()
    return view


def run_cell(page: Page, index: int, code: str) -> None:
    """Type ``code`` into cell ``index`` (created by the runs before it) and run it."""
    editor = page.locator(f"{PANEL} .jp-Cell").nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")


def start_busy_kernel(page: Page) -> None:
    page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=30_000
    )
    run_cell(page, 1, "import time; time.sleep(120)")
    page.locator(BUSY).first.wait_for(timeout=30_000)


def interrupt_kernel(page: Page, stack) -> None:
    (kernel,) = httpx.get(f"{stack.url}/api/kernels", headers=stack.auth, timeout=5).json()
    httpx.post(f"{stack.url}/api/kernels/{kernel['id']}/interrupt", headers=stack.auth, timeout=5)
    page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=30_000
    )


def both_countdowns(page: Page):
    """The toolbar's and the panel's countdown text, read in one go."""
    return page.evaluate(
        """([item, view]) => [document.querySelector(item)?.textContent.trim(),
                              document.querySelector(view)?.textContent.trim()]""",
        [f"{PANEL} {ITEM} .jp-DevEnv-countdown-label", f"{PANEL} {VIEW} [data-field='countdown']"],
    )


def assert_same_second(page: Page, samples: int = 8) -> None:
    """Toolbar and panel read the same, ``samples`` times at least, until the second changed."""
    seen = set()
    taken = 0
    deadline = time.monotonic() + 10
    while taken < samples or (len(seen) < 2 and time.monotonic() < deadline):
        toolbar, panel = both_countdowns(page)
        assert toolbar == panel, (toolbar, panel)
        seen.add(panel)
        taken += 1
        page.wait_for_timeout(150)
    assert len(seen) >= 2, seen  # it ticked meanwhile


def puts_received(stack) -> int:
    requests = stack.control.get("/stats").json()["requests"]
    return sum(n for key, n in requests.items() if key.startswith("PUT "))


def emulator_remaining(stack) -> float:
    inst = stack.raw_instance()
    if stack.backend == "notebooks":
        lease = inst["lease"]
        stop = lease["create_at"] + lease["duration"]
    else:
        stop = inst["spec"]["auto_stop"]["stop_timestamp"]
    return (stop - stack.emulator_now()) / 1000


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_panel_demanager_with_busy_kernel(page, shared_stack, artifacts, ui):
    # Polls far apart: what the page shows after each step comes from the step itself.
    stack = shared_stack(backend="demanager", poll_interval=600)
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    wait_counting(page)
    view = show_panel(page, stack)

    # Instance, status, flavor; the countdown shows the toolbar's second, with a bar.
    raw = stack.raw_instance()
    expect(view.locator("[data-field='name']")).to_have_text(raw["name"])
    expect(view.locator("[data-field='status']")).to_have_text("running")
    expect(view.locator("[data-field='flavor']")).to_have_text(raw["flavor"])
    expect(view.locator("[data-field='backend']")).to_have_text("ModelArts notebook (older API)")
    # On the older API the duration may be the next start's: the length of a run this page did
    # not see begin is unknown, so no "elapsed of total" is claimed.
    expect(view.locator("[data-field='bar']")).to_be_hidden()
    expect(view.locator("[data-note='no-extend']")).to_contain_text("next start")
    assert view.locator("[data-action='extend']").is_hidden()
    assert_same_second(page)
    view.screenshot(path=str(artifacts / f"panel-demanager-{ui}-light.png"))

    start_busy_kernel(page)

    # Turn off: toolbar, panel and emulator agree at once.
    view.locator("[data-action='turn-off']").click()
    expect(countdown(page)).to_have_text("auto-stop off", timeout=2000)
    expect(view.locator("[data-field='countdown']")).to_have_text("auto-stop off")
    assert stack.raw_instance()["spec"]["auto_stop"]["enable"] is False
    expect(view.locator("[data-note='turn-on']")).to_be_visible()
    view.screenshot(path=str(artifacts / f"panel-demanager-{ui}-off.png"))

    # Turn on with 2 h: the deadline is the API's, the same in toolbar, panel and emulator.
    view.locator("[data-field='duration']").select_option("7200")
    view.locator("[data-action='turn-on']").click()
    expect(countdown(page)).to_have_text(re.compile(r"^\s*(1:59:\d\d|2:00:00)\s*$"), timeout=2000)
    auto = stack.raw_instance()["spec"]["auto_stop"]
    assert auto["enable"] is True and auto["duration"] == 7200
    assert abs(remaining(page) - emulator_remaining(stack)) <= 2
    assert_same_second(page, samples=6)
    # A run this page saw begin: its length is known, and the bar shows it.
    expect(view.locator("[data-field='bar']")).to_be_visible()
    expect(view.locator("[data-field='elapsed']")).to_contain_text("of 2 h elapsed")

    # Remind me off.
    view.locator("[data-field='prompt']").uncheck()
    assert wait_until(lambda: stack.raw_instance()["spec"]["auto_stop"]["prompt"] is False, 5)
    expect(view.locator("[data-field='prompt']")).not_to_be_checked()

    # An invalid description: the rule shows as it is typed, and nothing is sent.
    puts = puts_received(stack)
    box = view.locator("[data-field='description']")
    box.fill("")
    box.press_sequentially("GPU run <b>")
    rule = view.locator("[data-field='description-rule']")
    expect(rule).to_contain_text("Not allowed: < >")
    expect(view.locator("[data-action='save-description']")).to_be_disabled()
    box.fill("x" * 513)
    expect(view.locator("[data-field='description-count']")).to_have_text("513/512")
    expect(rule).to_contain_text("at most 512")
    expect(view.locator("[data-action='save-description']")).to_be_disabled()
    box.fill("")
    box.press_sequentially('Week 12 & "quotes"/')
    expect(rule).to_contain_text('Not allowed: & " /')
    view.screenshot(path=str(artifacts / f"panel-demanager-{ui}-invalid.png"))
    page.wait_for_timeout(500)
    assert puts_received(stack) == puts

    # A valid one is saved and the emulator has it.
    box.fill("")
    box.press_sequentially("Week 12: training run")
    expect(rule).to_be_hidden()
    expect(view.locator("[data-field='description-count']")).to_have_text("21/512")
    view.locator("[data-action='save-description']").click()
    expect(view.locator("[data-field='message']")).to_have_text("Description saved.", timeout=3000)
    assert stack.raw_instance()["description"] == "Week 12: training run"
    assert puts_received(stack) == puts + 1
    view.screenshot(path=str(artifacts / f"panel-demanager-{ui}-after.png"))
    page.screenshot(path=str(artifacts / f"panel-demanager-{ui}-page.png"))

    # The kernel was busy all along; once it is free, its traits have caught up.
    assert page.locator(BUSY).count() == 1
    interrupt_kernel(page, stack)
    run_cell(page, 2, "p = _; print('TRAITS', p.enable, p.duration, p.prompt, p.description)")
    expect(page.locator(f"{PANEL} .jp-Cell").nth(2).locator(".jp-OutputArea-output")).to_contain_text(
        "TRAITS True 7200 False Week 12: training run", timeout=30_000
    )

    # The other way: a kernel-side method changes the instance; the view reads it again at
    # once (the page would otherwise wait for its next poll, 10 min away).
    run_cell(page, 3, "p.disable(); None")
    expect(countdown(page)).to_have_text("auto-stop off", timeout=10_000)
    expect(view.locator("[data-field='countdown']")).to_have_text("auto-stop off")


def test_panel_notebooks_extend_errors_dark(page, shared_stack, artifacts):
    stack = shared_stack(backend="notebooks", lab_settings=DARK)
    open_lab(page, stack, "a.ipynb")
    wait_counting(page)
    view = show_panel(page, stack)
    expect(page.locator("body[data-jp-theme-name='JupyterLab Dark']")).to_have_count(1)
    assert_same_second(page, samples=6)

    # A lease: no on/off, Extend instead; the description is the console's.
    expect(view.locator("[data-note='lease']")).to_contain_text("1–72 h")
    assert view.locator("[data-action='turn-off']").is_hidden()
    assert view.locator("[data-action='turn-on']").is_hidden()
    expect(view.locator("[data-field='description']")).to_have_attribute("readonly", "")
    expect(view.locator("[data-note='description-readonly']")).to_be_visible()
    view.screenshot(path=str(artifacts / "panel-notebooks-lab-dark.png"))

    start_busy_kernel(page)

    # Extend by 2 h from now: toolbar, panel and emulator agree.
    view.locator("[data-field='extend']").select_option("7200")
    view.locator("[data-action='extend']").click()
    expect(countdown(page)).to_have_text(re.compile(r"^\s*(1:59:\d\d|2:00:00)\s*$"), timeout=2000)
    expect(view.locator("[data-field='message']")).to_contain_text("Extended: the instance now stops at")
    assert abs(remaining(page) - emulator_remaining(stack)) <= 2
    assert abs(emulator_remaining(stack) - 7200) <= 5
    assert_same_second(page, samples=6)

    # An error from the API shows in the panel with its code and what to do next.
    stack.control.post("/faults", json={"error_rate": 1.0})
    try:
        view.locator("[data-action='extend']").click()
        error = view.locator("[data-field='error']")
        expect(error).to_be_visible(timeout=15_000)
        expect(error).to_contain_text("Error ModelArts.")
        expect(error).to_contain_text("Try again later")
        view.screenshot(path=str(artifacts / "panel-notebooks-lab-dark-error.png"))
    finally:
        stack.control.delete("/faults")
    assert page.locator(BUSY).count() == 1


# Words that may stay Latin in Chinese: names and codes, not prose.
LATIN_OK = {"API", "ModelArts", "ID"}


def test_panel_speaks_chinese(page, shared_stack, artifacts):
    stack = shared_stack(backend="demanager", locale="zh_CN")
    open_notebook7(page, stack, "a.ipynb")
    wait_counting(page)
    view = show_panel(page, stack)
    expect(view.locator("[data-action='turn-off']")).to_have_text("关闭自动停止")
    expect(view.locator("[data-field='status']")).to_have_text("运行中")
    expect(view.locator("[data-field='backend']")).to_have_text("ModelArts 笔记本（旧版 API）")
    box = view.locator("[data-field='description']")
    box.fill("")
    box.press_sequentially("a/b")
    expect(view.locator("[data-field='description-rule']")).to_contain_text("不允许的字符：/")
    view.screenshot(path=str(artifacts / "panel-demanager-notebook7-zh.png"))
    # Every piece of prose in the panel is translated: only names, codes and numbers stay Latin.
    prose = view.evaluate("""el => {
        const skip = ['name', 'status', 'flavor', 'backend', 'description'];
        const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const out = [];
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const host = n.parentElement;
            if (host.closest('[hidden]') || skip.includes(host.closest('[data-field]')?.dataset.field)) continue;
            out.push(n.textContent);
        }
        return out.join(' | ');
    }""")
    words = set(re.findall(r"[A-Za-z]{2,}", prose)) - LATIN_OK
    assert not words, (words, prose)
