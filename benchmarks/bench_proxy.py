"""Proxy overhead: the same PUT and GET straight to the emulator and through the server extension.

The emulator and the Jupyter server each run in their own process; this process is the
load generator and talks to both over loopback (requests built by httpx, sent on lean
keep-alive connections, see ``rawhttp.py``): signed with ``AkSkAuth`` straight to the
emulator (``/v1/{project}/demanager/instances/{id}``), and through the extension
(``/devenv/api/instances/current``) as a JupyterLab page calls it, with the login cookie
and the XSRF token. The same PUT body goes both ways; direct and proxied blocks
alternate so that drift of a shared machine hits both alike.

Rows: PUT and GET with the emulator answering at once, sequential (one keep-alive
connection) and at concurrency 32; a sequential PUT the extension rejects (400) before any
upstream call, Jupyter's floor (the extra hop and Jupyter's own handling of a PUT:
cookie, XSRF, body), which the proxied PUT's overhead cannot go below; and, last, the
sequential PUT with the emulator answering after 20 ms (its ``latency`` fault), an
in-region round trip, which is what a user's click waits for.

Targets: proxied PUT p50 over direct PUT p50 with the upstream 20 ms away at most 1.15
(the headline, last line); the proxied GET, served from the extension's cache
(``cache_ttl`` 5 s), faster than the direct GET.

    python benchmarks/bench_proxy.py [--requests 2000] [--slow-requests 400] [--rounds 4] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any, Callable, Dict, List, Tuple

import httpx
from common import QUICK, cpu_seconds, load_line, median, ms, percentile, table
from jupyter_stack import ProcessStack
from rawhttp import Connection, serialize

from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.modelarts.auth import AkSkAuth

CONCURRENCY = 32
REJECTED = "PUT rejected"  # a PUT the extension refuses (400) before any upstream call: Jupyter's floor
SLOW_MS = 20  # the emulator's answer delay for the headline rows: an in-region round trip
SLOW = f"sequential, upstream +{SLOW_MS} ms"
TARGET_RATIO = 1.15  # proxied / direct PUT p50 with the upstream SLOW_MS away


class Paths:
    """The two ways to the same instance: how to build (and sign) a request for each."""

    def __init__(self, stack: ProcessStack) -> None:
        assert stack.emulator is not None and stack.server is not None
        iid = stack.instance_id
        self.urls = {
            "direct": f"{stack.emulator.url}/v1/{PROJECT_ID}/demanager/instances/{iid}",
            "proxied": f"{stack.server.api}/instances/current",
        }
        self.ports = {"direct": stack.emulator.port, "proxied": stack.server.port}
        self.direct_auth = AkSkAuth(ACCESS_KEY, SECRET_KEY, PROJECT_ID)
        self.proxied_headers = browser_headers(stack)

    def build(self, path: str, method: str, i: int) -> bytes:
        """The wire bytes of request ``i``: signed for the emulator, with the token for Jupyter."""
        if method == REJECTED:
            method, kwargs = "PUT", {"json": {"description": f"bench <{i}>"}}  # '<' is not allowed
        else:
            kwargs = {"json": body_for(i)} if method == "PUT" else {}
        headers = {"Accept": "application/json"}
        if path == "direct":
            request = httpx.Request(method, self.urls[path], headers=headers, **kwargs)
            return serialize(request, self.direct_auth)
        return serialize(
            httpx.Request(method, self.urls[path], headers={**headers, **self.proxied_headers}, **kwargs)
        )


def browser_headers(stack: ProcessStack) -> Dict[str, str]:
    """What a JupyterLab page sends: the login cookie and the XSRF token (header and cookie)."""
    assert stack.server is not None
    login = httpx.get(f"{stack.server.url}/?token={stack.server.token}", follow_redirects=False, timeout=30)
    pairs = [c.split(";", 1)[0] for c in login.headers.get_list("Set-Cookie")]
    xsrf = next(p.split("=", 1)[1] for p in pairs if p.startswith("_xsrf="))
    return {"Cookie": "; ".join(pairs), "X-XSRFToken": xsrf}


def body_for(i: int) -> Dict[str, Any]:
    """The PUT body: a real change each time (the description), the same on both paths."""
    return {"description": f"bench {i % 1000}"}


async def _client(paths: Paths, path: str, method: str, numbers, out: List[float]) -> None:
    """One keep-alive connection sending requests numbered from ``numbers`` until it runs out."""
    conn = await Connection("127.0.0.1", paths.ports[path]).open()
    try:
        await conn.send(paths.build(path, "GET", 0))  # the connection is warm before timing
        for i in numbers:
            raw = paths.build(path, method, i)  # building and signing is not timed
            t0 = time.perf_counter()
            status, body = await conn.send(raw)
            out.append(time.perf_counter() - t0)
            if status != (400 if method == REJECTED else 200):
                raise RuntimeError(f"{path} {method}: {status} {body[:300]!r}")
    finally:
        await conn.close()


def run(paths: Paths, path: str, method: str, n: int, start: int, concurrency: int) -> List[float]:
    out: List[float] = []
    numbers = iter(range(start, start + n))

    async def main() -> None:
        await asyncio.gather(*(_client(paths, path, method, numbers, out) for _ in range(concurrency)))

    asyncio.run(main())
    return out


def run_sequential(paths: Paths, path: str, method: str, n: int, start: int) -> List[float]:
    return run(paths, path, method, n, start, 1)


def run_concurrent(paths: Paths, path: str, method: str, n: int, start: int) -> List[float]:
    return run(paths, path, method, n, start, CONCURRENCY)


Runner = Callable[[Paths, str, str, int, int], List[float]]


def measure(
    paths: Paths, runner: Runner, method: str, n: int, rounds: int, pids: Dict[str, int]
) -> Dict[str, Tuple[List[float], float, Dict[str, float]]]:
    """Latencies, wall time and the servers' CPU seconds per path, in alternating blocks of n / rounds."""
    lat: Dict[str, List[float]] = {"direct": [], "proxied": []}
    wall = {"direct": 0.0, "proxied": 0.0}
    cpu = {path: {name: 0.0 for name in pids} for path in lat}
    block = max(1, n // rounds)
    runner(paths, "direct", method, min(100, block), 0)  # warm-up, not counted
    runner(paths, "proxied", method, min(100, block), 0)
    for r in range(rounds):
        order = ("direct", "proxied") if r % 2 == 0 else ("proxied", "direct")
        for path in order:
            c0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
            t0 = time.perf_counter()
            lat[path] += runner(paths, path, method, block, r * block)
            wall[path] += time.perf_counter() - t0
            for name, pid in pids.items():
                cpu[path][name] += cpu_seconds(pid) - c0[name]
    return {p: (lat[p], wall[p], cpu[p]) for p in lat}


def add_rows(
    rows: List[List[Any]],
    results: Dict[str, Dict[str, float]],
    mode: str,
    method: str,
    got: Dict[str, Tuple[List[float], float, Dict[str, float]]],
) -> None:
    for path in ("direct", "proxied"):
        lat, wall, cpu = got[path]
        p50, p99 = median(lat), percentile(lat, 99)
        results[f"{mode}/{method}/{path}"] = {"p50": p50, "p99": p99}
        rows.append(
            [
                mode,
                method,
                path,
                len(lat),
                ms(p50),
                ms(p99),
                f"{len(lat) / wall:.0f}",
                ms(cpu["jupyter"] / len(lat)),
                ms(cpu["emulator"] / len(lat)),
            ]
        )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=2000,
        help="requests per path, method and mode with no upstream latency (default 2000)",
    )
    parser.add_argument(
        "--slow-requests",
        type=int,
        default=400,
        help=f"PUTs per path with the emulator answering after {SLOW_MS} ms (default 400)",
    )
    parser.add_argument("--rounds", type=int, default=4, help="alternating direct/proxied blocks")
    parser.add_argument("--quick", action="store_true", help="400 and 100 requests")
    args = parser.parse_args()
    quick = args.quick or QUICK
    n, n_slow = (400, 100) if quick else (args.requests, args.slow_requests)

    with ProcessStack(backend="demanager", app="jupyter_server", devenv={"cache_ttl": 5.0}) as stack:
        assert stack.emulator is not None and stack.server is not None
        paths = Paths(stack)
        pids = {"jupyter": stack.server.pid, "emulator": stack.emulator.pid}
        print(load_line())
        rows: List[List[Any]] = []
        results: Dict[str, Dict[str, float]] = {}
        reads: Dict[str, int] = {}
        for mode, runner in (("sequential", run_sequential), (f"concurrency {CONCURRENCY}", run_concurrent)):
            for method in ("PUT", "GET"):
                stack.emulator.control.reset_stats()
                add_rows(rows, results, mode, method, measure(paths, runner, method, n, args.rounds, pids))
                upstream = stack.emulator.control.stats()["requests"]
                reads[mode] = sum(v for k, v in upstream.items() if k.startswith("GET "))
            if mode == "sequential":
                c0 = cpu_seconds(stack.server.pid)
                t0 = time.perf_counter()
                lat = run_sequential(paths, "proxied", REJECTED, n, 0)
                wall, cpu_j = time.perf_counter() - t0, cpu_seconds(stack.server.pid) - c0
                results["floor"] = {"p50": median(lat)}
                rows.append(
                    [
                        mode,
                        REJECTED,
                        "proxied",
                        len(lat),
                        ms(median(lat)),
                        ms(percentile(lat, 99)),
                        f"{len(lat) / wall:.0f}",
                        ms(cpu_j / len(lat)),
                        ms(0.0),
                    ]
                )
        stack.emulator.control.faults(latency=SLOW_MS / 1000)
        add_rows(rows, results, SLOW, "PUT", measure(paths, run_sequential, "PUT", n_slow, args.rounds, pids))
        stack.emulator.control.clear_faults()
    report(rows, results, reads, n, n_slow)
    return 0


def report(
    rows: List[List[Any]], results: Dict[str, Dict[str, float]], reads: Dict[str, int], n: int, n_slow: int
) -> None:
    print(
        f"Proxy overhead: {n} requests per row ({n_slow} with the emulator answering after {SLOW_MS} ms), "
        "emulator and Jupyter server in their own processes, load generator in this process; cache_ttl 5 s"
    )
    print(
        table(
            [
                "mode",
                "method",
                "path",
                "requests",
                "p50 ms",
                "p99 ms",
                "req/s",
                "Jupyter CPU ms/req",
                "emulator CPU ms/req",
            ],
            rows,
        )
    )
    for mode, g in reads.items():
        print(f"{mode}: upstream GETs while measuring GET (direct ones included): {g}")
    print()
    print("Ratios (proxied / direct) and differences (proxied - direct):")
    lines = []
    pairs = [(m, x) for m in ("sequential", f"concurrency {CONCURRENCY}") for x in ("PUT", "GET")]
    for mode, method in pairs + [(SLOW, "PUT")]:
        d, p = results[f"{mode}/{method}/direct"], results[f"{mode}/{method}/proxied"]
        lines.append(
            [
                mode,
                method,
                f"{p['p50'] / d['p50']:.2f}",
                f"{(p['p50'] - d['p50']) * 1000:+.2f}",
                f"{p['p99'] / d['p99']:.2f}",
                f"{(p['p99'] - d['p99']) * 1000:+.2f}",
            ]
        )
    print(table(["mode", "method", "p50 ratio", "p50 diff ms", "p99 ratio", "p99 diff ms"], lines))
    put = results["sequential/PUT/proxied"]["p50"] - results["sequential/PUT/direct"]["p50"]
    floor = results["floor"]["p50"]
    get_ratio = results["sequential/GET/proxied"]["p50"] / results["sequential/GET/direct"]["p50"]
    slow_d, slow_p = results[f"{SLOW}/PUT/direct"]["p50"], results[f"{SLOW}/PUT/proxied"]["p50"]
    print(
        f"sequential PUT, no upstream latency: proxied - direct = {put * 1000:.2f} ms = Jupyter's floor "
        f"{floor * 1000:.2f} ms (the '{REJECTED}' row: one more hop and Jupyter's handling of a PUT, no "
        f"upstream call) + {(put - floor) * 1000:.2f} ms for the upstream call inside the extension"
    )
    print(f"sequential PUT, upstream +{SLOW_MS} ms: proxied - direct = {(slow_p - slow_d) * 1000:.2f} ms")
    print(f"target: cached GET faster than direct: p50 ratio {get_ratio:.2f} -> {verdict(get_ratio < 1.0)}")
    print(
        "RESULT "
        + json.dumps(
            {
                "bench": "proxy",
                "put_p50_ratio": round(slow_p / slow_d, 3),
                "put_p50_direct_ms": round(slow_d * 1000, 3),
                "put_p50_proxied_ms": round(slow_p * 1000, 3),
                "put_p50_diff_ms_no_latency": round(put * 1000, 3),
                "jupyter_floor_ms": round(floor * 1000, 3),
                "get_p50_ratio": round(get_ratio, 3),
            }
        )
    )
    print(
        f"ratio: proxied/direct PUT p50 with the emulator answering after {SLOW_MS} ms: "
        f"{slow_p * 1000:.2f} / {slow_d * 1000:.2f} ms = {slow_p / slow_d:.3f} (target <= {TARGET_RATIO}) "
        f"-> {verdict(slow_p / slow_d <= TARGET_RATIO)}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
