"""Fuzzing the REST API: Hypothesis bodies and ids, and schemathesis against ``openapi.yaml``.

Every answer must be: never 5xx; a 4xx is a JSON error with a code; a valid request does
what the oracle (the OpenAPI schema, read strictly, plus the rule it cannot express)
says; nothing invalid reaches the emulator (its request counter is unchanged); and no
secret of any emulated instance shows in an answer, a header or a log line.

The server runs on pytest-jupyter's loop; the examples are driven from a worker thread
over real HTTP (``asyncio.to_thread``), so Hypothesis runs as usual (shrinking included)
while the loop keeps serving. ``JUPYTER_DEVENV_FUZZ_EXAMPLES=N`` runs N examples per
fuzzer instead of the defaults (2,000 Hypothesis cases in all, plus schemathesis' and the
explicit ones) and draws them at random instead of from the fixed seed.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import httpx
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import jupyter_devenv.server
from jupyter_devenv.emulator.fake_secrets import secret_values

SPEC = yaml.safe_load((Path(jupyter_devenv.server.__file__).parent / "openapi.yaml").read_text())
FUZZ_EXAMPLES = int(os.environ.get("JUPYTER_DEVENV_FUZZ_EXAMPLES") or 0)
VALIDATION_CODES = {
    "ModelArts.6334",
    "ModelArts.6335",
    "ModelArts.6336",
    "ModelArts.6348",
    "ModelArts.6349",
    "DEVENV.BAD_JSON",
    "DEVENV.BODY_TOO_LARGE",
    "DEVENV.BAD_CONTENT_TYPE",
}
ID_PATTERN = re.compile(r"current|[A-Za-z0-9][A-Za-z0-9-]{0,63}")  # the openapi.yaml pattern, fully matched


def n_examples(default: int) -> int:
    return FUZZ_EXAMPLES or default


def per_backend(backend: str, **defaults: int) -> int:
    return defaults[backend]


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=n_examples(default),
        deadline=None,
        database=None,
        derandomize=not FUZZ_EXAMPLES,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


@pytest.fixture
def devenv_config(emulator, backend, instance_id):
    """conftest's settings, with a timeout no busy machine reaches: every upstream call counts here."""
    emu = emulator.emulator
    return {
        "endpoint": emulator.url,
        "project_id": emu.project_id,
        "instance_id": instance_id,
        "access_key": emu.access_key,
        "secret_key": emu.secret_key,
        "backend": backend,
        "retries": 2,
        "request_timeout": 60.0,
        "cache_ttl": 5.0,
    }


# -- the oracle: openapi.yaml read strictly ---------------------------------------------------------
def _strict_validator(schema: Dict[str, Any]) -> jsonschema.Validator:
    """JSON Schema's "integer" admits 3600.0 and, in Python, True; ModelArts takes neither."""
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _, v: isinstance(v, int) and not isinstance(v, bool)
    )
    strict = jsonschema.validators.extend(base, type_checker=checker)
    return strict({**schema, "components": SPEC["components"]})


UPDATE_SCHEMA = _strict_validator(
    SPEC["paths"]["/instances/{instance_id}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
)
EXTEND_SCHEMA = _strict_validator(
    SPEC["paths"]["/instances/{instance_id}/extend"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
)
STATE_SCHEMA = _strict_validator({"$ref": "#/components/schemas/State"})
ERROR_SCHEMA = _strict_validator({"$ref": "#/components/schemas/Error"})


def _encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def update_is_valid(body: Any) -> bool:
    if not UPDATE_SCHEMA.is_valid(body):
        return False
    auto = body.get("spec", {}).get("auto_stop", {})
    if auto.get("enable") is True and "duration" not in auto:  # the rule a schema cannot say
        return False
    return _encodable(body)  # a lone surrogate is not text ModelArts could store


def parse(raw: bytes) -> Tuple[bool, Any]:
    try:
        return True, json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False, None


# -- strategies -------------------------------------------------------------------------------------
JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats() | st.text(max_size=20)
JSON = st.recursive(
    JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
DURATIONS = (
    st.integers(3000, 90000)
    | st.sampled_from([3599, 3600, 86400, 86401, 0, -1, 3600.0, "3600", True])
    | JSON_LEAVES
)
DESCRIPTIONS = (
    st.text(max_size=40)
    | st.text(alphabet="ab&<>\"'/\\ \x00é中\ud800", max_size=10)
    | st.integers(500, 530).map(lambda n: "x" * n)
    | JSON_LEAVES
)


@st.composite
def update_bodies(draw) -> Any:
    """Mostly near-valid update bodies; sometimes any JSON at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    body: Dict[str, Any] = {}
    if draw(st.booleans()):
        body["description"] = draw(DESCRIPTIONS)
    if draw(st.integers(0, 4)):
        auto: Dict[str, Any] = {}
        for key, values in (
            ("enable", st.booleans() | JSON_LEAVES),
            ("duration", DURATIONS),
            ("prompt", st.booleans() | JSON_LEAVES),
        ):
            if draw(st.booleans()):
                auto[key] = draw(values)
        if draw(st.integers(0, 9)) == 0:
            auto[draw(st.text(min_size=1, max_size=12))] = draw(JSON_LEAVES)
        spec: Dict[str, Any] = {"auto_stop": auto} if draw(st.integers(0, 9)) else {}
        if draw(st.integers(0, 14)) == 0:
            spec[draw(st.sampled_from(["flavor", "credential", "x"]))] = draw(JSON_LEAVES)
        body["spec"] = spec if draw(st.integers(0, 14)) else draw(JSON)
    if draw(st.integers(0, 14)) == 0:
        body[draw(st.text(min_size=1, max_size=12))] = draw(JSON_LEAVES)
    return body


def encodings(values) -> st.SearchStrategy:
    """Raw request bodies: the JSON text of a value (ASCII or UTF-8), or broken bytes."""

    def encode(value: Any, ascii_only: bool) -> bytes:
        text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
        return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes invalid UTF-8

    encoded = st.tuples(values, st.booleans()).map(lambda t: encode(*t))
    broken = (
        st.binary(max_size=40)
        | encoded.map(lambda b: b[: len(b) // 2])
        | st.sampled_from(
            [
                b"",
                b"[" * 5000,
                b'{"spec": ' * 3000,
                b'{"description": "a\\ud800b"}',
                b"NaN",
                b'{"a": 1e999}',
                b"\xff\xfe{}",
                b'{"description": "ok"}\x00',
            ]
        )
    )
    return st.one_of(encoded, encoded, encoded, broken)


ID_TEXT = st.one_of(
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9-]{0,70}\Z"),
    st.text(max_size=80),
    st.text(alphabet="DE-.%/\\?#&;: \x00\n\t~é", max_size=12),
    st.sampled_from(["current", "Current", "current ", ".", "..", "-DE", "DE-" + "0" * 61, "DE-" + "0" * 62]),
)


# -- driving the live server from a thread ----------------------------------------------------------
class Live:
    """Sync HTTP to the running server (from a worker thread) and the checks every answer gets."""

    def __init__(self, base: str, headers: Dict[str, str], upstream: Any, emulator: Any) -> None:
        self.base = base
        self.http = httpx.Client(headers=headers, timeout=30)
        self.upstream = upstream
        # The emulator's own counters (what GET /_emulator/stats answers), read in-process: cheaper.
        self.stats = emulator.emulator.stats.snapshot
        self.seen: List[str] = []  # every answer's headers and body, for the secrets check
        self.cases = 0
        self.last_stats: Optional[Dict[str, Any]] = None

    def call(
        self, method: str, path: str, raw: Optional[bytes] = None, content_type: str = "application/json"
    ) -> Tuple[int, Any, Dict[str, int]]:
        """(status, decoded JSON body, upstream change {"total", "rejected"}) for one request."""
        # Only this thread makes the server call upstream, so the last reading is "before".
        before = self.last_stats or self.stats()
        headers = {"Content-Type": content_type} if raw is not None else {}
        r = self.http.request(method, self.base + path, content=raw, headers=headers)
        after = self.last_stats = self.stats()
        self.cases += 1
        self.seen.append(json.dumps(dict(r.headers)) + "\n" + r.text)
        assert r.status_code < 500, (method, path, raw, r.status_code, r.text)
        assert r.headers.get("Content-Type", "").startswith("application/json"), (path, r.headers)
        answer = r.json()
        if r.status_code >= 400:
            ERROR_SCHEMA.validate(answer)
            assert answer["error_code"] and answer["error_msg"].strip()
        elif r.status_code == 200 and path.startswith("instances/"):
            STATE_SCHEMA.validate(answer)
        change = {
            "total": after["total"] - before["total"],
            "rejected": after["rejected"] - before["rejected"],
        }
        return r.status_code, answer, change

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def live(
    jp_serverapp,
    http_server_client,
    jp_http_port,
    jp_base_url,
    jp_auth_header,
    upstream,
    emulator,
    server_log,
):
    """A ``Live`` client; at the end, no secret of any instance in what it saw or in the log."""
    client = Live(
        f"http://127.0.0.1:{jp_http_port}{jp_base_url}devenv/api/", dict(jp_auth_header), upstream, emulator
    )
    yield client
    client.close()
    print(f"\n{client.cases} requests")  # (pytest -rP shows it)
    assert client.cases, "no request was made"
    secrets = [emulator.emulator.access_key, emulator.emulator.secret_key]
    for instances in upstream.http.get("/instances").json()["instances"].values():
        for inst in instances:
            secrets += secret_values(inst)
    assert len(secrets) > 6
    text = "\n".join(client.seen + server_log)
    leaked = sorted({s[:16] for s in secrets if s in text})
    assert not leaked, f"secrets in answers or log: {leaked}"
    assert not [line for line in server_log if "Traceback" in line or "Uncaught exception" in line]


def _quote_id(instance_id: str) -> str:
    # "." and ".." would be resolved away by the URL; send them encoded like everything else.
    return quote(instance_id, safe="").replace(".", "%2E")


# -- the fuzzers ------------------------------------------------------------------------------------
async def test_fuzz_update_bodies(live, backend):
    """PUT instances/current with generated bodies: 200/409 exactly when the oracle says valid."""

    @fuzz_settings(per_backend(backend, demanager=800, notebooks=350))
    @given(raw=encodings(update_bodies()))
    @example(raw=b"[" * 60000)  # nested too deeply for json.loads: was a 500
    @example(raw=b'{"description": "\\ud800"}')  # a lone surrogate: was a 500 (UTF-8 encoding upstream)
    @example(raw=json.dumps({"description": "x" * 70000}).encode())
    @example(raw=b'{"spec": {"auto_stop": {"enable": true, "duration": 3600, "prompt": false}}}')
    @example(raw=b'{"spec": {"auto_stop": {"prompt": true}}}')
    def check(raw: bytes) -> None:
        status, answer, change = live.call("PUT", "instances/current", raw)
        ok, body = parse(raw)
        if not ok or len(raw) > 64 * 1024 or not update_is_valid(body):
            assert 400 <= status < 500 and answer["error_code"] in VALIDATION_CODES, (raw, status, answer)
            assert change["total"] == 0, (raw, "an invalid body reached the emulator")
            return
        auto = body.get("spec", {}).get("auto_stop", {})
        if backend == "notebooks" and ("description" in body or "enable" in auto or "duration" in auto):
            assert (status, answer["error_code"]) == (409, "DEVENV.UNSUPPORTED"), answer
            assert change["total"] == 0
            return
        assert status == 200, (raw, answer)
        assert change == {"total": 1, "rejected": 0}, (raw, change)
        got = answer["auto_stop"]
        for key in ("enable", "duration", "prompt"):
            if key in auto:
                assert got[key] == auto[key], (key, auto, got)
        if "description" in body:
            assert answer["instance"]["description"] == body["description"]

    await asyncio.to_thread(check)


async def test_fuzz_extend_bodies(live, backend):
    """POST instances/current/extend: a lease renewal on notebooks, 409 on demanager, 4xx if invalid."""
    bodies = st.one_of(
        st.fixed_dictionaries({"seconds": DURATIONS | st.integers(3600, 259200)}),
        st.fixed_dictionaries({"seconds": st.integers(3000, 260000)}, optional={"x": JSON_LEAVES}),
        JSON,
    )
    left: Dict[str, Optional[int]] = {"ms": None}  # time to the stop after the last renewal

    @fuzz_settings(per_backend(backend, demanager=150, notebooks=250))
    @given(raw=encodings(bodies))
    @example(raw=b'{"seconds": 259200}')
    @example(raw=b'{"seconds": 259201}')
    def check(raw: bytes) -> None:
        status, answer, change = live.call("POST", "instances/current/extend", raw)
        ok, body = parse(raw)
        if not ok or not EXTEND_SCHEMA.is_valid(body):
            assert 400 <= status < 500 and answer["error_code"] in VALIDATION_CODES, (raw, status, answer)
            assert change["total"] == 0, (raw, "an invalid body reached the emulator")
            return
        if backend == "demanager":
            assert (status, answer["error_code"]) == (409, "DEVENV.EXTEND_UNSUPPORTED")
            assert change["total"] == 0
            return
        if status == 409:  # a renewal that would stop it earlier than an earlier extend did: read only
            assert (answer["error_code"], answer["field"]) == ("DEVENV.EXTEND_EARLIER", "seconds"), raw
            assert left["ms"] is not None and body["seconds"] * 1000 < left["ms"], (raw, left)
            assert change == {"total": 1, "rejected": 0}, (raw, change)
            return
        assert status == 200, (raw, answer)
        assert change == {"total": 3, "rejected": 0}, (raw, change)  # read the lease, renew it, read it back
        left["ms"] = answer["auto_stop"]["stop_timestamp"] - answer["server_time"]
        assert left["ms"] <= body["seconds"] * 1000 + 2000

    await asyncio.to_thread(check)


async def test_fuzz_instance_ids(live, backend, instance_id):
    """Any id in the path: invalid ones answer 4xx, and other instances' 403, without a request upstream."""
    methods = st.sampled_from(
        [
            ("GET", "", None),
            ("PUT", "", b'{"spec": {"auto_stop": {"prompt": true}}}'),
            ("POST", "/extend", b'{"seconds": 7200}'),
        ]
    )

    @fuzz_settings(per_backend(backend, demanager=250, notebooks=200))
    @given(instance=ID_TEXT | st.just(instance_id), call=methods)
    @example(instance="", call=("GET", "", None))
    @example(instance="a/b", call=("GET", "", None))
    @example(instance="..", call=("PUT", "", b'{"description": "x"}'))
    @example(instance="DE-00000000-0000-0000-0000-000000000000", call=("GET", "", None))
    def check(instance: str, call: Tuple[str, str, Optional[bytes]]) -> None:
        method, tail, raw = call
        status, answer, change = live.call(method, f"instances/{_quote_id(instance)}{tail}", raw)
        if not ID_PATTERN.fullmatch(instance):
            if instance == "":  # instances/ (or instances//extend) is no route at all
                assert status == 404, (instance, status, answer)
            else:
                assert (status, answer["error_code"], answer.get("field")) == (
                    400,
                    "ModelArts.6336",
                    "instance_id",
                ), answer
            assert change["total"] == 0, (instance, "an invalid id reached the emulator")
            return
        if instance not in ("current", instance_id):  # not the chosen instance: refused here
            assert (status, answer["error_code"]) == (403, "DEVENV.INSTANCE_NOT_ALLOWED"), answer
            assert change["total"] == 0, (instance, "another instance's id reached the emulator")
        elif method == "POST" and backend == "demanager":
            assert status == 409
        else:
            assert status == 200, answer

    await asyncio.to_thread(check)


async def test_unknown_paths_and_methods_answer_json(live):
    for method, path, expected in [
        ("GET", "", 404),
        ("POST", "instances", 405),
        ("DELETE", "instances", 405),
        ("GET", "instances/", 404),
        ("GET", "nope", 404),
        ("PUT", "instances/current/extend", 405),
        ("GET", "instances/current/x", 404),
        ("DELETE", "instances/current", 405),
        ("PATCH", "config", 405),
        ("POST", "config", 405),
    ]:
        status, answer, change = await asyncio.to_thread(live.call, method, path)
        assert status == expected, (method, path, status)
        assert answer["error_code"] == f"DEVENV.HTTP_{status}"
        assert change["total"] == 0


async def test_wrong_content_types(live):
    for ctype in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
        "application/jsonx",
        "multipart/form-data",
    ):
        status, answer, change = await asyncio.to_thread(
            live.call, "PUT", "instances/current", b'{"description": "x"}', ctype
        )
        # tornado itself refuses a multipart body without a boundary (400), before the handler
        expected = ((415, "DEVENV.BAD_CONTENT_TYPE"), (400, "DEVENV.HTTP_400"))
        assert (status, answer["error_code"]) in expected, ctype
        assert change["total"] == 0


# -- schemathesis against openapi.yaml -------------------------------------------------------------
def _schemathesis_checks():
    from schemathesis import checks

    return [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        checks.negative_data_rejection,
    ]


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)  # one schema; the backends are fuzzed above
@pytest.mark.parametrize("mode", ["positive", "negative"])
async def test_schemathesis(live, mode, jp_http_port, jp_base_url, jp_auth_header):
    """Every operation of openapi.yaml, with schemathesis' generated calls (valid and invalid).

    Its checks: no 5xx, status codes, content types and answers as the spec says, and
    invalid data rejected; ours: invalid data never reaches the emulator.
    """
    import requests
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_path(Path(jupyter_devenv.server.__file__).parent / "openapi.yaml")
    base_url = f"http://127.0.0.1:{jp_http_port}{jp_base_url}devenv/api"
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    checks = _schemathesis_checks()
    ran: Dict[str, int] = {}
    session = requests.Session()  # keep-alive, as our own fuzzers do

    def run_operation(operation) -> None:
        @fuzz_settings(25)
        @given(case=operation.as_strategy(generation_mode=generation))
        def check(case) -> None:
            live.last_stats = None
            before = live.stats()["total"]
            response = case.call(base_url=base_url, headers=dict(jp_auth_header), session=session)
            live.cases += 1
            live.seen.append(json.dumps(dict(response.headers)) + "\n" + response.text)
            case.validate_response(response, checks=checks)
            mode_of_case = getattr(case.meta.generation, "mode", None) if case.meta is not None else None
            negative = mode_of_case == GenerationMode.NEGATIVE
            if negative and response.status_code < 300:
                raise AssertionError(f"an invalid call was accepted: {case.as_curl_command()}")
            if (
                response.status_code >= 400
                and response.status_code != 409
                and response.json().get("error_code") not in ("ModelArts.6309",)
            ):
                assert live.stats()["total"] == before, "an invalid call reached the emulator"
            ran[operation.label] = ran.get(operation.label, 0) + 1

        check()

    def run_all() -> None:
        for result in schema.get_all_operations():
            operation = result.ok()
            if mode == "negative" and operation.label in (
                "GET /config",
                "GET /instances",
                "GET /holds",
                "DELETE /holds/{hold_id}",
            ):
                continue  # no parameter and no body, or any text: nothing to make invalid
            run_operation(operation)

    await asyncio.to_thread(run_all)
    # Every operation of the spec ran (the negative mode has nothing to break in GET config, instances, holds
    # nor in DELETE holds/{hold_id}).
    expected = {
        "GET /instances/{instance_id}",
        "PUT /instances/{instance_id}",
        "POST /instances/{instance_id}/extend",
        "GET /locale/{locale}",
        "PUT /config",
        "POST /holds",
    }
    if mode == "positive":
        expected |= {"GET /config", "GET /instances", "GET /holds", "DELETE /holds/{hold_id}"}
    assert expected <= set(ran), ran
