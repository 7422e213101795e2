"""``GET devenv/api/instances``: the project's instances of both API generations, for a picker."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from test_openapi import _response_schema, _validate

from jupyter_devenv.emulator.fake_secrets import secret_values

SUMMARY_KEYS = {"id", "name", "status", "flavor", "backend", "phase", "stop_timestamp", "remain_time"}
NOTEBOOKS_LIST = re.compile(r"^/v1/[^/]+/notebooks(/|$)")
NO_API = {"error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been published."}


class Gate:
    """A forwarder to the emulator that answers 404 (no such API) for the paths ``blocked`` matches.

    Headers are passed on unchanged, so the signatures stay valid; the emulator's ``Date`` too.
    """

    def __init__(self, upstream: str, blocked: re.Pattern) -> None:
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if blocked.match(self.path.split("?")[0]):
                    status, content, date = 404, json.dumps(NO_API).encode(), self.date_time_string()
                else:
                    answer = gate.http.request(
                        self.command, upstream + self.path, content=body, headers=dict(self.headers)
                    )
                    status, content, date = answer.status_code, answer.content, answer.headers["Date"]
                self.send_response_only(status)
                for name, value in (
                    ("Content-Type", "application/json"),
                    ("Date", date),
                    ("Content-Length", str(len(content))),
                    ("Connection", "close"),
                ):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_PUT = do_POST = do_PATCH = _forward

            def log_message(self, *args) -> None:
                pass

        self.http = httpx.Client(trust_env=False, timeout=10)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()


@pytest.fixture
def listing_backend() -> str:
    return "auto"  # the API generation found per instance (the default): the picker lists both


@pytest.fixture
def devenv_config(devenv_config, listing_backend):
    return {**devenv_config, "backend": listing_backend}


def _listed(upstream):
    """Every instance the emulator keeps, rendered as the API shows it, by backend."""
    return upstream.http.get("/instances").json()["instances"]


async def test_every_instance_of_both_generations_redacted_and_ordered(api, upstream):
    status, answer = await api("GET", "instances")
    assert status == 200, answer
    _validate(answer, _response_schema("/instances", "get", 200))
    raw = _listed(upstream)
    assert {s["id"] for s in answer["instances"]} == {i["id"] for b in raw.values() for i in b}
    assert answer["partial"] is None
    for s in answer["instances"]:
        assert set(s) == SUMMARY_KEYS
        inst = next(i for i in raw[s["backend"]] if i["id"] == s["id"])
        assert (s["name"], s["status"], s["flavor"]) == (inst["name"], inst["status"], inst["flavor"])
    order = [(s["status"] != "RUNNING", s["name"].lower()) for s in answer["instances"]]
    assert order == sorted(order) and order[0][0] is False and order[-1][0] is True
    text = json.dumps(answer)
    secrets = [v for b in raw.values() for i in b for v in secret_values(i)]
    assert len(secrets) >= 8 and not [v[:12] for v in secrets if v in text]


async def test_the_deadline_follows_the_rules_of_the_state(api, upstream, instance_id, backend, emulator):
    """The running instances stop an hour after the seed: 120 s later, 3480 s are left; the stopped
    ones and the one with an IDLE lease have no stop time."""
    upstream.advance(120)
    status, answer = await api("GET", "instances")
    assert status == 200
    seeds = emulator.emulator.seed_ids
    left = {
        seeds["demanager_running"]: 3480,
        seeds["notebooks_running"]: 3480,
        seeds["notebooks_idle"]: None,
        seeds["demanager_stopped"]: None,
        seeds["notebooks_stopped"]: None,
    }
    assert {s["id"] for s in answer["instances"]} == set(left)
    for s in answer["instances"]:
        if left[s["id"]] is None:
            assert (s["stop_timestamp"], s["remain_time"]) == (None, None), s
        else:  # less by the test's own seconds
            assert left[s["id"]] - 10 <= s["remain_time"] <= left[s["id"]], s
            assert abs(s["stop_timestamp"] - answer["server_time"] - s["remain_time"] * 1000) <= 1000, s
    raw = upstream.instance(seeds["demanager_running"])
    listed = next(s for s in answer["instances"] if s["id"] == seeds["demanager_running"])
    assert listed["stop_timestamp"] == raw["spec"]["auto_stop"]["stop_timestamp"]
    mine = next(s for s in answer["instances"] if s["id"] == instance_id)
    _, state = await api("GET", "instances/current")
    assert mine["stop_timestamp"] == state["auto_stop"]["stop_timestamp"] and mine["status"] == "RUNNING"
    assert mine["phase"] == "running"
    stopped = next(s for s in answer["instances"] if s["id"] == seeds["demanager_stopped"])
    assert (stopped["phase"], stopped["stop_timestamp"]) == ("stopped", None)
    assert 3000 < mine["remain_time"] <= 3600 - 120


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
@pytest.mark.parametrize("listing_backend", ["demanager", "notebooks"])
async def test_a_fixed_backend_lists_its_own_generation_only(api, upstream, listing_backend):
    """c.DevEnv.backend fixed: the other generation's instances could not be used, so not listed."""
    status, answer = await api("GET", "instances")
    assert status == 200, answer
    assert {s["backend"] for s in answer["instances"]} == {listing_backend}
    assert len(answer["instances"]) == len(_listed(upstream)[listing_backend])
    assert answer["partial"] is None


async def test_every_page_is_followed(api, upstream):
    for n in range(60):  # ListNotebooks gives at most 50 a page; the demanager list is asked 100 a page
        seed = {"backend": "notebooks", "name": f"nb-{n:02d}"}
        upstream.http.post("/instances", json=seed).raise_for_status()
    for n in range(110):
        upstream.http.post("/instances", json={"name": f"de-{n:03d}", "status": "STOPPED"}).raise_for_status()
    upstream.http.delete("/stats")
    status, answer = await api("GET", "instances")
    assert status == 200 and answer["partial"] is None
    everything = sum(map(len, _listed(upstream).values()))
    assert everything > 60 + 110 and len(answer["instances"]) == everything
    assert len({s["id"] for s in answer["instances"]}) == everything
    requests = upstream.stats()["requests"]
    assert {k.rsplit("/", 1)[-1]: n for k, n in requests.items()} == {"notebooks": 2, "instances": 2}


async def test_pickers_opening_at_once_share_one_listing(api, upstream):
    upstream.faults(latency=0.5)  # the listing is still in flight when the last of them asks
    upstream.http.delete("/stats")
    # ten: as many as the test's HTTP client sends at once
    results = await asyncio.gather(*(api("GET", "instances") for _ in range(10)))
    assert {status for status, _ in results} == {200}
    assert upstream.total() == 2  # one page of each generation


class TestWithoutTheCurrentApi:
    """An account or region without the notebooks API: its calls answer 404."""

    @pytest.fixture
    def gate(self, emulator):
        gate = Gate(emulator.url, NOTEBOOKS_LIST)
        yield gate
        gate.close()

    @pytest.fixture
    def devenv_config(self, devenv_config, gate):
        return {**devenv_config, "endpoint": gate.url}

    @pytest.mark.parametrize("backend", ["demanager"], indirect=True)
    async def test_the_older_apis_instances_and_a_plain_partial(self, api, upstream):
        status, answer = await api("GET", "instances")
        assert status == 200, answer
        _validate(answer, _response_schema("/instances", "get", 200))
        assert {s["backend"] for s in answer["instances"]} == {"demanager"}
        assert len(answer["instances"]) == len(_listed(upstream)["demanager"])
        partial = answer["partial"]
        assert "Only part of the project is listed" in partial and "current API (notebooks)" in partial
        assert "not available to this account or region" in partial and "404" in partial

    @pytest.mark.parametrize("backend", ["demanager"], indirect=True)
    async def test_both_failing_differently_is_one_error_naming_both(self, api, upstream):
        upstream.faults(deny=["list"])  # and the demanager list refused by the IAM policy
        status, error = await api("GET", "instances")
        assert status == 502 and error["error_code"] == "DEVENV.LIST_FAILED", error
        assert "current API (notebooks)" in error["error_msg"] and "404" in error["error_msg"]
        assert "older API (demanager)" in error["error_msg"] and "ModelArts.0203" in error["error_msg"]
        assert "modelarts:notebook:list" in error["error_msg"]


async def test_a_policy_without_the_list_action_is_the_apis_own_403(api, upstream):
    upstream.faults(deny=["list"])
    status, error = await api("GET", "instances")
    assert status == 403 and error["error_code"] == "ModelArts.0203", error
    assert "modelarts:notebook:list" in error["error_msg"]
    status, _ = await api("GET", "instances/current")  # reading the chosen instance is another action
    assert status == 200
