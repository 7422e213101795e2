"""Run every benchmark (``make bench``), each in its own process, and put the figures in README.md.

Each benchmark prints its figures and, last, its headline: a ratio or a target with PASS
or MISS. This script runs them one after the other, shows their output as it comes, and
replaces their sections in the block between the ``<!-- figures:begin -->`` and
``<!-- figures:end -->`` markers of ``benchmarks/README.md`` with what they printed
(unless ``--no-readme``); with ``--only``, the other sections stay as they were.

    python benchmarks/run_all.py [--quick] [--only proxy,fanin,load,frontend,signing] [--no-readme]
    JUPYTER_DEVENV_BENCH_QUICK=1 has the same effect as --quick (shorter runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Tuple

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"
BENCHMARKS = [
    ("signing", "bench_signing.py", "Signing cost"),
    ("proxy", "bench_proxy.py", "Proxy overhead"),
    ("fanin", "bench_fanin.py", "Fan-in"),
    ("load", "bench_load.py", "Load with faults"),
    ("frontend", "bench_frontend.py", "Front-end cost"),
]


def run(script: str, quick: bool) -> Tuple[int, str, float]:
    env = dict(os.environ)
    if quick:
        env["JUPYTER_DEVENV_BENCH_QUICK"] = "1"
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=str(HERE.parent),
    )
    lines: List[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    return proc.wait(), "".join(lines), time.monotonic() - t0


def sections(block: str) -> Dict[str, str]:
    """The ``### <title>`` sections of the figures block, by title (an exit status note left out)."""
    found: Dict[str, str] = {}
    for part in re.split(r"^(?=### )", block, flags=re.M)[1:]:
        title = re.sub(r" \(exit status -?\d+\)$", "", part.splitlines()[0][4:])
        found[title] = part.rstrip() + "\n"
    return found


def update_readme(outputs: Dict[str, Tuple[str, str, int, float]], quick: bool) -> None:
    """Replace the sections of the benchmarks that ran; the others' stay as they were."""
    text = README.read_text()
    if BEGIN not in text or END not in text:
        print(f"{README} has no {BEGIN} ... {END} block: not updated")
        return
    start, end = text.index(BEGIN), text.index(END) + len(END)
    kept = sections(text[start + len(BEGIN) : end - len(END)])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    where = f"on {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    for title, output, code, _seconds in outputs.values():
        shown = "\n".join(line for line in output.rstrip().splitlines() if not line.startswith("RESULT "))
        status = "" if code == 0 else f" (exit status {code})"
        run_line = f"Run {when}{' (quick mode)' if quick else ''} {where}."
        kept[title] = "\n".join([f"### {title}{status}", "", run_line, "", "```text", shown, "```", ""])
    order = [title for _, _, title in BENCHMARKS if title in kept]
    parts = [BEGIN, "", "Written by `benchmarks/run_all.py`; each section says when it ran.", ""]
    parts += [kept[title] for title in order] + [END]
    README.write_text(text[:start] + "\n".join(parts) + text[end:])
    print(f"figures written to {README}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter runs (also JUPYTER_DEVENV_BENCH_QUICK=1)"
    )
    names = ",".join(n for n, _, _ in BENCHMARKS)
    parser.add_argument("--only", default="", help=f"comma-separated names: {names}")
    parser.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    args = parser.parse_args()
    quick = args.quick or os.environ.get("JUPYTER_DEVENV_BENCH_QUICK", "") not in ("", "0", "false", "no")
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    outputs: Dict[str, Tuple[str, str, int, float]] = {}
    failed = []
    for name, script, title in BENCHMARKS:
        if only and name not in only:
            continue
        print(f"\n=== {title} ({script}) ===", flush=True)
        code, output, seconds = run(script, quick)
        outputs[name] = (title, output, code, seconds)
        if code != 0:
            failed.append(name)
    print("\n=== Summary (each benchmark's last line) ===")
    for title, output, _code, seconds in outputs.values():
        last = output.rstrip().splitlines()[-1] if output.strip() else "(no output)"
        print(f"{title:<15} {seconds:6.0f} s  {last}")
    if not args.no_readme:
        update_readme(outputs, quick)
    if failed:
        print("benchmarks that failed to run: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
