"""Page helpers shared by the browser tests: where things are, and what they say."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import List, Optional

from playwright.sync_api import Locator, Page, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeout

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ITEM = '[data-jp-item-name="devenv-countdown"]'
POPOVER = ".jp-DevEnv-popover"
ARTIFACTS = Path(__file__).parent / "artifacts"
HMS = re.compile(r"^(\d+):(\d\d):(\d\d)$")


def wait_until(check, timeout: float = 10.0, step: float = 0.2, pause=time.sleep):
    """Poll ``check()`` until it is truthy or ``timeout`` seconds pass; its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        pause(step)
    return check()


def page_until(page: Page, check, timeout: float = 10.0):
    """``wait_until`` for checks that read what the page's events recorded (requests,
    responses): Playwright delivers them only while it waits, so this waits in the page."""
    return wait_until(check, timeout, 0.1, lambda seconds: page.wait_for_timeout(seconds * 1000))


def countdown(page: Page) -> Locator:
    return page.locator(f"{PANEL} {ITEM} .jp-DevEnv-countdown").first


def label(page: Page) -> str:
    return countdown(page).locator(".jp-DevEnv-countdown-label").inner_text().strip()


def seconds(text: str) -> Optional[int]:
    """Seconds of an ``H:MM:SS`` label, or None when it is not one."""
    m = HMS.match(text.strip())
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) if m else None


def remaining(page: Page) -> Optional[int]:
    return seconds(label(page))


def wait_counting(page: Page, timeout: float = 30_000) -> int:
    """Wait until the toolbar shows H:MM:SS; the seconds shown."""
    page.wait_for_function(
        """sel => { const el = document.querySelector(sel); return !!el && /^\\d+:\\d\\d:\\d\\d$/.test(el.textContent.trim()); }""",
        arg=f"{PANEL} {ITEM} .jp-DevEnv-countdown-label",
        timeout=timeout,
    )
    return remaining(page)


def open_lab(page: Page, stack, *paths: str, workspace: Optional[str] = None) -> None:
    page.goto(stack.lab_url(*paths, workspace=workspace))
    countdown(page).wait_for(state="visible", timeout=60_000)


def open_notebook7(page: Page, stack, path: str = "a.ipynb") -> None:
    page.goto(stack.notebook7_url(path))
    countdown(page).wait_for(state="visible", timeout=60_000)


def wait_kernel_idle(page: Page, timeout: float = 60_000) -> None:
    page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=timeout
    )


def wait_kernel_ready(page: Page, stack, timeout: float = 60.0) -> None:
    """Wait until a kernel is connected and idle (the indicator alone says idle before it starts)."""
    import time

    import httpx

    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        # While a kernel starts, jupyter_server can answer 500 (a race in its kernel
        # listing), or a request can time out on a busy machine: retry until the deadline.
        try:
            answer = httpx.get(f"{stack.url}/api/kernels", headers=stack.auth, timeout=5)
        except httpx.HTTPError as e:
            last = f"{type(e).__name__}: {e}"
        else:
            if answer.status_code == 200:
                kernels = answer.json()
                last = f"kernels: {kernels}"
                if any(k.get("connections", 0) >= 1 and k.get("execution_state") == "idle" for k in kernels):
                    break
            else:
                last = f"GET /api/kernels answered {answer.status_code}: {answer.text[:200]}"
        page.wait_for_timeout(250)
    else:
        raise AssertionError(f"no kernel became ready in {timeout} s ({last})")
    wait_kernel_idle(page)
    page.wait_for_timeout(500)


def run_in_new_cell(page: Page, stack, code: str) -> None:
    """Type ``code`` into the notebook's first cell and run it (Shift+Enter)."""
    wait_kernel_ready(page, stack)
    editor = page.locator(f"{PANEL} .jp-Cell .cm-content").first
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")


def open_popover(page: Page) -> Locator:
    """Click the countdown and wait for its popover.

    Once in several full runs on a loaded machine, a click opened no popover (it was not seen
    to open and close; cause not found yet). Such a miss is kept as a screenshot
    (``artifacts/popover-missed-*.png``) and the click made once more: a popover that never
    opens still fails."""
    popover = page.locator(POPOVER)
    countdown(page).click()
    try:
        popover.wait_for(state="visible", timeout=5_000)
    except PlaywrightTimeout:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"popover-missed-{time.time():.0f}.png"))
        countdown(page).click()
        popover.wait_for(state="visible", timeout=10_000)
    return popover


class Traffic:
    """Counts the page's requests to the devenv REST API and the kernel's comm messages."""

    def __init__(self, page: Page) -> None:
        self.api: List[str] = []
        self.comm: List[str] = []
        page.on("request", self._on_request)
        page.on("websocket", self._on_websocket)

    def settle(self, page: Page, quiet_ms: int = 3000, timeout_ms: int = 60_000) -> None:
        """Wait until no comm message has passed for ``quiet_ms`` (start-up handshakes done)."""
        waited, last = 0, len(self.comm)
        quiet = 0
        while waited < timeout_ms and quiet < quiet_ms:
            page.wait_for_timeout(250)
            waited += 250
            quiet = quiet + 250 if len(self.comm) == last else 0
            last = len(self.comm)

    def _on_request(self, request) -> None:
        if "/devenv/api/" in request.url:
            self.api.append(f"{request.method} {request.url}")

    def _on_websocket(self, ws: WebSocket) -> None:
        def frame(payload, direction="") -> None:
            text = payload if isinstance(payload, str) else ""
            if not text and isinstance(payload, (bytes, bytearray)):
                text = bytes(payload).decode("utf-8", "replace")
            for kind in re.findall(r'"msg_type":\s*"(comm_[a-z_]+)"', text):
                target = re.search(r'"target_name":\s*"([^"]*)"', text)
                self.comm.append(f"{direction}{kind}:{target[1] if target else ''}")

        ws.on("framesent", lambda p: frame(p, ">"))
        ws.on("framereceived", lambda p: frame(p, "<"))


class Reads:
    """The page's reads of the instance (``GET /devenv/api/instances/current``), to wait for
    answers to reads sent after a given moment instead of for a fixed time."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.sent: List = []
        self.answered: List = []
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_finished)
        page.on("requestfailed", self._on_finished)

    def mark(self) -> int:
        """A moment: reads sent from now on count for ``wait_answered``."""
        self.page.evaluate("1")  # the page's events so far are in
        return len(self.sent)

    def wait_answered(self, since: int, count: int = 1, timeout: float = 20.0) -> None:
        """Wait until ``count`` reads sent after the moment ``since`` (``mark``) are answered."""

        def done() -> bool:
            return sum(1 for r in self.sent[since:] if r in self.answered) >= count

        assert page_until(self.page, done, timeout), f"{count} read(s) not answered in {timeout} s"

    @staticmethod
    def _is_read(request) -> bool:
        return request.method == "GET" and "/devenv/api/instances/current" in request.url

    def _on_request(self, request) -> None:
        if self._is_read(request):
            self.sent.append(request)

    def _on_finished(self, request) -> None:
        if self._is_read(request):
            self.answered.append(request)


WATCH_TOASTS = """() => {
  if (window.__devenvToasts) { return; }
  window.__devenvToasts = [];
  const seen = new Set();
  const scan = () => {
    for (const el of document.querySelectorAll('.Toastify__toast')) {
      if (!seen.has(el.id)) {
        seen.add(el.id);
        window.__devenvToasts.push(el.textContent);
      }
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  scan();
}"""


def watch_toasts(page: Page) -> None:
    """Record the text of every toast that appears from now on (see ``toasts_seen``)."""
    page.evaluate(WATCH_TOASTS)


def toasts_seen(page: Page, text: str) -> List[str]:
    return [t for t in page.evaluate("() => window.__devenvToasts || []") if text in t]


def visible_toasts(page: Page, text: str) -> Locator:
    return page.locator(".Toastify__toast", has_text=text)
