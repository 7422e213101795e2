"""Only allowed fields leave the server: redact() on instance objects shaped like the APIs'."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_devenv.emulator import demanager, notebooks
from jupyter_devenv.emulator.fake_secrets import MARKER, secret_values
from jupyter_devenv.modelarts.redact import redact

NOW = 1_700_000_000_000
NEW = "NEWSECRET-2027-marker"  # a value a future API might add under a name nobody guessed

# Written out here, not taken from redact.ALLOWED: dropping a field the UI or the kernel
# API reads must fail a test. Each backend's full allowed object, every field set.
DEMANAGER_ALLOWED = {
    "id": "DE-7d558ef8-c73d-11ea-964c-0255ac100033",
    "name": "notebook-ml",
    "status": "RUNNING",
    "flavor": "modelarts.bm.gpu.v100NV32",
    "description": "machine learning notebook",
    "creation_timestamp": "1594887749962",
    "latest_update_timestamp": "1594888070775",
    "profile": {"name": "Python3"},
    "spec": {
        "auto_stop": {
            "enable": True,
            "duration": 3600,
            "prompt": True,
            "stop_timestamp": 1594891408723,
            "remain_time": 3336,
        }
    },
}
NOTEBOOKS_ALLOWED = {
    "id": "0f4ea5c3-8b69-4a43-9f3b-2a1b8a2c1f2e",
    "name": "nb",
    "status": "RUNNING",
    "flavor": "modelarts.vm.cpu.2u",
    "description": "",
    "create_at": NOW - 3_600_000,
    "update_at": NOW,
    "create_time": NOW - 3_600_000,
    "update_time": NOW,
    "lease": {
        "enable": True,
        "duration": 7_200_000,
        "type": "TIMING",
        "create_at": NOW,
        "update_at": NOW,
        "create_time": NOW,
        "update_time": NOW,
    },
}


def with_unknown_fields(allowed: dict) -> dict:
    """``allowed`` plus fields the server does not know, at every level, holding ``NEW``."""
    out = copy.deepcopy(allowed)
    out.update(
        {
            "token": NEW,
            "url": f"https://notebook.example/lab?token={NEW}",
            "ssh_private_key": NEW,
            "endpoints": [{"uri": "host:22", "credential": {"ssh_private_key": NEW}}],
            "pool": {"id": "pool-1", "secret": NEW},
            "billing_items": [NEW],
            "new_field_2027": {"x": NEW},
            "credential": {"access_key": NEW},
        }
    )
    profile = out.setdefault("profile", {})
    profile.update({"id": "Python3-gpu", "provision": {"spec": {"token": NEW}}, "new_field_2027": NEW})
    spec = out.setdefault("spec", {})
    spec.update(
        {
            "credential": {"access_key": NEW, "secret_key": NEW},
            "new_field_2027": NEW,
            "repository": {"connection_info": {"url": "git@x:y.git", "ssh_private_key": NEW}},
        }
    )
    spec.setdefault("auto_stop", {}).update({"new_field_2027": NEW, "webhook": {"token": NEW}})
    out.setdefault("lease", {}).update({"new_field_2027": NEW, "owner": {"ssh_private_key": NEW}})
    return out


def test_every_allowed_field_survives_with_its_value():
    assert redact(DEMANAGER_ALLOWED) == DEMANAGER_ALLOWED
    assert redact(NOTEBOOKS_ALLOWED) == NOTEBOOKS_ALLOWED


@pytest.mark.parametrize("allowed", [DEMANAGER_ALLOWED, NOTEBOOKS_ALLOWED], ids=["demanager", "notebooks"])
def test_unknown_fields_at_every_level_are_dropped(allowed):
    instance = with_unknown_fields(allowed)
    assert NEW in json.dumps(instance)  # the fixture really carries them
    result = redact(instance)
    assert NEW not in json.dumps(result)
    expected = copy.deepcopy(allowed)
    expected.setdefault("profile", {})
    expected.setdefault("spec", {}).setdefault("auto_stop", {})
    expected.setdefault("lease", {})
    assert result == expected


@pytest.mark.parametrize(
    "module,instance_id,block",
    [
        (
            demanager,
            DEMANAGER_ALLOWED["id"],
            {"enable": True, "duration": 3600, "prompt": True, "stop_timestamp": NOW},
        ),
        (
            notebooks,
            NOTEBOOKS_ALLOWED["id"],
            {"enable": True, "duration": 3_600_000, "type": "TIMING", "create_at": NOW, "update_at": NOW},
        ),
    ],
    ids=["demanager", "notebooks"],
)
def test_the_emulators_seeded_secrets_never_survive(module, instance_id, block):
    instance = module.render(module.new_instance(instance_id, NOW, "RUNNING", block), NOW)
    assert len(secret_values(instance)) >= 3
    result = redact(instance)
    assert MARKER not in json.dumps(result)
    assert result["id"] == instance_id and result["flavor"] == instance["flavor"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", {"first": NEW}),
        ("description", [NEW]),
        ("id", {"id": NEW}),
        ("create_at", [1, NEW]),
    ],
)
def test_a_scalar_field_holding_an_object_or_list_is_dropped(field, value):
    result = redact({**NOTEBOOKS_ALLOWED, field: value})
    assert field not in result
    assert NEW not in json.dumps(result)


@pytest.mark.parametrize(
    "path,value",
    [
        (("spec", "auto_stop", "duration"), {"seconds": NEW}),
        (("lease", "type"), [NEW]),
        (("profile", "name"), {"text": NEW}),
    ],
)
def test_a_nested_scalar_field_holding_an_object_is_dropped(path, value):
    instance = copy.deepcopy({**DEMANAGER_ALLOWED, "lease": NOTEBOOKS_ALLOWED["lease"]})
    node = instance
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    result = redact(instance)
    node = result
    for key in path[:-1]:
        node = node[key]
    assert path[-1] not in node
    assert NEW not in json.dumps(result)


@pytest.mark.parametrize("block", ["profile", "spec", "lease"])
@pytest.mark.parametrize("value", [NEW, [NEW], 5, None])
def test_a_block_that_is_not_an_object_is_dropped(block, value):
    result = redact({"id": "x", block: value})
    assert result == {"id": "x"}


def test_input_is_not_mutated_and_result_shares_nothing():
    instance = with_unknown_fields(DEMANAGER_ALLOWED)
    before = copy.deepcopy(instance)
    result = redact(instance)
    assert instance == before
    result["spec"]["auto_stop"]["duration"] = 1
    result["profile"]["name"] = "changed"
    assert instance == before


# Every path an answer may hold, written out: anything else in a result is a leak.
ALLOWED_PATHS = (
    {
        (k,)
        for k in (
            "id",
            "name",
            "status",
            "flavor",
            "description",
            "create_at",
            "update_at",
            "create_time",
            "update_time",
            "creation_timestamp",
            "latest_update_timestamp",
            "profile",
            "spec",
            "lease",
        )
    }
    | {("profile", "name"), ("spec", "auto_stop")}
    | {("spec", "auto_stop", k) for k in ("enable", "duration", "prompt", "stop_timestamp", "remain_time")}
    | {
        ("lease", k)
        for k in ("enable", "duration", "type", "create_at", "update_at", "create_time", "update_time")
    }
)


def _paths(value, prefix=()):
    for key, inner in value.items():
        yield prefix + (key,)
        if isinstance(inner, dict):
            yield from _paths(inner, prefix + (key,))


_SENTINEL = "SENTINEL-SECRET-VALUE-9f8e7d"
_keys = st.sampled_from(
    [
        "id",
        "name",
        "status",
        "flavor",
        "spec",
        "auto_stop",
        "lease",
        "profile",
        "duration",
        "enable",
        "url",
        "token",
        "credential",
        "items",
        "new_field_2027",
    ]
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.just(_SENTINEL),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=16,
)


def _at(value, path):
    for key in path:
        value = value[key]
    return value


@settings(max_examples=200, deadline=None, database=None)
@given(st.dictionaries(_keys, _json, max_size=6))
def test_any_tree_comes_out_as_allowed_paths_and_the_inputs_scalars(tree):
    before = copy.deepcopy(tree)
    result = redact(tree)
    assert tree == before
    assert set(_paths(result)) <= ALLOWED_PATHS
    for path in _paths(result):
        value = _at(result, path)
        if not isinstance(value, dict):
            assert isinstance(value, (str, int, float, bool, type(None)))
            assert value == _at(tree, path)


# ------------------------------------------------------------------ through the server, against the emulator


def _plant_unknown_fields(emulator, backend: str, instance_id: str) -> None:
    """Fields a future ModelArts might add, at every level of the stored instance."""
    with emulator.emulator.store.instance(backend, instance_id) as inst:
        inst.update(token=NEW, url=f"https://nb.example/?token={NEW}", billing_items=[{"key": NEW}])
        inst.setdefault("spec", {})["new_field_2027"] = NEW
        inst.setdefault("profile", {})["new_field_2027"] = {"ssh_private_key": NEW}
        block = inst["spec"]["auto_stop"] if backend == "demanager" else inst["lease"]
        block["new_field_2027"] = NEW


async def test_the_answers_instance_has_exactly_the_allowed_fields_of_the_upstream_object(
    api, upstream, emulator, backend, instance_id
):
    _plant_unknown_fields(emulator, backend, instance_id)
    for method, body in (("GET", None), ("PUT", {"spec": {"auto_stop": {"prompt": False}}})):
        status, answer = await api(method, "instances/current", body)
        assert status == 200, answer
        raw = upstream.instance(instance_id)
        assert NEW in json.dumps(raw) and secret_values(raw)  # upstream does hold them
        instance = answer["instance"]
        assert set(_paths(instance)) == set(_paths(raw)) & ALLOWED_PATHS
        for path in _paths(instance):
            if path[-1] == "remain_time" or isinstance(_at(raw, path), dict):
                continue  # counted from the emulator's clock at each read; an object: its leaves are checked
            assert _at(instance, path) == _at(raw, path), path
        dumped = json.dumps(answer)
        assert NEW not in dumped and MARKER not in dumped
