"""Secrets never leave the server: redact() on instance objects shaped like the API's."""
from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_devenv.modelarts.redact import SECRET_KEYS, redact

OBS_AK = "AKSECRETOBS0000000001"
OBS_SK = "SKSECRETOBSabcdefghijklmnopqrstuvwxyz012345"
OBS_TOKEN = "STS-SECURITY-TOKEN-zzzzzzzzzzzzzzzzzzzz"
SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
GIT_TOKEN = "ghp_SECRETgittoken0123456789abcdefABCDEF"
TOP_SSH_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtop\n-----END RSA PRIVATE KEY-----\n"
TOP_GIT_TOKEN = "glpat-TOPSECRETtoken-xyz"
SECRETS = [OBS_AK, OBS_SK, OBS_TOKEN, SSH_KEY, GIT_TOKEN, TOP_SSH_KEY, TOP_GIT_TOKEN]


def make_instance() -> dict:
    """A demanager instance object as the detail / update calls answer it, with secrets."""
    return {
        "id": "DE-7d558ef8-c73d-11ea-964c-0255ac100033",
        "name": "notebook-ml",
        "description": "machine learning python2.7 notebook",
        "status": "RUNNING",
        "creation_timestamp": "1594887749962",
        "latest_update_timestamp": "1594888070775",
        "flavor": "modelarts.bm.gpu.v100NV32",
        "flavor_details": {"name": "modelarts.bm.gpu.v100NV32", "status": "onSale", "type": "GPU",
                           "params": {"num": 1}},
        "profile": {"id": "Python3-gpu", "name": "Python3-gpu", "de_type": "Notebook",
                    "provision": {"type": "Docker", "spec": {"engine": "CCE"}}},
        "pool": {"id": "pool-1", "name": "public"},
        "workspace": {"id": "0"},
        "ai_project": {"id": "default-ai-project"},
        "user": {"id": "u-15c5a5f2", "name": "alice"},
        "queuing_info": {"status": "", "rank": 0},
        "error_code": "",
        "spec": {
            "auto_stop": {"enable": True, "duration": 3600, "prompt": True,
                          "stop_timestamp": 1594891408723, "remain_time": 3336},
            "storage": {"type": "obs", "location": {"path": "/bucket/notebook/"}},
            "credential": {"access_key": OBS_AK, "secret_key": OBS_SK, "security_token": OBS_TOKEN},
            "repository": {
                "id": "repo-1",
                "branch": "main",
                "connection_info": {
                    "protocol": "ssh",
                    "url": "git@example.com:team/repo.git",
                    "credential": {"ssh_private_key": SSH_KEY, "access_token": GIT_TOKEN},
                },
            },
            "annotations": {"target_domain": "https://modelarts.example"},
        },
        "repository": {
            "connection_info": {
                "protocol": "https",
                "url": "https://example.com/team/repo.git",
                "credential": {"ssh_private_key": TOP_SSH_KEY, "access_token": TOP_GIT_TOKEN},
            }
        },
    }


def expected_redacted() -> dict:
    """The same object with exactly the secret-bearing keys removed."""
    out = make_instance()
    del out["spec"]["credential"]
    del out["spec"]["repository"]["connection_info"]["credential"]
    del out["repository"]["connection_info"]["credential"]
    return out


def test_no_secret_survives_anywhere():
    dumped = json.dumps(redact(make_instance()), ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in dumped
        assert json.dumps(secret)[1:-1] not in dumped  # nor in its JSON-escaped form
    # the fixture really does carry them before redaction
    raw = json.dumps(make_instance(), ensure_ascii=False)
    assert all(json.dumps(s)[1:-1] in raw for s in SECRETS)


def test_non_secret_fields_are_intact():
    result = redact(make_instance())
    assert result == expected_redacted()
    assert result["id"] == "DE-7d558ef8-c73d-11ea-964c-0255ac100033"
    assert result["status"] == "RUNNING"
    assert result["spec"]["auto_stop"] == {"enable": True, "duration": 3600, "prompt": True,
                                           "stop_timestamp": 1594891408723, "remain_time": 3336}
    assert result["spec"]["repository"]["connection_info"] == {"protocol": "ssh",
                                                               "url": "git@example.com:team/repo.git"}


def test_input_is_not_mutated_and_result_shares_nothing():
    instance = make_instance()
    before = copy.deepcopy(instance)
    result = redact(instance)
    assert instance == before
    result["spec"]["auto_stop"]["duration"] = 1
    result["flavor_details"]["params"]["num"] = 99
    assert instance == before


def test_keys_are_matched_case_insensitively_and_in_lists():
    value = {
        "items": [
            {"id": 1, "Credential": {"x": "S1"}},
            {"id": 2, "nested": [{"SECRET_KEY": "S2", "ok": "keep"}]},
        ],
        "X-Auth-Token": "S3",
        "Access_Token": "S4",
        "password": "S5",
        "meta": {"AK": "S6", "Sk": "S7", "SecurityToken": "S8"},
    }
    result = redact(value)
    dumped = json.dumps(result)
    for secret in ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"):
        assert f'"{secret}"' not in dumped
    assert result == {"items": [{"id": 1}, {"id": 2, "nested": [{"ok": "keep"}]}], "meta": {}}


def test_scalars_pass_through():
    for value in (None, 1, 1.5, "text", True):
        assert redact(value) == value


_SENTINEL = "SENTINEL-SECRET-VALUE-9f8e7d"
_keys = st.sampled_from(["id", "name", "status", "spec", "items", "meta", "url", "protocol", "tokens_used",
                         "key_id", "Credentialed", "auto_stop"])
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_keys, children, max_size=3),
    max_leaves=12,
)


@st.composite
def _trees_with_planted_secrets(draw):
    tree = draw(st.dictionaries(_keys, _json, min_size=1, max_size=4))
    for _ in range(draw(st.integers(1, 3))):
        node = tree
        for _depth in range(draw(st.integers(0, 3))):
            children = [v for v in node.values() if isinstance(v, dict)]
            if not children:
                break
            node = draw(st.sampled_from(children))
        key = draw(st.sampled_from(sorted(SECRET_KEYS)))
        key = draw(st.sampled_from([key, key.upper(), key.title()]))
        node[key] = draw(st.sampled_from([_SENTINEL, {"inner": _SENTINEL}, [_SENTINEL]]))
    return tree


@settings(max_examples=100, deadline=None, database=None)
@given(_trees_with_planted_secrets())
def test_planted_secrets_never_survive(tree):
    before = copy.deepcopy(tree)
    result = redact(tree)
    assert _SENTINEL in json.dumps(tree)
    assert _SENTINEL not in json.dumps(result)
    assert tree == before
