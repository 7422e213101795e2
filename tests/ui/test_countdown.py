"""The toolbar countdown: visible, ticking locally, no request and no comm message per tick."""
from __future__ import annotations

import time

import pytest

from pages import Traffic, countdown, label, open_lab, open_notebook7, remaining, wait_counting, wait_kernel_idle


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_countdown_ticks_without_requests(page, make_stack, artifacts, ui):
    stack = make_stack(backend="demanager", poll_interval=30)
    traffic = Traffic(page)
    (open_lab if ui == "lab" else open_notebook7)(page, stack, "a.ipynb")
    first = wait_counting(page)
    # The deadline the API gives, ~1 h away.
    assert 3500 < first <= 3600
    # Let the kernel and the widget manager finish their start-up handshake first.
    wait_kernel_idle(page)
    page.wait_for_timeout(1000)
    traffic.settle(page)
    first = remaining(page)
    traffic.api.clear()
    traffic.comm.clear()
    seen = []
    start = time.monotonic()
    while time.monotonic() - start < 10:
        seen.append(remaining(page))
        page.wait_for_timeout(250)
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
