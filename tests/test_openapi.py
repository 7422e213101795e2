"""``openapi.yaml`` is kept true: every route is in it, every answer matches it."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

import jupyter_devenv.server
from jupyter_devenv.server.handlers import ROUTES

SPEC = yaml.safe_load((Path(jupyter_devenv.server.__file__).parent / "openapi.yaml").read_text())
PREFIX = "/devenv/api"


def _schema(ref_or_schema):
    """A schema that resolves ``#/components/...`` against the whole spec."""
    return {**ref_or_schema, "components": SPEC["components"]}


def _validate(instance, schema):
    jsonschema.Draft202012Validator(_schema(schema)).validate(instance)


def _route_to_template(pattern: str) -> str:
    path = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", pattern[len(PREFIX) :])
    return re.sub(r"\(\[\^/\]\+\)", "{instance_id}", path)


def test_every_route_and_method_is_described():
    described = {
        path: {m for m in ops if m in ("get", "put", "post", "patch", "delete")}
        for path, ops in SPEC["paths"].items()
    }
    served = {}
    for pattern, handler in ROUTES:
        methods = {m for m in ("get", "put", "post", "patch", "delete") if m in vars(handler)}
        served[_route_to_template(pattern)] = methods
    assert served == described


def _response_schema(path: str, method: str, status: int):
    responses = SPEC["paths"][path][method]["responses"]
    entry = responses.get(str(status), responses["default"])
    if "$ref" in entry:
        entry = SPEC["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
    return entry["content"]["application/json"]["schema"]


CALLS = [
    ("get", "/instances/{instance_id}", "instances/current", None),
    ("put", "/instances/{instance_id}", "instances/current", {"spec": {"auto_stop": {"prompt": False}}}),
    ("put", "/instances/{instance_id}", "instances/current", {"description": "a/b"}),
    ("put", "/instances/{instance_id}", "instances/current", {"spec": {"auto_stop": {"enable": True}}}),
    ("post", "/instances/{instance_id}/extend", "instances/current/extend", {"seconds": 7200}),
    ("post", "/instances/{instance_id}/extend", "instances/current/extend", {"seconds": 1}),
    ("get", "/instances/{instance_id}", "instances/DE-00000000-0000-0000-0000-000000000000", None),
    ("get", "/config", "config", None),
    ("put", "/config", "config", {"instance_id": "DE-00000000-0000-0000-0000-000000000000"}),
    ("put", "/config", "config", {"instance_id": "a b"}),
    ("get", "/instances", "instances", None),
    ("get", "/locale/{locale}", "locale/zh-CN", None),
    ("get", "/locale/{locale}", "locale/fr", None),
    ("post", "/holds", "holds", {"reason": "training", "max_seconds": 600}),
    ("post", "/holds", "holds", {"reason": "training", "max_seconds": 30}),
    ("get", "/holds", "holds", None),
    ("delete", "/holds/{hold_id}", "holds/0000000000000000", None),
]


@pytest.mark.parametrize("method,template,path,body", CALLS)
async def test_answers_match_the_spec(api, method, template, path, body):
    status, answer = await api(method.upper(), path, body)
    _validate(answer, _response_schema(template, method, status))


BODIES = [
    {"description": "ok"},
    {"description": "x" * 512},
    {"description": "x" * 513},
    {"description": "a<b"},
    {"spec": {"auto_stop": {"enable": True, "duration": 3600}}},
    {"spec": {"auto_stop": {"enable": False}}},
    {"spec": {"auto_stop": {"duration": 86401}}},
    {"spec": {"auto_stop": {"prompt": "no"}}},
    {"spec": {}},
    {},
    {"other": 1},
    {"spec": {"auto_stop": {"enable": True, "duration": 3600, "x": 1}}},
]


@pytest.mark.parametrize("body", BODIES)
def test_update_schema_agrees_with_the_validator(body):
    from jupyter_devenv.modelarts.errors import DevEnvError
    from jupyter_devenv.modelarts.models import validate_update_body

    schema = SPEC["paths"]["/instances/{instance_id}"]["put"]["requestBody"]["content"]["application/json"]
    try:
        validate_update_body(body)
        ours = True
    except DevEnvError:
        ours = False
    spec_ok = jsonschema.Draft202012Validator(_schema(schema["schema"])).is_valid(body)
    # The schema cannot say "duration is required when enable is true"; everything else agrees.
    needs_duration = body.get("spec", {}).get("auto_stop", {}).get(
        "enable"
    ) is True and "duration" not in body.get("spec", {}).get("auto_stop", {})
    assert ours == (spec_ok and not needs_duration)


HOLD_BODIES = [
    {"reason": "training", "max_seconds": 60},
    {"reason": "x" * 200, "max_seconds": 259200},
    {"reason": "x" * 201, "max_seconds": 600},
    {"reason": "", "max_seconds": 600},
    {"reason": " ", "max_seconds": 600},
    {"reason": "a\tb", "max_seconds": 600},
    {"reason": "a\x85b", "max_seconds": 600},
    {"reason": "é 训练", "max_seconds": 600},
    {"reason": "x", "max_seconds": 59},
    {"reason": "x", "max_seconds": 259201},
    {"reason": "x"},
    {"max_seconds": 60},
    {"reason": "x", "max_seconds": 60, "kernel_id": "4f1c-a.b_c"},
    {"reason": "x", "max_seconds": 60, "kernel_id": ""},
    {"reason": "x", "max_seconds": 60, "kernel_id": "a/b"},
    {"reason": "x", "max_seconds": 60, "other": 1},
    [],
]


@pytest.mark.parametrize("body", HOLD_BODIES)
def test_hold_schema_agrees_with_the_validator(body):
    from jupyter_devenv.modelarts.errors import DevEnvError
    from jupyter_devenv.server.holds import validate_hold_body

    schema = SPEC["paths"]["/holds"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    try:
        validate_hold_body(body)
        ours = True
    except DevEnvError:
        ours = False
    assert ours == jsonschema.Draft202012Validator(_schema(schema)).is_valid(body)
