"""Many keep-alive clients against the proxy while the emulator's faults are re-armed; the
Jupyter server's open fds and asyncio tasks before and after.

Shared by ``bench_load.py`` (500 clients, 30 s) and ``tests/test_reliability_load.py`` (a few
seconds). Each client sends, on its own connection (``rawhttp.py``), ``GET
/devenv/api/instances/current`` and one request in ten a ``PUT`` of a prompt change, with
the server token, ``PAUSE`` seconds apart (15 times a JupyterLab page's poll rate: back to
back, 500 clients saturate this 2-CPU machine, load generator and emulator included, and
PUTs then wait past their deadline: honest 504s, a capacity limit rather than a fault).
The emulator fails 5 % of its calls (seeded) throughout, and every ``ARM_EVERY`` seconds
the next step of ``SCHEDULE`` is armed: counted ``rate_limit``, ``unavailable``, ``drop``
and ``malformed`` faults, then a 50 ms ``latency``.

``CAUSED`` is what each fault may legitimately make the proxy answer, from
``jupyter_devenv/modelarts/client.py`` and ``server/handlers.py``: upstream errors pass
through with their status and code once retries (or the call's time) run out, a broken
or unreadable answer becomes 502; the latency armed here is far below an attempt's time,
so no fault here may cause a 504. Any other answer is a failure.

Server counts: open fds are the entries of ``/proc/<pid>/fd``; asyncio tasks are asked of
the server itself, through the test-only extension ``task_probe.py`` on one keep-alive
connection kept open throughout, so that connection's socket and tasks are in every
reading alike. The start is read after a fault-free warm-up (which also fills the
proxy's upstream connection pool) once the counts have stopped falling; the end once they
are back within ``FD_SLACK`` / ``TASK_SLACK`` of the start, or after ``SETTLE_TIMEOUT``.
Then one more PUT, on the quiet server: it must answer 200 and reach the emulator (a
proxy whose upstream pool is wedged would pass the counts and fail here).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Set, Tuple

import httpx
from common import rss_mb
from jupyter_stack import JupyterProcess, ProcessStack
from rawhttp import Connection, ProtocolError, serialize

from jupyter_devenv.emulator.fake_secrets import MARKER

HERE = Path(__file__).resolve().parent
EXTENSIONS = {"task_probe": HERE}  # for ProcessStack(extensions=...)
PAUSE = 2.0  # seconds between a client's requests
DEVENV = {"cache_ttl": 1.0, "retries": 2, "request_timeout": 10.0}  # the product's default budget
ERROR_RATE = 0.05
ARM_EVERY = 0.5
SCHEDULE: Tuple[Dict[str, Any], ...] = (
    {"rate_limit": {"count": 20, "retry_after": 1}},
    {"unavailable": 20},
    {"drop": 20},
    {"malformed": 20},
    {"latency": 0.05},  # slower answers, well within an attempt's time and what 20 connections carry
    {"latency": 0.0},
)
CAUSED: Dict[str, Set[str]] = {
    "error_rate": {"500 ModelArts.6200"},  # not retryable: passed through at once
    "rate_limit": {"429 APIGW.0308"},  # retried after Retry-After while retries and time last
    "unavailable": {"503 APIGW.0203"},  # retried likewise
    "drop": {"502 DEVENV.UPSTREAM_UNREACHABLE"},  # the connection closed without an answer
    "malformed": {"502 DEVENV.UPSTREAM_MALFORMED"},  # a 200 whose body is not JSON
    "latency": set(),  # as armed here it only slows answers: a 504 would be the proxy's own
}
FD_SLACK = 3
TASK_SLACK = 3
SETTLE_TIMEOUT = 20.0


def allowed_answers() -> Set[str]:
    """ "200" and what the faults armed here may cause: every other answer is a failure."""
    armed = {"error_rate"} | {name for step in SCHEDULE for name in step}
    return {"200"}.union(*(CAUSED[name] for name in armed))


class Counts(NamedTuple):
    fds: int
    tasks: int
    rss_mb: float


def settled(now: Counts, start: Counts) -> bool:
    """Fds and tasks back within the slack of the start."""
    return now.fds <= start.fds + FD_SLACK and now.tasks <= start.tasks + TASK_SLACK


class Probe:
    """Reads the server's counts; its one keep-alive connection stays open between readings."""

    def __init__(self, server: JupyterProcess) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, headers=server.auth, timeout=10)

    def read(self) -> Counts:
        fds = len(os.listdir(f"/proc/{self.server.pid}/fd"))
        tasks = self.http.get("/load-probe/tasks").json()["tasks"]
        return Counts(fds, tasks, rss_mb(self.server.pid))

    def steady(self, timeout: float = 10.0) -> Counts:
        """The counts once two readings 0.2 s apart are equal (or at ``timeout``)."""
        deadline, last = time.monotonic() + timeout, self.read()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now = self.read()
            if now[:2] == last[:2]:
                break
            last = now
        return last

    def back_to(self, start: Counts) -> Tuple[Counts, float]:
        """The counts once fds and tasks are within the slack of ``start`` (or at SETTLE_TIMEOUT), and
        how long that took."""
        t0 = time.monotonic()
        while True:
            now = self.read()
            if settled(now, start) or time.monotonic() - t0 > SETTLE_TIMEOUT:
                return now, time.monotonic() - t0
            time.sleep(0.1)

    def close(self) -> None:
        self.http.close()


@dataclass
class LoadRun:
    clients: int
    seconds: float
    elapsed: float = 0.0
    outcomes: Counter = field(default_factory=Counter)  # by (method, answer)
    messages: Dict[str, str] = field(default_factory=dict)  # an error_msg for each answer but 200
    failures: Counter = field(default_factory=Counter)  # what may not happen, by kind, with an example
    examples: Dict[str, str] = field(default_factory=dict)
    armed: Counter = field(default_factory=Counter)  # fault steps armed, by name
    upstream: Dict[str, Any] = field(default_factory=dict)  # the emulator's stats for the run
    start: Counts = Counts(0, 0, 0.0)
    middle: Counts = Counts(0, 0, 0.0)  # halfway through: the clients' connections open
    end: Counts = Counts(0, 0, 0.0)
    settle: float = 0.0
    after: str = ""  # the answer to one PUT once the load is over
    after_upstream: int = 0  # the upstream calls it made

    def fail(self, kind: str, example: str) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, example[:300])

    def answers(self) -> Counter:
        """Outcomes by answer, whatever the method."""
        out: Counter = Counter()
        for (_, answer), n in self.outcomes.items():
            out[answer] += n
        return out

    @property
    def requests(self) -> int:
        return sum(self.outcomes.values())


def outcome(status: int, body: bytes) -> Tuple[str, str]:
    """("200", "") or ("<status> <error_code>", error_msg); "<status> not JSON" for a body that is not
    an error object."""
    if status == 200:
        return "200", ""
    try:
        error = json.loads(body)
        return f"{status} {error.get('error_code', 'no error_code')}", str(error.get("error_msg", ""))
    except (ValueError, AttributeError):
        return f"{status} not JSON", repr(body[:200])


def requests_for(server: JupyterProcess) -> List[Tuple[str, bytes]]:
    """(method, wire bytes): GETs of the instance and, one in ten, a PUT of a prompt change."""
    url = f"{server.api}/instances/current"
    headers = {**server.auth, "Accept": "application/json"}
    get = serialize(httpx.Request("GET", url, headers=headers))
    puts = [
        serialize(httpx.Request("PUT", url, headers=headers, json={"spec": {"auto_stop": {"prompt": p}}}))
        for p in (True, False)
    ]
    return [("GET", get)] * 18 + [("PUT", put) for put in puts]


async def _client(
    k: int,
    port: int,
    requests: List[Tuple[str, bytes]],
    until: float,
    run: LoadRun,
    allowed: Set[str],
    opened: asyncio.Semaphore,
) -> None:
    async with opened:  # a few connections at a time: the listen backlog is small
        conn = await Connection("127.0.0.1", port).open()
    try:
        for i in itertools.count(k):
            if time.monotonic() >= until:
                break
            method, raw = requests[i % len(requests)]
            status, body = await conn.send(raw)
            if MARKER.encode() in body or MARKER.encode() in conn.last_head:
                run.fail("secret in an answer", f"{status} {conn.last_head[:200]!r} {body[:200]!r}")
            answer, message = outcome(status, body)
            run.outcomes[method, answer] += 1
            if answer != "200":
                run.messages.setdefault(answer, message)
                if answer not in allowed:
                    run.fail(f"{method} answered {answer}", repr(body[:300]))
            await asyncio.sleep(PAUSE)
    except (ConnectionError, asyncio.IncompleteReadError, ProtocolError) as exc:
        run.fail(f"connection: {type(exc).__name__}", str(exc))
    finally:
        await conn.close()


async def _arm(control: httpx.AsyncClient, until: float, run: LoadRun) -> None:
    """Arms the next step of SCHEDULE every ARM_EVERY seconds until ``until``."""
    for step in itertools.cycle(SCHEDULE):
        if time.monotonic() >= until:
            return
        (await control.post("/faults", json=step)).raise_for_status()
        run.armed.update(step.keys())
        await asyncio.sleep(ARM_EVERY)


async def _sample(probe: Probe, at: float, run: LoadRun) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    run.middle = await asyncio.to_thread(probe.read)


async def _load(stack: ProcessStack, run: LoadRun, probe: Optional[Probe] = None) -> None:
    """The load, with faults and a reading halfway through when ``probe`` is given."""
    assert stack.server is not None and stack.emulator is not None
    requests, allowed = requests_for(stack.server), allowed_answers() if probe else {"200"}
    t0 = time.monotonic()
    until = t0 + run.seconds
    opened = asyncio.Semaphore(50)
    async with httpx.AsyncClient(base_url=stack.emulator.url + "/_emulator", timeout=10) as control:
        clients = [
            _client(k, stack.server.port, requests, until, run, allowed, opened) for k in range(run.clients)
        ]
        if probe is not None:
            (await control.post("/faults", json={"error_rate": ERROR_RATE, "seed": 11})).raise_for_status()
            clients += [_arm(control, until, run), _sample(probe, t0 + run.seconds / 2, run)]
        try:
            await asyncio.gather(*clients)
        finally:
            (await control.delete("/faults")).raise_for_status()


def run_load(stack: ProcessStack, clients: int, seconds: float) -> LoadRun:
    """Warm up, read the start counts, run ``clients`` for ``seconds`` with faults, read the end counts."""
    assert stack.server is not None and stack.emulator is not None
    probe = Probe(stack.server)
    try:
        warm = LoadRun(clients, min(1.0, seconds))
        asyncio.run(_load(stack, warm))  # no faults; only its failures are kept
        run = LoadRun(clients, seconds)
        for kind, n in warm.failures.items():
            run.failures[f"warm-up, no faults: {kind}"] += n
            run.examples[f"warm-up, no faults: {kind}"] = warm.examples[kind]
        run.start = probe.steady()
        stack.emulator.control.reset_stats()
        t0 = time.monotonic()
        asyncio.run(_load(stack, run, probe))
        run.elapsed = time.monotonic() - t0
        run.upstream = stack.emulator.control.stats()
        run.end, run.settle = probe.back_to(run.start)
        stack.emulator.control.reset_stats()
        run.after = outcome(*_put(stack.server))[0]
        run.after_upstream = stack.emulator.control.stats()["total"]
    finally:
        probe.close()
    return run


def _put(server: JupyterProcess) -> Tuple[int, bytes]:
    r = httpx.put(
        f"{server.api}/instances/current",
        headers=server.auth,
        timeout=30,
        json={"spec": {"auto_stop": {"prompt": True}}},
    )
    return r.status_code, r.content
