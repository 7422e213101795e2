"""The emulator's current-API answers against the official SDK's models (``huaweicloudsdkmodelarts``).

Each answer (detail, ListNotebooks, ShowLease, RenewLease, start, stop) has every field
of its model, recursively into nested models, and no other; each value has the type the
model's ``openapi_types`` says, and a string or a list of models is not empty unless
listed in MAY_BE_EMPTY. The SDK has no models for the older demanager API (its client
has no demanager call), so those answers are not checked here.
"""

from __future__ import annotations

import re
from typing import Any, List

import httpx
import pytest
from huaweicloudsdkmodelarts.v1 import model as sdk
from huaweicloudsdkmodelarts.v1.model import (
    ListNotebooksResponse,
    RenewLeaseResponse,
    ShowLeaseResponse,
    ShowNotebookResponse,
    StartNotebookResponse,
    StopNotebookResponse,
)

from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.emulator.fake_secrets import MARKER
from jupyter_devenv.modelarts.auth import AkSkAuth

NB = f"/v1/{PROJECT_ID}/notebooks"
# Fields in no model: the emulator's planted secrets, standing for those ModelArts may add
# under names nobody can guess, so that the redaction is tested on secrets nested in blocks
# (jupyter_devenv/modelarts/redact.py keeps an allowlist for that reason).
EXTRA = {"data_volumes[].credential", "endpoints[].credential"}
# Empty where the value has nothing to say for this instance (a built-in CPU image, a
# system disk, an instance that has not failed, a description nobody wrote).
MAY_BE_EMPTY = {
    "description",
    "fail_reason",
    "image.origin",
    "image.status_message",
    "image.flavor_type",
    "image.swr_instance_id",
    "image.tags",
    "custom_spec.gpu_type",
    "volume.status",
    "volume.id",
    "volume.dew_secret_name",
    "volume.evs_sku_code",
    "volume.uri",
}
SCALARS = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,)}


def problems(model: type, value: Any, path: str = "") -> List[str]:
    """What in ``value`` (a decoded JSON answer) departs from ``model``; nothing when it matches."""
    if not isinstance(value, dict):
        return [f"{path or 'the answer'} is not an object"]
    wanted = {model.attribute_map[a]: t for a, t in model.openapi_types.items()}
    found = []
    for name in sorted(set(wanted) | set(value)):
        where = f"{path}.{name}" if path else name
        if name not in wanted:
            found += [] if _as_detail(where) in EXTRA else [f"{where} is in no model"]
        elif name not in value:
            found.append(f"{where} is missing")
        else:
            found += _typed(wanted[name], value[name], where)
    return found


def _as_detail(path: str) -> str:
    """A path in an item of ListNotebooks' ``data`` as the same field of a detail answer."""
    return re.sub(r"^data\[\]\.", "", path)


def _typed(kind: str, value: Any, path: str) -> List[str]:
    listed = re.fullmatch(r"list\[(.+)\]", kind)
    if listed:
        if not isinstance(value, list):
            return [f"{path} is not a list"]
        if not value and _as_detail(path) not in MAY_BE_EMPTY:
            return [f"{path} is empty"]
        return [p for item in value for p in _typed(listed.group(1), item, path + "[]")]
    if kind in SCALARS:
        if isinstance(value, bool) != (kind == "bool") or not isinstance(value, SCALARS[kind]):
            return [f"{path} is {type(value).__name__}, not {kind}"]
        if kind == "str" and not value and _as_detail(path) not in MAY_BE_EMPTY:
            return [f"{path} is empty"]
        return []
    return problems(getattr(sdk, kind), value, path)


@pytest.fixture
def signed(emulator):
    auth = AkSkAuth(ACCESS_KEY, SECRET_KEY, PROJECT_ID)
    with httpx.Client(base_url=emulator.url, timeout=10, auth=auth) as client:
        yield client


def answer(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def test_the_checker_finds_a_missing_an_extra_and_a_mistyped_field(emulator, signed):
    detail = answer(signed.get(f"{NB}/{emulator.emulator.seed_ids['notebooks_running']}"))
    assert problems(ShowNotebookResponse, detail) == []
    detail.pop("token")
    detail["create_at"] = 1
    detail["lease"]["duration"] = "3600000"
    detail["user"]["domain"]["name"] = ""
    assert problems(ShowNotebookResponse, detail) == [
        "create_at is in no model",
        "lease.duration is str, not int",
        "token is missing",
        "user.domain.name is empty",
    ]


@pytest.mark.parametrize("seed", ["notebooks_running", "notebooks_stopped", "notebooks_idle"])
def test_the_detail_answer_is_a_notebook_resp(emulator, signed, seed):
    instance_id = emulator.emulator.seed_ids[seed]
    detail = answer(signed.get(f"{NB}/{instance_id}"))
    assert problems(ShowNotebookResponse, detail) == []
    assert detail["id"] == instance_id and detail["feature"] == "NOTEBOOK"
    assert MARKER in detail["token"]


def test_a_failed_instance_says_why(emulator, signed):
    seeded = emulator.emulator.seed_instance(backend="notebooks", status="START_FAILED")
    detail = answer(signed.get(f"{NB}/{seeded['id']}"))
    assert detail["fail_reason"] and problems(ShowNotebookResponse, detail) == []


def test_the_list_answer_and_its_items(emulator, signed):
    listed = answer(signed.get(NB))
    assert len(listed["data"]) == len(emulator.emulator.instances()["notebooks"])
    assert problems(ListNotebooksResponse, listed) == []


def test_the_lease_answers(emulator, signed):
    lease_path = f"{NB}/{emulator.emulator.seed_ids['notebooks_running']}/lease"
    assert problems(ShowLeaseResponse, answer(signed.get(lease_path))) == []
    renewed = answer(signed.patch(lease_path, json={"duration": 7_200_000, "type": "TIMING"}))
    assert problems(RenewLeaseResponse, renewed) == []


def test_the_start_and_stop_answers(emulator, signed):
    base = f"{NB}/{emulator.emulator.seed_ids['notebooks_running']}"
    assert problems(StopNotebookResponse, answer(signed.post(f"{base}/stop"))) == []
    assert problems(StartNotebookResponse, answer(signed.post(f"{base}/start"))) == []
