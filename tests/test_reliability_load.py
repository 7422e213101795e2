"""Load: 500 concurrent clients against the proxy for a few seconds, with faults mixed in.

The run is ``benchmarks/faultload.py``, shared with ``benchmarks/bench_load.py`` (its 30 s
version, in ``make bench``): the emulator and the Jupyter server in their own processes,
500 keep-alive clients in this one polling ``GET instances/current`` and now and then
``PUT``-ting a prompt change, while the emulator fails 5 % of its calls and its counted
faults (rate_limit, unavailable, drop, malformed) and a latency are re-armed every 0.5 s.
4 s by default; ``JUPYTER_DEVENV_LOAD_SECONDS`` sets another duration.

- no answer but 200 and those the injected faults cause (``faultload.CAUSED``): no 5xx
  other than the injected ones, no dropped connection, no secret in any answer;
- the server's open fds (``/proc/<pid>/fd``) and asyncio tasks (asked of the server through
  the test-only ``benchmarks/task_probe.py`` extension) back within a small slack of the
  start once the load has stopped (waited for, up to ``faultload.SETTLE_TIMEOUT``); that
  they are measured at all is checked halfway, when most clients' connections are open;
- a PUT after the load answers 200 by way of the emulator: the proxy still works;
- memory: start and end RSS are printed (``pytest -rP``), only a generous bound asserted;
- no secret of the instance in the server's log, no traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from faultload import DEVENV, EXTENSIONS, FD_SLACK, TASK_SLACK, run_load
from jupyter_stack import ProcessStack

from jupyter_devenv.emulator.app import ACCESS_KEY, SECRET_KEY
from jupyter_devenv.emulator.fake_secrets import secret_values

CLIENTS = 500
SECONDS = float(os.environ.get("JUPYTER_DEVENV_LOAD_SECONDS") or 4)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with ProcessStack(
        backend="demanager",
        app="jupyter_server",
        tmp=tmp_path_factory.mktemp("load"),
        devenv=DEVENV,
        extensions=EXTENSIONS,
    ) as running:
        yield running


def test_500_clients_with_faults_only_injected_errors_no_growth(stack):
    server, emulator = stack.server, stack.emulator
    run = run_load(stack, CLIENTS, SECONDS)
    print(
        f"\nload: {CLIENTS} clients for {SECONDS:.0f} s ({run.elapsed:.1f} s in all): {run.requests} "
        f"requests; answers {dict(run.outcomes)}; faults armed {dict(run.armed)}; upstream {run.upstream}"
    )
    for name in ("start", "middle", "end"):
        print(f"server {name}: {getattr(run, name)}")
    print(f"end read {run.settle:.1f} s after the load")

    assert server.proc.poll() is None, "the server died"
    assert not run.failures, {kind: (n, run.examples[kind]) for kind, n in run.failures.items()}
    assert run.upstream["rejected"] > 0, run.upstream  # faults were injected
    assert run.answers()["200"] > CLIENTS, run.outcomes  # every client got answers
    half = CLIENTS // 2  # at least, as the connections open 50 at a time on a busy machine
    assert run.middle.fds > run.start.fds + half and run.middle.tasks > run.start.tasks + half, run.middle
    assert run.end.fds <= run.start.fds + FD_SLACK, (run.start, run.end)
    assert run.end.tasks <= run.start.tasks + TASK_SLACK, (run.start, run.end)
    assert run.end.rss_mb < run.start.rss_mb + 100, (run.start, run.end)
    assert (run.after, run.after_upstream) == ("200", 1)  # a PUT after the load still reaches the emulator
    secrets = secret_values(emulator.control.instance(stack.instance_id)) + [ACCESS_KEY, SECRET_KEY]
    log = server.log_text()
    assert not [s[:12] for s in secrets if s in log]
    assert "Traceback" not in log, log[-3000:]
