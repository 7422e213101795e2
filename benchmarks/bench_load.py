"""Load with faults: 500 concurrent clients for 30 s against the proxy while the emulator fails.

The emulator and the Jupyter server run in their own processes (``tests/jupyter_stack.py``,
the server with the test-only ``task_probe`` extension); this process runs the clients,
each on its own keep-alive connection, and re-arms the emulator's faults during the run:
a 5 % error rate throughout, and in turn every 0.5 s counted ``rate_limit``,
``unavailable``, ``drop`` and ``malformed`` faults and a 50 ms ``latency`` (see
``faultload.py`` for the schedule, what each fault may cause at the proxy, and how the
server's fds and tasks are read).

Target: no answer other than 200 and those the injected faults cause (so no 5xx but the
injected ones), no dropped connection, the server's open fds and asyncio tasks, once the
load has stopped and they have settled, within 3 of what they were at the start, and a PUT
after the load answered 200 by way of the emulator.

    python benchmarks/bench_load.py [--clients 500] [--seconds 30] [--quick]
"""

from __future__ import annotations

import argparse
import json

from common import QUICK, load_line, table
from faultload import (
    ARM_EVERY,
    CAUSED,
    DEVENV,
    ERROR_RATE,
    EXTENSIONS,
    FD_SLACK,
    SCHEDULE,
    TASK_SLACK,
    run_load,
    settled,
)
from jupyter_stack import ProcessStack


def caused_by(answer: str) -> str:
    return ", ".join(name for name, answers in CAUSED.items() if answer in answers) or (
        "" if answer == "200" else "nothing injected: a failure"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--quick", action="store_true", help="5 s")
    args = parser.parse_args()
    seconds = 5.0 if args.quick or QUICK else args.seconds

    with ProcessStack(backend="demanager", devenv=DEVENV, extensions=EXTENSIONS) as stack:
        print(load_line())
        run = run_load(stack, args.clients, seconds)
        assert stack.server is not None
        alive = stack.server.proc.poll() is None
    steps = ", ".join(json.dumps(step) for step in SCHEDULE)
    print(
        f"Load: {run.clients} clients for {run.seconds:.0f} s ({run.elapsed:.1f} s with the ramp-up and "
        f"the last answers), {run.requests} requests, {run.requests / run.elapsed:.0f}/s; proxy settings "
        f"{json.dumps(DEVENV)}"
    )
    print(f"faults: error_rate {ERROR_RATE:.0%} throughout, and every {ARM_EVERY} s the next of {steps}")
    print(
        table(
            ["request", "answer", "count", "caused by", "error_msg (one of them)"],
            [
                [method, answer, n, caused_by(answer), run.messages.get(answer, "")[:90]]
                for (method, answer), n in sorted(run.outcomes.items())
            ],
        )
    )
    print(
        f"fault steps armed: {dict(run.armed)}; upstream calls {run.upstream.get('total')}, of which "
        f"answered with an error or dropped {run.upstream.get('rejected')}"
    )
    print(
        table(
            ["Jupyter server", "start", "halfway", "end", "end - start"],
            [
                [
                    "open fds (/proc/<pid>/fd)",
                    run.start.fds,
                    run.middle.fds,
                    run.end.fds,
                    f"{run.end.fds - run.start.fds:+d}",
                ],
                [
                    "asyncio tasks (task_probe)",
                    run.start.tasks,
                    run.middle.tasks,
                    run.end.tasks,
                    f"{run.end.tasks - run.start.tasks:+d}",
                ],
                [
                    "RSS MB",
                    f"{run.start.rss_mb:.1f}",
                    f"{run.middle.rss_mb:.1f}",
                    f"{run.end.rss_mb:.1f}",
                    f"{run.end.rss_mb - run.start.rss_mb:+.1f}",
                ],
            ],
        )
    )
    print(
        f"end read {run.settle:.1f} s after the load stopped (waited for fds and tasks back within "
        f"{FD_SLACK} / {TASK_SLACK} of the start)"
    )
    print(f"after the load: one PUT answered {run.after}, upstream calls {run.after_upstream}")
    for kind, n in run.failures.items():
        print(f"FAILURE {kind}: {n}, e.g. {run.examples[kind]}")
    works = run.after == "200" and run.after_upstream > 0
    ok = alive and works and not run.failures and settled(run.end, run.start)
    print(
        "RESULT "
        + json.dumps(
            {
                "bench": "load",
                "requests": run.requests,
                "outcomes": dict(run.answers()),
                "failures": dict(run.failures),
                "fds": [run.start.fds, run.end.fds],
                "tasks": [run.start.tasks, run.end.tasks],
                "server_alive": alive,
                "after": [run.after, run.after_upstream],
            }
        )
    )
    print(
        f"target: only 200 and injected-fault answers ({sum(run.failures.values())} others), fds "
        f"{run.start.fds} -> {run.end.fds}, tasks {run.start.tasks} -> {run.end.tasks} (slack "
        f"{FD_SLACK}), {'still proxying' if works else 'NOT proxying'} after the load"
        f"{'' if alive else ', the server died'} -> {'PASS' if ok else 'MISS'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
