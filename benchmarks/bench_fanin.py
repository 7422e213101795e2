"""Fan-in: many browser tabs and kernels polling one instance; upstream reads counted at the emulator.

200 simulated clients (default) poll ``GET /devenv/api/instances/current`` for 60 s
(default): half as browser tabs (login cookie, as JupyterLab sends it), half as kernels
(the token header, as ``jupyter_devenv.connection`` sends it). Each client polls every
``--interval`` seconds (default 1 s, with a random phase, so 200 requests/s arrive spread
over time rather than in lockstep). The emulator counts what reaches it
(``/_emulator/stats``), sampled every 0.5 s.

Target: upstream reads no more than one per ``cache_ttl`` (default 5 s), whatever the
number of clients: reads <= ceil(duration / cache_ttl) + 1, and no ``cache_ttl`` window
with more than one read.

    python benchmarks/bench_fanin.py [--clients 200] [--duration 60] [--interval 1] [--cache-ttl 5]
    JUPYTER_DEVENV_BENCH_QUICK=1 (or --quick): 15 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import time
from typing import Dict, List, Tuple

import httpx
from common import QUICK, cpu_seconds, load_line, median, percentile, table
from jupyter_stack import ProcessStack
from rawhttp import Connection, serialize


def _reads(stats: Dict) -> int:
    return sum(
        n for key, n in stats["requests"].items() if key.startswith("GET ") and "/demanager/instances/" in key
    )


async def _client(
    port: int,
    raw: bytes,
    until: float,
    interval: float,
    latencies: List[float],
    failures: List[str],
    opened: asyncio.Semaphore,
) -> None:
    async with opened:
        conn = await Connection("127.0.0.1", port).open()
    try:
        await asyncio.sleep(random.uniform(0, interval))
        while time.monotonic() < until:
            t0 = time.perf_counter()
            status, body = await conn.send(raw)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                failures.append(f"{status} {body[:100]!r}")
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - t0)))
    finally:
        await conn.close()


async def _sampler(stack: ProcessStack, until: float, samples: List[Tuple[float, int]]) -> None:
    assert stack.emulator is not None
    async with httpx.AsyncClient(base_url=stack.emulator.url + "/_emulator", timeout=10) as control:
        t_start = time.monotonic()
        while time.monotonic() < until + 0.5:
            stats = (await control.get("/stats")).json()
            samples.append((time.monotonic() - t_start, _reads(stats)))
            await asyncio.sleep(0.5)


def max_reads_in_window(samples: List[Tuple[float, int]], window: float) -> int:
    """The most reads counted between two samples at most ``window`` seconds apart (an upper bound)."""
    best = 0
    for i, (t0, r0) in enumerate(samples):
        # reads in (t0 - 0.5, t1]: the sample before t0 bounds from below
        before = samples[i - 1][1] if i else r0
        for t1, r1 in samples[i:]:
            if t1 - t0 > window - 0.5:
                break
            best = max(best, r1 - before)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument(
        "--duration", type=float, default=15.0 if QUICK else 60.0, help="seconds (default 60)"
    )
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between one client's polls")
    parser.add_argument("--cache-ttl", type=float, default=5.0)
    parser.add_argument("--quick", action="store_true", help="a 15 s run")
    args = parser.parse_args()
    duration = 15.0 if args.quick else args.duration

    with ProcessStack(
        backend="demanager", app="jupyter_server", devenv={"cache_ttl": args.cache_ttl}
    ) as stack:
        assert stack.server is not None and stack.emulator is not None
        url = f"{stack.server.api}/instances/current"
        login = httpx.get(
            f"{stack.server.url}/?token={stack.server.token}", follow_redirects=False, timeout=30
        )
        cookies = "; ".join(c.split(";", 1)[0] for c in login.headers.get_list("Set-Cookie"))
        tab = serialize(httpx.Request("GET", url, headers={"Cookie": cookies, "Accept": "application/json"}))
        kernel = serialize(
            httpx.Request("GET", url, headers={**stack.server.auth, "Accept": "application/json"})
        )
        stack.emulator.control.reset_stats()
        print(load_line())
        cpu0 = cpu_seconds(stack.server.pid)
        latencies: List[float] = []
        failures: List[str] = []
        samples: List[Tuple[float, int]] = []

        async def run() -> float:
            opened = asyncio.Semaphore(50)
            until = time.monotonic() + duration
            t0 = time.monotonic()
            await asyncio.gather(
                _sampler(stack, until, samples),
                *(
                    _client(
                        stack.server.port,
                        tab if k % 2 == 0 else kernel,
                        until,
                        args.interval,
                        latencies,
                        failures,
                        opened,
                    )
                    for k in range(args.clients)
                ),
            )
            return time.monotonic() - t0

        elapsed = asyncio.run(run())
        stats = stack.emulator.control.stats()
        server_cpu = cpu_seconds(stack.server.pid) - cpu0
    reads = _reads(stats)
    bound = math.ceil(elapsed / args.cache_ttl) + 1
    worst = max_reads_in_window(samples, args.cache_ttl)
    served = len(latencies)
    print(
        f"Fan-in: {args.clients} clients (half tabs with the cookie, half kernels with the token), "
        f"one poll each per {args.interval:g} s, for {elapsed:.1f} s; cache_ttl {args.cache_ttl:g} s"
    )
    print(
        table(
            ["figure", "value"],
            [
                ["requests answered by the extension", served],
                ["failed requests", len(failures)],
                [
                    "answer latency p50 / p99 ms",
                    f"{median(latencies) * 1000:.1f} / {percentile(latencies, 99) * 1000:.1f}",
                ],
                ["upstream requests (all)", stats["total"]],
                ["upstream reads of the instance", reads],
                [f"allowed: ceil({elapsed:.0f} / {args.cache_ttl:g}) + 1", bound],
                [f"most reads in any {args.cache_ttl:g} s window (sampled)", worst],
                ["requests per upstream read", f"{served / max(reads, 1):.0f}"],
                ["Jupyter server CPU per answered request ms", f"{server_cpu / max(served, 1) * 1000:.2f}"],
            ],
        )
    )
    if failures:
        print("first failures:", failures[:3])
    ok = reads <= bound and not failures
    print(
        f"target: upstream reads <= one per cache_ttl whatever the clients: {reads} <= {bound} -> "
        f"{'MET' if ok else 'NOT MET'}"
    )
    print(
        "RESULT "
        + json.dumps(
            {"bench": "fanin", "clients": args.clients, "reads": reads, "bound": bound, "served": served}
        )
    )
    print(
        f"ratio: upstream reads per cache_ttl window {reads / (elapsed / args.cache_ttl):.2f} "
        f"(client requests per upstream read {served / max(reads, 1):.0f})"
    )
    return 1 if failures else 0  # a missed target is reported above; failed requests are an error


if __name__ == "__main__":
    raise SystemExit(main())
