"""Faults: every emulator fault switch, alone and mixed, while clients poll and update.

For each scenario a few clients poll ``GET instances/current`` and others update
(``PUT`` prompt/description/auto-stop, ``POST extend``) for a short window while the
emulator misbehaves. Then:

- the server never crashes or hangs: every request gets an answer within
  ``request_timeout x (retries + 1)`` per upstream exchange plus the backoff (and a
  generous allowance for a busy machine: this is a hang detector, not a speed test),
  a JSON answer, and only the errors the armed faults explain;
- it recovers on the next call once the faults are cleared;
- it never reports a deadline the API did not give: every ``stop_timestamp`` in any
  answer is one that the emulator's instance actually had at some point (recorded
  inside the emulator after every call that touched the instance);
- no secret of any instance shows in an answer, a header or a log line.
"""

from __future__ import annotations

import asyncio
import json
import time
from contextlib import contextmanager
from typing import Any, Dict, List, Set, Tuple

import httpx
import pytest

from jupyter_devenv.emulator.app import IAM_DOMAIN, IAM_PASSWORD, IAM_USER
from jupyter_devenv.emulator.fake_secrets import secret_values
from jupyter_devenv.emulator.store import BACKENDS as EMULATED_BACKENDS

RETRIES = 2
MAX_BACKOFF = 8.0  # AsyncModelArtsClient's cap on one backoff delay
BUSY_MACHINE_ALLOWANCE = 10.0  # seconds on top of the computed bound: shared CI machines stall
WINDOW = 1.0  # seconds during which clients keep starting requests under the faults

# Each fault and the errors (status, code) it may explain. ``None`` code: any code with that status.
EXPLAINS = {
    "latency": {(504, "DEVENV.UPSTREAM_TIMEOUT")},
    "error_rate": {(500, "ModelArts.6200")},
    "rate_limit": {(429, "APIGW.0308")},
    "unavailable": {(503, "APIGW.0203")},
    "malformed": {(502, "DEVENV.UPSTREAM_MALFORMED")},
    "drop": {(502, "DEVENV.UPSTREAM_UNREACHABLE")},
    "expire_tokens": set(),  # an IAM token is renewed on the 401: no error at all
}
# (backend, auth, faults): each switch alone (on one backend each, alternating), then mixes on both.
SCENARIOS = [
    ("demanager", "aksk", {"latency": 0.8}),  # over request_timeout: timeouts, retried, then 504
    ("notebooks", "aksk", {"latency": 0.2}),  # under it: slow answers, no error
    ("notebooks", "aksk", {"error_rate": 0.5, "seed": 7}),
    ("demanager", "aksk", {"rate_limit": {"count": 12, "retry_after": 0.2}}),
    ("notebooks", "aksk", {"unavailable": 12}),
    ("demanager", "aksk", {"malformed": 12}),
    ("notebooks", "aksk", {"drop": 12}),
    ("demanager", "iam", {"expire_tokens": True}),
    ("notebooks", "iam", {"expire_tokens": True}),
]
MIXED = {
    "latency": 0.05,
    "error_rate": 0.2,
    "seed": 3,
    "rate_limit": {"count": 4, "retry_after": 0},
    "unavailable": 4,
    "malformed": 4,
    "drop": 4,
}
SCENARIOS += [(b, "aksk", MIXED) for b in ("demanager", "notebooks")]
SCENARIOS += [(b, "iam", {**MIXED, "expire_tokens": True}) for b in ("demanager", "notebooks")]


def request_timeout(faults: Dict[str, Any]) -> float:
    """Short where the scenario means upstream timeouts; otherwise long enough that a busy machine
    does not time out by itself (a 504 there would be an error the faults do not explain)."""
    return 0.5 if faults.get("latency", 0) >= 0.5 else 3.0


def _scenario_id(scenario: Tuple[str, str, Dict[str, Any]]) -> str:
    backend, auth, faults = scenario
    return f"{backend}-{auth}-{'+'.join(faults)}"


@pytest.fixture(params=SCENARIOS, ids=_scenario_id)
def scenario(request):
    return request.param


@pytest.fixture
def backend(scenario) -> str:  # overrides conftest's parametrized one
    return scenario[0]


@pytest.fixture
def devenv_config(emulator, backend, instance_id, scenario):
    config = {
        "endpoint": emulator.url,
        "project_id": emulator.emulator.project_id,
        "instance_id": instance_id,
        "backend": backend,
        "retries": RETRIES,
        "request_timeout": request_timeout(scenario[2]),
        "cache_ttl": 0.2,
    }
    if scenario[1] == "iam":
        config.update(iam_endpoint=emulator.url, user=IAM_USER, password=IAM_PASSWORD, domain=IAM_DOMAIN)
    else:
        config.update(access_key=emulator.emulator.access_key, secret_key=emulator.emulator.secret_key)
    return config


@pytest.fixture
def deadlines(emulator) -> Set[int]:
    """Every deadline (ms) any instance had: at the start and after every call that touched it."""
    store = emulator.emulator.store
    seen: Set[int] = set()
    for backend, instances in emulator.emulator.instances().items():
        for inst in instances:
            due = EMULATED_BACKENDS[backend].deadline(inst)
            if due is not None:
                seen.add(due)
    original = store.instance

    @contextmanager
    def recording(backend: str, instance_id: str):
        with original(backend, instance_id) as inst:
            try:
                yield inst
            finally:
                due = EMULATED_BACKENDS[backend].deadline(inst)
                if due is not None:
                    seen.add(due)

    store.instance = recording
    yield seen
    del store.instance


def hang_bound(faults: Dict[str, Any], exchanges: int) -> float:
    """Seconds within which a request that makes ``exchanges`` upstream calls must be answered."""
    retry_after = faults.get("rate_limit", {}).get("retry_after", 0)
    backoff = sum(min(MAX_BACKOFF, max(0.25 * 2**a, retry_after)) for a in range(RETRIES))
    per_exchange = (
        request_timeout(faults) * (RETRIES + 1) * 2 + backoff
    )  # x2: an IAM login may precede a call
    return exchanges * per_exchange + BUSY_MACHINE_ALLOWANCE


class Clients:
    """Pollers and updaters on the server's own loop, each request bounded by ``hang_bound``."""

    def __init__(self, base: str, headers: Dict[str, str], backend: str, faults: Dict[str, Any]) -> None:
        self.http = httpx.AsyncClient(base_url=base, headers=headers, limits=httpx.Limits(max_connections=50))
        self.backend = backend
        self.faults = faults
        self.answers: List[Tuple[str, int, Any, float]] = []  # (what, status, body, seconds)
        self.seen_text: List[str] = []

    async def call(self, method: str, path: str, body: Any = None, exchanges: int = 1) -> Tuple[int, Any]:
        bound = hang_bound(self.faults, exchanges)
        t0 = time.monotonic()
        try:
            r = await asyncio.wait_for(self.http.request(method, path, json=body, timeout=bound + 5), bound)
        except (asyncio.TimeoutError, httpx.TimeoutException):
            raise AssertionError(
                f"{method} {path} {body} got no answer within {bound:.1f} s: the server hangs"
            ) from None
        elapsed = time.monotonic() - t0
        self.seen_text.append(json.dumps(dict(r.headers)) + "\n" + r.text)
        assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
        answer = r.json()
        self.answers.append((f"{method} {path} {json.dumps(body)}", r.status_code, answer, elapsed))
        return r.status_code, answer

    async def poller(self, until: float) -> None:
        while True:  # at least one request, however late this starts on a busy machine
            await self.call("GET", "instances/current")
            if time.monotonic() >= until:
                return
            await asyncio.sleep(0.02)

    async def updater(self, k: int, until: float) -> None:
        round_ = 0
        while round_ == 0 or time.monotonic() < until:  # at least one round
            round_ += 1
            if self.backend == "notebooks":
                choice = round_ % 3
                if choice == 0:
                    # clients extend by different times: allow_earlier, else most would be refused as earlier
                    body = {"seconds": 3600 + 60 * (k * 7 + round_), "allow_earlier": True}
                    await self.call("POST", "instances/current/extend", body, exchanges=2)
                else:
                    body = {"spec": {"auto_stop": {"prompt": bool(choice % 2)}}}
                    await self.call("PUT", "instances/current", body)
            else:
                bodies = [
                    {"description": f"client {k} round {round_}"},
                    {"spec": {"auto_stop": {"enable": False}}},
                    {"spec": {"auto_stop": {"enable": True, "duration": 3600 + 60 * k}}},
                    {"spec": {"auto_stop": {"prompt": bool(round_ % 2)}}},
                ]
                await self.call("PUT", "instances/current", bodies[(k + round_) % len(bodies)])
                if round_ % 5 == 0:
                    await self.call("POST", "instances/current/extend", {"seconds": 7200}, exchanges=0)

    async def aclose(self) -> None:
        await self.http.aclose()


def explained(faults: Dict[str, Any], status: int, code: str) -> bool:
    if status == 409 and code in ("DEVENV.EXTEND_UNSUPPORTED",):
        return True
    allowed: Set[Tuple[int, str]] = set()
    for name in faults:
        allowed |= EXPLAINS.get(name, set())
    if faults.get("latency", 0) < request_timeout(faults):
        allowed.discard((504, "DEVENV.UPSTREAM_TIMEOUT"))
    return (status, code) in allowed


async def test_faults_while_clients_poll_and_update(
    scenario,
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_auth_header,
    upstream,
    emulator,
    deadlines,
    server_log,
):
    backend, auth, faults = scenario
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}devenv/api/"
    clients = Clients(base, dict(jp_auth_header), backend, faults)
    try:
        status, first = await clients.call("GET", "instances/current")
        assert status == 200, first  # healthy before the faults
        rejected_before = upstream.stats()["rejected"]
        upstream.faults(**faults)
        until = time.monotonic() + WINDOW
        await asyncio.gather(
            *[clients.poller(until) for _ in range(4)], *[clients.updater(k, until) for k in range(4)]
        )
        under_faults = clients.answers[1:]
        faulted = upstream.stats()["rejected"] - rejected_before
        left = upstream.http.get("/faults").json()  # counted faults still armed

        # Recovery: the first calls after the faults are cleared succeed.
        upstream.clear_faults()
        status, state = await clients.call("GET", "instances/current")
        assert status == 200, state
        if backend == "notebooks":
            status, state = await clients.call(
                "POST", "instances/current/extend", {"seconds": 5400, "allow_earlier": True}, exchanges=2
            )
        else:
            status, state = await clients.call(
                "PUT", "instances/current", {"spec": {"auto_stop": {"enable": True, "duration": 5400}}}
            )
        assert status == 200, state
        status, config = await clients.call("GET", "config")
        assert status == 200 and config["instance_id"], config
    finally:
        await clients.aclose()
        upstream.clear_faults()

    assert len(under_faults) >= 8, under_faults  # every client did work under the faults
    # The faults were hit: rejections (errors, 401s, dropped connections) or counted faults used up
    # (a malformed answer is a 200, not a rejection); latency alone rejects nothing, it is just late.
    used = [
        name for name in ("unavailable", "malformed", "drop") if name in faults and left[name] < faults[name]
    ]
    if "rate_limit" in faults and left["rate_limit"]["count"] < faults["rate_limit"]["count"]:
        used.append("rate_limit")
    if set(faults) - {"latency"}:
        assert faulted > 0 or used, "the faults were never hit"
    unexplained = [
        (what, status, body)
        for what, status, body, _ in under_faults
        if status >= 400 and not explained(faults, status, body.get("error_code", ""))
    ]
    assert not unexplained, unexplained[:5]

    # Never a deadline the API did not give.
    reported = [
        (what, body["auto_stop"]["stop_timestamp"])
        for what, status, body, _ in clients.answers
        if status == 200 and "auto_stop" in body
    ]
    assert reported
    invented = [(what, ts) for what, ts in reported if ts is not None and ts not in deadlines]
    assert not invented, (invented[:5], sorted(deadlines)[-5:])

    # Never a crash in the log, never a secret anywhere.
    assert not [line for line in server_log if "Traceback" in line or "Uncaught exception" in line]
    secrets = [emulator.emulator.access_key, emulator.emulator.secret_key, emulator.emulator.iam_password]
    for instances in upstream.http.get("/instances").json()["instances"].values():
        for inst in instances:
            secrets += secret_values(inst)
    text = "\n".join(clients.seen_text + server_log)
    assert not sorted({s[:16] for s in secrets if s in text})


def test_hang_bound_is_a_real_bound():
    """The bound grows with the exchanges and with Retry-After, as the client's backoff does."""
    assert hang_bound({}, 2) > hang_bound({}, 1) > BUSY_MACHINE_ALLOWANCE
    assert hang_bound({"rate_limit": {"retry_after": 5}}, 1) > hang_bound({}, 1) + 5
    assert not explained({"latency": 0.2}, 504, "DEVENV.UPSTREAM_TIMEOUT")
    assert explained({"latency": 0.8}, 504, "DEVENV.UPSTREAM_TIMEOUT")
    assert not explained({"drop": 1}, 500, "DEVENV.HTTP_500")
