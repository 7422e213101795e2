"""Load: 500 concurrent clients against the proxy, with the emulator injecting errors.

The emulator and the Jupyter server run as their own processes (``tests/jupyter_stack.py``);
this process opens 500 keep-alive connections (``benchmarks/rawhttp.py``) that poll
``GET instances/current`` and now and then ``PUT`` a prompt change, for a bounded time:
3 s by default, 30 s with ``JUPYTER_DEVENV_LOAD_SECONDS=30`` (or any number).
The emulator fails 5 % of its calls (500 ModelArts.6200, seeded).

- no error other than the one the emulator injected (and no dropped connection);
- the server process's memory stays flat: start and end RSS are printed (``pytest -s``
  or ``-rP``), and only a generous bound is asserted (end < start + 100 MB);
- no secret of the instance in any answer or in the server's log.
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import List

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from common import rss_mb
from jupyter_stack import ProcessStack
from rawhttp import Connection, serialize

from jupyter_devenv.emulator.app import ACCESS_KEY, SECRET_KEY
from jupyter_devenv.emulator.fake_secrets import MARKER, secret_values

CLIENTS = 500
SECONDS = float(os.environ.get("JUPYTER_DEVENV_LOAD_SECONDS") or 3)
ERROR_RATE = 0.05
INJECTED = {(500, "ModelArts.6200")}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with ProcessStack(backend="demanager", app="jupyter_server", tmp=tmp_path_factory.mktemp("load"),
                      devenv={"cache_ttl": 1.0, "retries": 2, "request_timeout": 5.0}) as running:
        yield running


async def _client(k: int, port: int, requests: List[bytes], until: float, outcomes: Counter, errors: list,
                  opened: asyncio.Semaphore) -> None:
    async with opened:  # open the connections a few at a time (the listen backlog is small)
        conn = await Connection("127.0.0.1", port).open()
    try:
        i = k
        while time.monotonic() < until:
            raw = requests[i % len(requests)]
            i += 1
            status, body = await conn.send(raw)
            if MARKER.encode() in body or MARKER.encode() in conn.last_head:
                errors.append(("secret in an answer", status, conn.last_head[:200], body[:200]))
            if status == 200:
                outcomes["200"] += 1
                continue
            try:
                code = json.loads(body).get("error_code", "")
            except ValueError:
                code = "not JSON"
            outcomes[f"{status} {code}"] += 1
            if (status, code) not in INJECTED:
                errors.append((status, code, body[:300]))
            await asyncio.sleep(0.01)
    except (ConnectionError, asyncio.IncompleteReadError) as exc:
        errors.append(("connection lost", type(exc).__name__, str(exc)))
    finally:
        await conn.close()


def test_500_clients_no_foreign_errors_flat_memory(stack):
    server, emulator = stack.server, stack.emulator
    url = f"{server.api}/instances/current"
    headers = {**server.auth, "Accept": "application/json"}
    get = serialize(httpx.Request("GET", url, headers=headers))
    puts = [serialize(httpx.Request("PUT", url, headers=headers, json={"spec": {"auto_stop": {"prompt": p}}}))
            for p in (True, False)]
    requests = [get] * 18 + puts  # one PUT in ten

    async def load(seconds: float, outcomes: Counter, errors: list) -> None:
        until = time.monotonic() + seconds
        opened = asyncio.Semaphore(50)
        await asyncio.gather(*(_client(k, server.port, requests, until, outcomes, errors, opened)
                               for k in range(CLIENTS)))

    # Warm up (imports, caches, connection pools) before the first reading of memory.
    warm: Counter = Counter()
    asyncio.run(load(0.5, warm, []))
    start_rss = rss_mb(server.pid)
    emulator.faults(error_rate=ERROR_RATE, seed=11)
    outcomes: Counter = Counter()
    errors: list = []
    t0 = time.monotonic()
    asyncio.run(load(SECONDS, outcomes, errors))
    elapsed = time.monotonic() - t0
    emulator.clear_faults()
    end_rss = rss_mb(server.pid)
    total = sum(outcomes.values())
    print(f"\nload: {CLIENTS} clients for {SECONDS:.0f} s ({elapsed:.1f} s with ramp-up): {total} requests, "
          f"{total / elapsed:.0f}/s; outcomes {dict(outcomes)}; upstream {emulator.stats()['total']} calls")
    print(f"server RSS: start {start_rss:.1f} MB, end {end_rss:.1f} MB, change {end_rss - start_rss:+.1f} MB")

    assert server.proc.poll() is None, "the server died"
    assert not errors, errors[:5]
    assert outcomes["200"] > CLIENTS, outcomes  # every client got answers
    assert end_rss < start_rss + 100, (start_rss, end_rss)
    r = httpx.get(url, headers=server.auth, timeout=10)  # and it still answers, fault-free
    assert r.status_code == 200, r.text
    secrets = secret_values(emulator.raw_instance(stack.instance_id)) + [ACCESS_KEY, SECRET_KEY]
    log = server.log_text()
    assert not [s[:12] for s in secrets if s in log]
    assert "Traceback" not in log, log[-3000:]
