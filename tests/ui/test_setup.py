"""Setting up without a restart: the server part not loaded yet, and the instance chosen in the page."""

from __future__ import annotations

import re

import pytest
from pages import PANEL, countdown, open_lab, open_notebook7, open_popover, run_in_new_cell, wait_counting
from playwright.sync_api import expect

RESTART = (
    "jupyter-devenv is installed but its server part is not running yet: restart Jupyter "
    "(on ModelArts: stop and start the instance)."
)


def opener(ui: str):
    return open_lab if ui == "lab" else open_notebook7


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_server_part_not_loaded_says_restart(page, shared_stack, artifacts, ui):
    # The package installed, Jupyter not restarted: the labextension is there, its server part is not.
    stack = shared_stack(server_extension=False)
    reads = []
    page.on("request", lambda r: reads.append(r.url) if "/devenv/api/config" in r.url else None)
    page.clock.install()  # it flows; the test then runs it on at once
    opener(ui)(page, stack, "a.ipynb")
    expect(countdown(page)).to_have_text("installed: restart Jupyter", timeout=15_000)
    assert RESTART in countdown(page).get_attribute("title")
    popover = open_popover(page)
    expect(popover).to_contain_text(RESTART)
    expect(popover.locator("[data-field='instances']")).to_be_hidden()
    page.screenshot(path=str(artifacts / f"server-missing-{ui}.png"))
    # No retry storm: Jupyter's own 404 is asked again once a minute, not at the poll rate
    # (30 s without the server's config) nor at the retry rate (2 s, 4 s, 8 s...).
    seen = len(reads)
    for _ in range(40):  # 40 s of the page's time, every timer due in them fired
        page.clock.run_for(1000)
    page.wait_for_timeout(500)  # what those timers sent is reported
    assert len(reads) == seen, reads
    assert 1 <= seen <= 2, reads


def instance_rows(popover):
    rows = popover.locator("[data-instance]")
    expect(rows.first).to_be_visible(timeout=20_000)
    return [(r.get_attribute("data-instance"), r.inner_text()) for r in rows.all()]


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_choose_the_instance_without_a_restart(page, make_stack, artifacts, ui):
    # backend "auto", as a fresh install has it: the picker lists both API generations.
    stack = make_stack(backend="demanager", configured=False, devenv={"backend": "auto"})
    opener(ui)(page, stack, "a.ipynb")
    expect(countdown(page)).to_have_text("choose instance", timeout=15_000)
    assert "No instance is chosen yet" in countdown(page).get_attribute("title")
    # A second tab of the same browser, open before the choice.
    other = page.context.new_page()
    opener(ui)(other, stack, "b.ipynb")
    expect(countdown(other)).to_have_text("choose instance", timeout=15_000)

    popover = open_popover(page)
    rows = instance_rows(popover)
    running = [text for _, text in rows if "RUNNING" in text]
    assert len(running) >= 2, rows  # the emulator's running instance of each API
    assert [("RUNNING" in text) for _, text in rows] == sorted(
        ("RUNNING" in t for _, t in rows), reverse=True
    )
    mine = dict(rows)[stack.instance_id]
    assert re.search(r"RUNNING · \S+ · (\d+ h )?\d+ min left", mine), mine
    expect(popover.locator("[data-action='turn-off']")).to_be_hidden()
    page.screenshot(path=str(artifacts / f"choose-instance-{ui}.png"))

    popover.locator(f"[data-instance='{stack.instance_id}']").click()
    # The countdown, without a reload: in this tab at once, the popover showing its controls...
    wait_counting(page, timeout=10_000)
    expect(popover.locator("[data-field='instances']")).to_be_hidden()
    expect(popover.locator("[data-action='turn-off']")).to_be_visible()
    expect(popover.locator("[data-action='change-instance']")).to_be_visible()
    page.screenshot(path=str(artifacts / f"chosen-instance-{ui}.png"))
    # ... and in the other tab at once too (its config poll is 5 s away at most; this is sooner).
    wait_counting(other, timeout=3000)
    other.close()

    if ui == "lab":
        # A kernel started afterwards works on the chosen instance.
        page.keyboard.press("Escape")
        run_in_new_cell(
            page,
            stack,
            "from jupyter_devenv.connection import connect\n"
            "print('CHOSEN', connect().get()['instance']['id'])",
        )
        expect(page.locator(f"{PANEL} .jp-OutputArea-output").first).to_contain_text(
            f"CHOSEN {stack.instance_id}", timeout=30_000
        )

        # "Change instance": the list again, the current one marked; another running instance.
        second = stack.control.post("/instances", json={"backend": "demanager", "name": "second-run"}).json()[
            "id"
        ]
        popover = open_popover(page)
        expect(popover.locator("[data-note='fixed']")).to_be_hidden()
        popover.locator("[data-action='change-instance']").click()
        expect(popover.locator(f"[data-instance='{stack.instance_id}']")).to_have_attribute(
            "aria-current", "true"
        )
        expect(popover.locator("[data-action='turn-off']")).to_be_hidden()
        popover.screenshot(path=str(artifacts / "change-instance-lab.png"))
        popover.locator(f"[data-instance='{second}']").click()
        expect(popover.locator("[data-field='instances']")).to_be_hidden(timeout=10_000)
        expect(popover).to_contain_text("Instance: second-run")
        assert "second-run" in countdown(page).get_attribute("title")
