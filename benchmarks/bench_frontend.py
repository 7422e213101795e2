"""Front-end cost: the countdown in a real browser, the bundle size, and the import time.

1. Browser: JupyterLab (its own process, wired to the emulator, ``poll_interval`` 10 s
   by default) with a notebook open in Debian's Chromium (Playwright, sync API) for 60 s
   (``--duration``). Counted: requests to ``/devenv/api`` and their spacing, websocket
   frames carrying ``comm_msg`` (and any other comm message), and the CPU time the page
   spends in our scripts (CDP sampling profiler: samples whose stack holds a frame of
   ``/lab/extensions/jupyter-devenv/``), next to the page's total script time.
   Target: nothing per tick (zero requests and zero comm messages between polls); polls
   only at the configured interval.
2. The labextension's production bundle: ``jupyter_devenv/labextension/static/*.js``.
   Target: under 60 KB.
3. ``import jupyter_devenv`` in a fresh Python against ``import ipywidgets``: the median
   of several runs of each (wall time of ``python -c 'import X'`` less that of
   ``python -c pass``) and ``-X importtime``'s cumulative figure.

When the browser part cannot run (no Chromium, the page does not come up), the rest
is still reported.

    python benchmarks/bench_frontend.py [--duration 60] [--poll-interval 10] [--runs 7]
    JUPYTER_DEVENV_BENCH_QUICK=1 (or --quick): 20 s in the browser, 5 import runs
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import statistics
import subprocess
import sys
import time
import traceback
from typing import Any, Dict, List, Optional, Tuple

from common import QUICK, ROOT, load_line, table
from jupyter_stack import CHROMIUM, CHROMIUM_ARGS, ProcessStack

STATIC = ROOT / "jupyter_devenv" / "labextension" / "static"
OUR_SCRIPTS = "/lab/extensions/jupyter-devenv/"
COUNTDOWN = (
    '.jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name="devenv-countdown"] .jp-DevEnv-countdown-label'
)
BUNDLE_TARGET_KB = 60.0


# -- bundle --------------------------------------------------------------------------------------
def bundle() -> Tuple[float, List[Tuple[str, int]]]:
    files = sorted((p.name, p.stat().st_size) for p in STATIC.glob("*.js"))
    return sum(size for _, size in files) / 1024, files


# -- import time ---------------------------------------------------------------------------------
def _wall(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - t0


def _importtime_us(module: str) -> int:
    """``-X importtime``'s cumulative microseconds for the top-level import of ``module``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    for line in out.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:  # top level: no indentation before the name
            return int(parts[1])
    raise RuntimeError(f"no importtime line for {module}")


def import_times(runs: int) -> Dict[str, Dict[str, float]]:
    out: Dict[str, Dict[str, float]] = {}
    for _ in range(2):  # warm the file cache
        _wall("import jupyter_devenv, ipywidgets")
    base = [_wall("pass") for _ in range(runs)]
    for module in ("jupyter_devenv", "ipywidgets"):
        walls, cumulative = [], []
        for _ in range(runs):
            walls.append(_wall(f"import {module}"))
            cumulative.append(_importtime_us(module))
        out[module] = {
            "wall_ms": (statistics.median(walls) - statistics.median(base)) * 1000,
            "importtime_ms": statistics.median(cumulative) / 1000,
        }
    return out


# -- browser -------------------------------------------------------------------------------------
class Traffic:
    """Requests to the devenv API and comm messages on the kernel websockets, with timestamps."""

    def __init__(self, page: Any) -> None:
        self.api: List[Tuple[float, str]] = []
        self.comm: List[Tuple[float, str]] = []
        page.on("request", self._on_request)
        page.on("websocket", self._on_websocket)

    def clear(self) -> None:
        self.api.clear()
        self.comm.clear()

    def _on_request(self, request: Any) -> None:
        if "/devenv/api/" in request.url:
            path = request.url.split("/devenv/api/", 1)[1].split("?", 1)[0]  # without the cache-buster
            self.api.append((time.monotonic(), f"{request.method} {path}"))

    def _on_websocket(self, ws: Any) -> None:
        def frame(payload: Any, direction: str) -> None:
            text = payload if isinstance(payload, str) else bytes(payload).decode("utf-8", "replace")
            for kind in re.findall(r'"msg_type":\s*"(comm_[a-z_]+)"', text):
                self.comm.append((time.monotonic(), direction + kind))

        ws.on("framesent", lambda p: frame(p, ">"))
        ws.on("framereceived", lambda p: frame(p, "<"))


def _settle(page: Any, traffic: Traffic, quiet_ms: int = 3000, timeout_ms: int = 60_000) -> None:
    """Wait until no comm message has passed for ``quiet_ms`` (the kernel's start-up handshakes)."""
    waited, quiet, last = 0, 0, len(traffic.comm)
    while waited < timeout_ms and quiet < quiet_ms:
        page.wait_for_timeout(250)
        waited += 250
        quiet = quiet + 250 if len(traffic.comm) == last else 0
        last = len(traffic.comm)


def _profile_times(profile: Dict[str, Any]) -> Dict[str, Any]:
    """Milliseconds of samples: in our scripts (self / anywhere on the stack), in any script, total."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent: Dict[int, int] = {}
    for n in profile["nodes"]:
        for child in n.get("children", []):
            parent[child] = n["id"]
    ours_inclusive: Dict[int, bool] = {}

    def inclusive(node_id: int) -> bool:
        if node_id not in ours_inclusive:
            chain, cur, found = [], node_id, False
            while cur is not None and cur not in ours_inclusive:
                chain.append(cur)
                if OUR_SCRIPTS in nodes[cur]["callFrame"].get("url", ""):
                    found = True
                    break
                cur = parent.get(cur)
            if not found and cur is not None:
                found = ours_inclusive[cur]
            for c in chain:
                ours_inclusive[c] = found if found else ours_inclusive.get(c, False)
            ours_inclusive[node_id] = found
        return ours_inclusive[node_id]

    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    times: Dict[str, Any] = {
        "ours_self": 0.0,
        "ours_inclusive": 0.0,
        "scripts": 0.0,
        "sampled": 0.0,
        "top": {},
    }
    for i, node_id in enumerate(samples):
        dt = (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000
        times["sampled"] += dt
        name = nodes[node_id]["callFrame"].get("functionName", "")
        if name in ("(idle)", "(program)", "(garbage collector)", "(root)"):
            continue
        times["scripts"] += dt
        frame = nodes[node_id]["callFrame"]
        if OUR_SCRIPTS in frame.get("url", ""):
            times["ours_self"] += dt
            where = (
                f"{name or '(anonymous)'} {frame['url'].rsplit('/', 1)[-1]}:{frame.get('lineNumber', 0) + 1}"
                f":{frame.get('columnNumber', 0) + 1}"
            )
            times["top"][where] = times["top"].get(where, 0.0) + dt
        if inclusive(node_id):
            times["ours_inclusive"] += dt
    return times


def browser(duration: float, poll_interval: float) -> Dict[str, Any]:
    from playwright.sync_api import sync_playwright

    devenv = {"poll_interval": poll_interval, "cache_ttl": 0.0}
    with ProcessStack(backend="demanager", app="jupyterlab", devenv=devenv) as stack, sync_playwright() as pw:
        assert stack.server is not None
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 800})
            traffic = Traffic(page)
            workspace = f"bench-{secrets.token_hex(3)}"
            url = f"{stack.server.url}/lab/workspaces/{workspace}/tree/a.ipynb?token={stack.server.token}"
            page.goto(url)
            found = True
            try:
                page.wait_for_function(
                    "sel => { const el = document.querySelector(sel); "
                    "return !!el && /^\\d+:\\d\\d:\\d\\d$/.test(el.textContent.trim()); }",
                    arg=COUNTDOWN,
                    timeout=90_000,
                )
            except Exception:  # the front end may not be there yet: measure what the page does anyway
                found = False
            page.wait_for_timeout(1000)
            _settle(page, traffic)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 500})
            labels: List[str] = []
            before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            traffic.clear()
            cdp.send("Profiler.start")
            t0 = time.monotonic()
            while time.monotonic() - t0 < duration:
                if found:
                    labels.append(page.locator(COUNTDOWN).first.inner_text().strip())
                page.wait_for_timeout(500)
            elapsed = time.monotonic() - t0
            profile = cdp.send("Profiler.stop")["profile"]
            after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            api, comm = list(traffic.api), list(traffic.comm)
        finally:
            chromium.close()
    gets = [t for t, what in api if what.startswith("GET instances/")]
    gaps = [b - a for a, b in zip(gets, gets[1:])]
    return {
        "countdown_found": found,
        "elapsed": elapsed,
        "labels": len(set(labels)),
        "api": api,
        "comm": comm,
        "gets": len(gets),
        "gaps": gaps,
        "times": _profile_times(profile),
        "script_ms": (after.get("ScriptDuration", 0) - before.get("ScriptDuration", 0)) * 1000,
        "task_ms": (after.get("TaskDuration", 0) - before.get("TaskDuration", 0)) * 1000,
        "heap_mb": after.get("JSHeapUsedSize", 0) / 2**20,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=float, default=20.0 if QUICK else 60.0, help="seconds in the browser"
    )
    parser.add_argument(
        "--poll-interval", type=float, default=10.0, help="c.DevEnv.poll_interval for the run"
    )
    parser.add_argument("--runs", type=int, default=5 if QUICK else 9, help="runs of each import")
    parser.add_argument("--quick", action="store_true", help="20 s in the browser, 5 import runs")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    duration, runs = (20.0, 5) if args.quick else (args.duration, args.runs)
    print(load_line())
    result: Dict[str, Any] = {"bench": "frontend"}

    kb, files = bundle()
    print(
        f"Bundle: {len(files)} files in {STATIC.relative_to(ROOT)}, {kb:.1f} KB "
        f"(target < {BUNDLE_TARGET_KB:.0f} KB: {'MET' if kb < BUNDLE_TARGET_KB else 'NOT MET'})"
    )
    print(table(["file", "bytes"], files))
    result["bundle_kb"] = round(kb, 1)

    imports = import_times(runs)
    print(f"\nImport time in a fresh Python, median of {runs} runs:")
    print(
        table(
            ["module", "wall ms (less python -c pass)", "-X importtime cumulative ms"],
            [[m, f"{v['wall_ms']:.1f}", f"{v['importtime_ms']:.1f}"] for m, v in imports.items()],
        )
    )
    import_ratio = imports["jupyter_devenv"]["importtime_ms"] / imports["ipywidgets"]["importtime_ms"]
    result["import_ratio"] = round(import_ratio, 3)

    per_tick: Optional[float] = None
    if not args.no_browser:
        print(
            f"\nBrowser: a notebook open in JupyterLab for {duration:.0f} s, "
            f"poll_interval {args.poll_interval:g} s"
        )
        try:
            b = browser(duration, args.poll_interval)
        except Exception as exc:  # report what can be reported
            print(f"the browser part could not run: {type(exc).__name__}: {exc}")
            traceback.print_exc(limit=3)
        else:
            ticks = b["elapsed"]  # one tick a second
            expected_polls = b["elapsed"] / args.poll_interval
            extra = max(0, len(b["api"]) - (int(expected_polls) + 1))
            per_tick = (extra + len(b["comm"])) / ticks
            t = b["times"]
            gaps = b["gaps"]
            print(
                table(
                    ["figure", "value"],
                    [
                        ["countdown shown", "yes" if b["countdown_found"] else "NO (front end not there)"],
                        ["distinct countdown labels seen (sampled 2/s)", b["labels"]],
                        [
                            "requests to /devenv/api",
                            f"{len(b['api'])} ({', '.join(sorted(set(w for _, w in b['api'])))})",
                        ],
                        [f"polls expected at {args.poll_interval:g} s", f"{expected_polls:.1f}"],
                        [
                            "interval between polls s (min / median / max)",
                            f"{min(gaps):.1f} / {statistics.median(gaps):.1f} / {max(gaps):.1f}"
                            if gaps
                            else "-",
                        ],
                        ["comm messages (any comm_*)", len(b["comm"])],
                        ["requests + comm messages per tick, beyond the polls", f"{per_tick:.3f}"],
                        ["our scripts: self time ms (whole run)", f"{t['ours_self']:.1f}"],
                        ["our scripts: on the stack ms (whole run)", f"{t['ours_inclusive']:.1f}"],
                        ["our scripts per tick ms", f"{t['ours_inclusive'] / ticks:.3f}"],
                        [
                            "all page scripts ms (profiler / Performance.ScriptDuration)",
                            f"{t['scripts']:.1f} / {b['script_ms']:.1f}",
                        ],
                        ["page busy (TaskDuration) ms", f"{b['task_ms']:.1f}"],
                        ["JS heap used MB", f"{b['heap_mb']:.1f}"],
                    ],
                )
            )
            top = sorted(t["top"].items(), key=lambda kv: -kv[1])[:5]
            if top:
                print("our functions by self time (minified names, file:line:column):")
                print(table(["function", "ms"], [[w, f"{v:.1f}"] for w, v in top]))
            result.update(
                requests=len(b["api"]),
                comm=len(b["comm"]),
                per_tick=round(per_tick, 4),
                ours_ms_per_tick=round(t["ours_inclusive"] / ticks, 3),
            )
            ok = per_tick == 0 and all(g >= args.poll_interval * 0.9 for g in gaps)
            print(
                f"target: zero requests or comm messages per tick, polls only at the interval -> "
                f"{'MET' if ok else 'NOT MET'}"
            )
    print("RESULT " + json.dumps(result))
    ratio = (
        f"ratio: import jupyter_devenv / import ipywidgets {import_ratio:.4f} (1/{1 / import_ratio:.0f}); "
        f"bundle {kb:.1f} KB / {BUNDLE_TARGET_KB:.0f} KB = {kb / BUNDLE_TARGET_KB:.2f}"
    )
    if per_tick is not None:
        ratio += f"; requests+comm per tick {per_tick:.3f}"
    print(ratio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
